"""The benefits page of a project and finance's queue. Each change runs one service and
redirects back; a refusal shows the page again with the message and nothing saved. A line's
fields are edited in place one at a time (``editing``, three routes, ``core.inline``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import BadRequest, DomainError
from ..core.forms import form_error
from ..core.validators import MAX_ID, parse_whole
from ..extensions import db
from ..projects.models import Project
from . import access, editing, pages, services, validation
from .forms import CostForm, DecisionForm, LineForm, MonthForm, parse_month
from .models import BenefitLine, ProjectCost

bp = Blueprint("benefits", __name__)
Answer = Response | tuple[str, int]


def _version(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_whole(text, minimum=1, maximum=MAX_ID)
    except ValueError:
        raise BadRequest(f"'{text}' is not a valid version.", field="version") from None


def _page(project: Project, status: int, **context: Any) -> tuple[str, int]:
    return render_template("benefits/index.html", **pages.index_context(
        acting_user(), project, **context)), status


def _run(project: Project, change: Callable[[], Any], anchor: str,
         forms: dict[str, FlaskForm] | None = None, back: str | None = None) -> Answer:
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return _page(project, exc.status, problem=exc, forms=forms)
    db.session.commit()
    return redirect(back or url_for(".index", key=project.key) + anchor)


def _checked(project: Project, form: FlaskForm, name: str | None = None) -> Answer | None:
    """None when ``form`` is valid; else the page with the errors, on the form itself when
    it is one of the page's own (``name``), otherwise on top."""
    if form.validate():
        return None
    if name is not None:
        return _page(project, 422, forms={name: form})
    return _page(project, 422, problem=form_error(form))


@bp.get("/projects/<key>/benefits")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("benefits/index.html", **pages.index_context(acting_user(),
                                                                         project))


@bp.post("/projects/<key>/benefits")
@guard(access.EDIT)
def line_create(project: Project) -> Answer:
    form = LineForm()
    return _checked(project, form, "line") or _run(project, lambda: services.create_line(
        acting_user(), project, form.values()), "#lines", {"line": form})


@bp.post("/projects/<key>/benefits/derive")
@guard(access.EDIT)
def line_derive(project: Project) -> Answer:
    form = pages.derive_form(project, request.form)
    return _checked(project, form, "derive") or _run(project, lambda: services.derive_line(
        acting_user(), project, form.line_values(), form.source()), "#lines",
        {"derive": form})


@bp.post("/projects/<key>/benefits/<int:line_id>")
@guard(access.EDIT_LINE)
def line_save(project: Project, line: BenefitLine) -> Answer:
    form = LineForm()
    if line.derived:  # its figures come from the comparison; the form does not show them
        form.quantity.validators = form.unit_value.validators = []
    return _checked(project, form) or _run(project, lambda: services.update_line(
        acting_user(), line, form.values(), _version(form.version.data)), f"#line-{line.id}")


LINE_FIELD = "/projects/<key>/benefits/<int:line_id>/fields/<field>"


@bp.get(LINE_FIELD)
@guard(access.VIEW_LINE)
def line_field(project: Project, line: BenefitLine, field: str) -> Response:
    return editing.show(project, line, field)


@bp.get(LINE_FIELD + "/edit")
@guard(access.EDIT_LINE)
def line_field_edit(project: Project, line: BenefitLine, field: str) -> Response:
    return editing.edit(project, line, field)


@bp.post(LINE_FIELD)
@guard(access.EDIT_LINE)
def line_field_save(project: Project, line: BenefitLine, field: str) -> Response:
    return editing.save(project, line, field)


@bp.post("/projects/<key>/benefits/<int:line_id>/delete")
@guard(access.EDIT_LINE)
def line_delete(project: Project, line: BenefitLine) -> Answer:
    return _run(project, lambda: services.delete_line(
        acting_user(), line, _version(request.form.get("version"))), "#lines")


@bp.post("/projects/<key>/benefits/<int:line_id>/months")
@guard(access.EDIT_LINE)
def month_save(project: Project, line: BenefitLine) -> Answer:
    form = MonthForm()
    return _checked(project, form) or _run(project, lambda: services.set_month(
        acting_user(), line, form.month.data, form.amount.data, _version(form.version.data)),
        f"#line-{line.id}")


@bp.post("/projects/<key>/benefits/<int:line_id>/submit")
@guard(access.EDIT_LINE)
def submit(project: Project, line: BenefitLine) -> Answer:
    return _run(project, lambda: validation.submit(
        acting_user(), line, request.form.get("part"), _version(request.form.get("version"))),
        f"#line-{line.id}")


def _month_arg() -> Any:
    text = (request.form.get("month") or "").strip()
    try:
        return parse_month(text) if text else None
    except ValueError as exc:
        raise BadRequest(str(exc), field="month") from None


@bp.post("/projects/<key>/benefits/<int:line_id>/reopen")
@guard(access.EDIT_LINE)
def reopen(project: Project, line: BenefitLine) -> Answer:
    return _run(project, lambda: validation.reopen(
        acting_user(), line, request.form.get("part"), _month_arg(),
        _version(request.form.get("version"))), f"#line-{line.id}")


@bp.post("/projects/<key>/benefits/<int:line_id>/decision")
@guard(access.VALIDATE_LINE)
def decide(project: Project, line: BenefitLine) -> Answer:
    form = DecisionForm()
    back = url_for(".queue") if request.form.get("next") == "queue" else None
    return _checked(project, form) or _run(project, lambda: validation.decide(
        acting_user(), project, line, form.part.data, form.decision.data, form.comment.data,
        _version(form.version.data)), f"#line-{line.id}", back=back)


@bp.post("/projects/<key>/costs")
@guard(access.EDIT)
def cost_create(project: Project) -> Answer:
    form = CostForm()
    return _checked(project, form, "cost") or _run(project, lambda: services.add_cost(
        acting_user(), project, form.kind.data, form.description.data, form.amount.data),
        "#costs", {"cost": form})


@bp.post("/projects/<key>/costs/<int:cost_id>/delete")
@guard(access.EDIT_COST)
def cost_delete(project: Project, cost: ProjectCost) -> Answer:
    return _run(project, lambda: services.delete_cost(acting_user(), cost), "#costs")


@bp.get("/benefits/queue")
@guard(access.QUEUE)
def queue() -> str:
    return render_template("benefits/queue.html", **pages.queue_context(acting_user()))
