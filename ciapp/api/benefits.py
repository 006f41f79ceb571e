"""The benefits endpoints of /api/v1: a project's benefit lines with their realized months,
costs and summary; creating (typed, or estimated from a saved comparison), changing,
deleting, months, submission to finance, finance's validation, reopening; finance's queue;
the project's costs (list, add, remove).

Bodies are checked for shape here (unknown fields, JSON types) and then read by the very
forms the pages use (``ciapp.benefits.forms``), so an amount means the same on both: a
string such as "1250.50" or a whole number, never a JSON float. Each change runs the service
the pages run; edits carry the line's version (If-Match or ``version``; 428, 409).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, jsonify, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..benefits import access, services, validation
from ..benefits.forms import CostForm, DeriveForm, LineForm, MonthForm, parse_month
from ..benefits.models import CATEGORIES, COST_KINDS, BenefitLine, ProjectCost
from ..core.access import acting_user, guard
from ..extensions import db
from ..projects.models import Project
from .access import explained
from .children import delete_version, no_content
from .fields import FieldSpec
from .idempotency import idempotent
from .inputs import check_shape, expected_version, invalid, read_json
from .routes import bp

EDIT = explained(access.EDIT, "Only the project's lead, sponsor, team or an admin change "
                              "its benefits.")
EDIT_LINE = explained(access.EDIT_LINE, "Only the project's lead, sponsor, team or an admin "
                                        "change its benefits.")
VALIDATE = explained(access.VALIDATE_LINE, "Only finance validates benefits, and never on a "
                                           "project they lead, sponsor or work on.")
EDIT_COST = explained(access.EDIT_COST, "Only the project's lead, sponsor, team or an admin "
                                        "change its costs.")
QUEUE = explained(access.QUEUE, "Only finance (and admins) see the validation queue.")

AMOUNT = ("string", "integer")


def _spec(name: str, label: str, types: tuple[str, ...] = ("string",), **kw: Any
          ) -> FieldSpec:
    return FieldSpec(name, label, types, **kw)


LINE = {
    "category": _spec("category", "Category", required=True, enum=tuple(CATEGORIES)),
    "description": _spec("description", "Description", required=True, max_length=200,
                         min_length=1),
    "method": _spec("method", "Calculation in words", max_length=2000),
    "quantity": _spec("quantity", "Quantity a year", AMOUNT, required=True),
    "quantity_unit": _spec("quantity_unit", "Unit of the quantity", max_length=40),
    "unit_value": _spec("unit_value", "Value per unit", AMOUNT, required=True),
    "start_month": _spec("start_month", "First month (YYYY-MM)", required=True),
}
DERIVE = {name: spec for name, spec in LINE.items()
          if name not in ("quantity", "unit_value")} | {
    "analysis_id": _spec("analysis_id", "Saved before/after comparison", ("integer",),
                         required=True, minimum=1),
    "unit_cost": _spec("unit_cost", "Cost per unit of the metric", AMOUNT, required=True),
    "volume": _spec("volume", "Volume a year", AMOUNT, required=True),
}
MONTH = {"month": _spec("month", "Month (YYYY-MM)", required=True),
         "amount": _spec("amount", "Realized amount (null removes the month)",
                         ("string", "integer", "null"), required=True)}
PART = _spec("part", "Part", required=True, enum=tuple(validation.PARTS))
SUBMISSION = {"part": PART}
DECISION = {"part": PART,
            "decision": _spec("decision", "Decision", required=True,
                              enum=validation.DECISIONS),
            "comment": _spec("comment", "Comment (needed to return)", max_length=2000)}
REOPENING = {"part": PART, "month": _spec("month", "Month (YYYY-MM), for realized")}
COST = {"kind": _spec("kind", "Kind", required=True, enum=tuple(COST_KINDS)),
        "description": _spec("description", "Description", required=True, max_length=200,
                             min_length=1),
        "amount": _spec("amount", "Amount", AMOUNT, required=True)}


# The page's derive form names the comparison record_id; the API, analysis_id.
RENAMED = {"analysis_id": "record_id"}


def _form(form_class: type, data: Mapping[str, Any]) -> Any:
    formdata = MultiDict({RENAMED.get(k, k): "" if v is None else str(v)
                          for k, v in data.items()})
    form = form_class(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        back = {v: k for k, v in RENAMED.items()}
        raise invalid({back.get(k, k): v for k, v in form.errors.items()},
                      {back.get(name, name): f.label.text for name, f in form._fields.items()})
    return form


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def _user(user: Any) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.name}


def describe(line: BenefitLine, key: str) -> dict[str, Any]:
    estimate = None
    if line.derived:
        estimate = {"analysis_id": line.record_id, "change": line.change,
                    "change_low": line.change_low, "change_high": line.change_high,
                    "p_value": line.p_value, "volume": _money(line.volume),
                    "range_low": _money(line.range_low), "range_high": _money(line.range_high),
                    "backed": line.backed}
    return {
        "id": line.id, "project": key, "category": line.category,
        "description": line.description, "method": line.method,
        "quantity": str(line.quantity), "quantity_unit": line.quantity_unit,
        "unit_value": str(line.unit_value), "projected": str(line.projected),
        "start_month": f"{line.start_month:%Y-%m}", "estimate": estimate,
        "backed": line.backed, "projected_state": line.projected_state,
        "projected_comment": line.projected_comment,
        "projected_by": _user(line.projected_by),
        "projected_at": line.projected_at.isoformat() if line.projected_at else None,
        "realized": str(line.realized),
        "months": [{"month": f"{m.month:%Y-%m}", "amount": str(m.amount), "state": m.state,
                    "comment": m.comment, "validated_by": _user(m.validated_by),
                    "validated_at": m.validated_at.isoformat() if m.validated_at else None}
                   for m in line.months],
        "version": line.version,
        "links": {"self": url_for("api.get_benefit", key=key, line_id=line.id),
                  "page": url_for("benefits.index", key=key, _anchor=f"line-{line.id}")},
    }


def _line(line: BenefitLine, key: str, status: int = 200, location: bool = False
          ) -> Response:
    response = jsonify(describe(line, key))
    response.status_code = status
    response.headers["ETag"] = f'"{line.version}"'
    if location:
        response.headers["Location"] = url_for("api.get_benefit", key=key, line_id=line.id)
    return response


def cost_json(cost: ProjectCost) -> dict[str, Any]:
    return {"id": cost.id, "kind": cost.kind, "description": cost.description,
            "amount": str(cost.amount)}


def _totals(t: services.Totals) -> dict[str, str]:
    return {"projected": str(t.projected), "projected_validated": str(t.projected_validated),
            "realized": str(t.realized), "realized_validated": str(t.realized_validated)}


@bp.get("/projects/<key>/benefits")
@guard(access.VIEW)
def list_benefits(project: Project) -> Response:
    s = services.summary_for_project(project)
    r = s.returns
    return jsonify({
        "project": project.key, "currency": current_app.config.get("CURRENCY", ""),
        "lines": [describe(line, project.key) for line in s.lines],
        "costs": [cost_json(c) for c in s.costs],
        "summary": {"total": _totals(s.total),
                    "by_category": {k: _totals(t) for k, t in s.by_category.items()},
                    "cash_benefit": str(r.benefit), "one_off_costs": str(r.one_off),
                    "running_costs": str(r.running),
                    "roi_percent": None if r.roi is None else str(r.roi),
                    "payback_months": None if r.payback_months is None
                    else str(r.payback_months),
                    "roi_all_percent": None if s.returns_all.roi is None
                    else str(s.returns_all.roi),
                    "payback_all_months": None if s.returns_all.payback_months is None
                    else str(s.returns_all.payback_months),
                    "backed_lines": s.backed, "estimated_lines": s.derived,
                    "waiting_lines": s.waiting}})


@bp.post("/projects/<key>/benefits")
@guard(EDIT)
@idempotent
def create_benefit(project: Project) -> Response:
    data = read_json()
    if "analysis_id" in data:
        check_shape(data, DERIVE)
        form = _form(DeriveForm, data)
        line = services.derive_line(acting_user(), project, form.line_values(), form.source())
    else:
        check_shape(data, LINE)
        line = services.create_line(acting_user(), project, _form(LineForm, data).values())
    return _line(line, project.key, 201, location=True)


@bp.get("/projects/<key>/benefits/<int:line_id>")
@guard(access.VIEW_LINE)
def get_benefit(project: Project, line: BenefitLine) -> Response:
    return _line(line, project.key)


def _current(line: BenefitLine) -> dict[str, Any]:
    return {"category": line.category, "description": line.description,
            "method": line.method, "quantity": str(line.quantity),
            "quantity_unit": line.quantity_unit, "unit_value": str(line.unit_value),
            "start_month": f"{line.start_month:%Y-%m}"}


@bp.patch("/projects/<key>/benefits/<int:line_id>")
@guard(EDIT_LINE)
def update_benefit(project: Project, line: BenefitLine) -> Response:
    data = read_json()
    version = expected_version(data)
    check_shape(data, LINE, ("version",), partial=True)
    changed = {k: v for k, v in data.items() if k in LINE}
    if not changed:
        raise invalid({"body": [f"Send at least one field to change: {', '.join(LINE)}."]})
    if line.derived and {"quantity", "unit_value"} & set(changed):
        raise invalid({"quantity": ["An estimated line's figures come from its comparison; "
                                    "create a new line to change them."]})
    form = _form(LineForm, _current(line) | changed)
    services.update_line(acting_user(), line, form.values(), version)
    db.session.commit()
    return _line(line, project.key)


@bp.delete("/projects/<key>/benefits/<int:line_id>")
@guard(EDIT_LINE)
def delete_benefit(project: Project, line: BenefitLine) -> Response:
    services.delete_line(acting_user(), line, delete_version())
    db.session.commit()
    return no_content()


@bp.post("/projects/<key>/benefits/<int:line_id>/months")
@guard(EDIT_LINE)
def set_benefit_month(project: Project, line: BenefitLine) -> Response:
    data = read_json()
    version = expected_version(data)
    check_shape(data, MONTH, ("version",))
    form = _form(MonthForm, {k: v for k, v in data.items() if k in MONTH})
    services.set_month(acting_user(), line, form.month.data, form.amount.data, version)
    db.session.commit()
    return _line(line, project.key)


@bp.post("/projects/<key>/benefits/<int:line_id>/submission")
@guard(EDIT_LINE)
def submit_benefit(project: Project, line: BenefitLine) -> Response:
    data = read_json()
    version = expected_version(data)
    check_shape(data, SUBMISSION, ("version",))
    validation.submit(acting_user(), line, data["part"], version)
    db.session.commit()
    return _line(line, project.key)


@bp.post("/projects/<key>/benefits/<int:line_id>/validation")
@guard(VALIDATE)
def validate_benefit(project: Project, line: BenefitLine) -> Response:
    data = read_json()
    version = expected_version(data)
    check_shape(data, DECISION, ("version",))
    validation.decide(acting_user(), project, line, data["part"], data["decision"],
                      data.get("comment"), version)
    db.session.commit()
    return _line(line, project.key)


@bp.post("/projects/<key>/benefits/<int:line_id>/reopening")
@guard(EDIT_LINE)
def reopen_benefit(project: Project, line: BenefitLine) -> Response:
    data = read_json()
    version = expected_version(data)
    check_shape(data, REOPENING, ("version",))
    try:
        month = parse_month(data["month"]) if data.get("month") else None
    except ValueError as exc:
        raise invalid({"month": [str(exc)]}) from None
    validation.reopen(acting_user(), line, data["part"], month, version)
    db.session.commit()
    return _line(line, project.key)


@bp.get("/benefits/queue")
@guard(QUEUE)
def benefit_queue() -> Response:
    return jsonify({"items": [describe(line, line.project.key)
                              for line in validation.queue()]})


@bp.get("/projects/<key>/costs")
@guard(access.VIEW)
def list_costs(project: Project) -> Response:
    return jsonify({"project": project.key,
                    "currency": current_app.config.get("CURRENCY", ""),
                    "items": [cost_json(c) for c in services.costs(project.id)]})


@bp.post("/projects/<key>/costs")
@guard(EDIT)
@idempotent
def create_cost(project: Project) -> Response:
    data = read_json()
    check_shape(data, COST)
    form = _form(CostForm, data)
    cost = services.add_cost(acting_user(), project, form.kind.data, form.description.data,
                             form.amount.data)
    response = jsonify(cost_json(cost))
    response.status_code = 201
    response.headers["Location"] = url_for("api.list_costs", key=project.key)
    return response


@bp.delete("/projects/<key>/costs/<int:cost_id>")
@guard(EDIT_COST)
def delete_cost(project: Project, cost: ProjectCost) -> Response:
    services.delete_cost(acting_user(), cost)
    db.session.commit()
    return no_content()
