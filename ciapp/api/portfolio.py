"""The portfolio endpoints of /api/v1: the board with its filters, the attention list, a
project's health (read; the lead reports it), and ideas (list, read, submit; the council
scores them and turns them into a project, a quick win, or declines them).

They call the services the pages call, and read their query strings and bodies through the
pages' own forms, so the API and the pages cannot disagree. The routes join the API
blueprint, so its token check and JSON errors apply to them.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.validators import MAX_ID, parse_whole
from ..extensions import db
from ..portfolio import access
from ..portfolio import attention as attention_service
from ..portfolio import board as board_service
from ..portfolio import health as health_service
from ..portfolio import ideas as idea_service
from ..portfolio.access import VIEW_IDEA
from ..portfolio.forms import (
    DecideForm,
    FilterForm,
    HealthForm,
    IdeaForm,
    ProjectForm,
    ScoreForm,
)
from ..portfolio.models import IDEA_STATUSES, HealthUpdate, Idea
from ..projects.models import Project
from .access import explained
from .children import checked
from .fields import FieldSpec, specs_of
from .idempotency import idempotent
from .inputs import _form, _validated, check_shape, expected_version, invalid, read_json
from .routes import bp

FILTER_NAMES = ("site_id", "area_id", "methodology", "lead_id", "status", "year", "days")
FILTERS = specs_of(FilterForm, FILTER_NAMES)
IDEA = specs_of(IdeaForm, ("title", "description", "benefit", "org_unit_id"))
SCORE = specs_of(ScoreForm, ("effort", "impact"))
TO_PROJECT = specs_of(ProjectForm, ("lead_id", "methodology"))
DECIDE = specs_of(DecideForm, ("outcome", "note"))
HEALTH = specs_of(HealthForm, ("health", "reason")) | {
    "seen": FieldSpec("seen", "The newest report you read (its id; 0: none)", ("integer",),
                      minimum=0, maximum=MAX_ID)}
DECIDE_IDEA = explained(access.DECIDE_IDEA, "Only the CI council scores ideas and decides "
                                            "what becomes of them.")
SET_HEALTH = explained(access.SET_HEALTH, "Only the project's lead reports its health.")


def _json(body: dict[str, Any], status: int = 200, location: str | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers["Location"] = location
    return response


def _whole(args: MultiDict[str, str], name: str, default: int, maximum: int) -> int:
    raw = args.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return parse_whole(raw, minimum=1, maximum=maximum)
    except ValueError as exc:
        raise invalid({name: [str(exc)]}) from None


def _filters(args: MultiDict[str, str], *extra: str
             ) -> tuple[board_service.PortfolioFilters, board_service.Clock]:
    """The filters and the clock from the query string; unknown names and bad values 422."""
    unknown = [name for name in args if name not in FILTER_NAMES and name not in extra]
    if unknown:
        raise invalid({name: [f"Unknown query parameter; allowed: "
                              f"{', '.join([*FILTER_NAMES, *extra])}."] for name in unknown})
    form = _validated(FilterForm(formdata=args, meta={"csrf": False}))
    days = form.days.data or int(current_app.config["PORTFOLIO_STALLED_DAYS"])
    return form.filters(), board_service.clock_for(days)


def _applied(filters: board_service.PortfolioFilters) -> dict[str, Any]:
    return {name: value for name, value in vars(filters).items() if name != "phase"}


@bp.get("/portfolio")
@guard(SIGNED_IN)
def portfolio_board() -> Response:
    filters, clock = _filters(request.args, "per_column")
    per_column = _whole(request.args, "per_column", board_service.PER_COLUMN,
                        board_service.MAX_PER_COLUMN)
    columns = board_service.board(filters, clock, per_column)
    return _json({"filters": _applied(filters), "stalled_days": clock.stalled_days,
                  "columns": [{"key": c.key, "label": c.label, "count": c.count,
                               "projects": [r.to_dict() for r in c.rows]} for c in columns]})


@bp.get("/attention")
@guard(SIGNED_IN)
def attention() -> Response:
    filters, clock = _filters(request.args, "limit")
    limit = _whole(request.args, "limit", attention_service.LIMIT, attention_service.MAX_LIMIT)
    found = attention_service.attention(acting_user(), filters, clock, limit)

    def part(p: attention_service.Part[Any]) -> dict[str, Any]:
        return {"total": p.total, "items": [item.to_dict() for item in p.items]}

    return _json({"filters": _applied(filters), "stalled_days": clock.stalled_days,
                  "reviews": part(found.reviews), "overdue_actions": part(found.overdue),
                  "stalled": part(found.stalled), "signals": part(found.signals)})


def idea_json(idea: Idea) -> dict[str, Any]:
    unit = idea.org_unit
    return {
        "id": idea.id, "title": idea.title, "description": idea.description,
        "benefit": idea.benefit,
        "org_unit": None if unit is None else {"id": unit.id, "label": unit.label},
        "submitted_by": {"id": idea.submitted_by.id, "name": idea.submitted_by.name},
        "submitted_at": idea.submitted_at.isoformat(), "effort": idea.effort,
        "impact": idea.impact, "pick": idea_service.pick(idea.effort, idea.impact),
        "status": idea.status, "decision_note": idea.decision_note,
        "project": idea.project.key if idea.project is not None else None,
        "version": idea.version,
        "links": {"self": url_for("api.get_idea", idea_id=idea.id)},
    }


@bp.get("/ideas")
@guard(SIGNED_IN)
def list_ideas() -> Response:
    unknown = [name for name in request.args if name != "status"]
    if unknown:
        raise invalid({name: ["Unknown query parameter; allowed: status."] for name in unknown})
    status = request.args.get("status") or None
    if status is not None and status not in IDEA_STATUSES:
        raise invalid({"status": [f"One of {', '.join(IDEA_STATUSES)}."]})
    return _json({"items": [idea_json(i) for i in idea_service.list_ideas(status)]})


@bp.post("/ideas")
@guard(SIGNED_IN)
@idempotent  # commits, with the Idempotency-Key if one was sent
def submit_idea() -> Response:
    data = read_json()
    check_shape(data, IDEA)
    form = _form(IdeaForm, data)
    idea = idea_service.submit(acting_user(), form.values())
    return _json(idea_json(idea), 201, location=url_for(".get_idea", idea_id=idea.id))


@bp.get("/ideas/<int:idea_id>")
@guard(VIEW_IDEA)
def get_idea(idea: Idea) -> Response:
    return _idea(idea)


def _idea(idea: Idea, status: int = 200, location: str | None = None) -> Response:
    response = _json(idea_json(idea), status, location)
    response.headers["ETag"] = f'"{idea.version}"'
    return response


def _decision(specs: dict[str, FieldSpec], form_class: type) -> tuple[Any, int | None]:
    """A council decision's body read by the page's form, and the idea's version it was
    made on (If-Match or ``version``; 428 without)."""
    data = read_json()
    version = expected_version(data)
    check_shape(data, specs, ("version",))
    return _form(form_class, {k: v for k, v in data.items() if k in specs}), version


@bp.post("/ideas/<int:idea_id>/score")
@guard(DECIDE_IDEA)
def score_idea(idea: Idea) -> Response:
    form, version = _decision(SCORE, ScoreForm)
    idea_service.score(acting_user(), idea, form.effort.data, form.impact.data, version)
    db.session.commit()
    return _idea(idea)


@bp.post("/ideas/<int:idea_id>/project")
@guard(DECIDE_IDEA)
def idea_to_project(idea: Idea) -> Response:
    form, version = _decision(TO_PROJECT, ProjectForm)
    project = idea_service.to_project(acting_user(), idea, form.lead_id.data,
                                      form.methodology.data, version)
    db.session.commit()
    return _idea(idea, 201, location=url_for(".get_project", key=project.key))


@bp.post("/ideas/<int:idea_id>/decision")
@guard(DECIDE_IDEA)
def decide_idea(idea: Idea) -> Response:
    form, version = _decision(DECIDE, DecideForm)
    idea_service.decide(acting_user(), idea, form.outcome.data, form.note.data, version)
    db.session.commit()
    return _idea(idea)


def _report(update: HealthUpdate) -> dict[str, Any]:
    return {"id": update.id, "value": update.health, "reason": update.reason,
            "set_by": {"id": update.set_by.id, "name": update.set_by.name},
            "set_at": update.set_at.isoformat()}


def _health(project: Project, status: int = 200) -> Response:
    days = int(current_app.config["PORTFOLIO_STALLED_DAYS"])
    row = board_service.project_row(project.id, board_service.clock_for(days))
    history = health_service.history(project.id)
    suggestion = row.suggested if row is not None else None
    return _json({
        "project": project.key, "current": _report(history[0]) if history else None,
        "suggested": None if suggestion is None else {
            "value": suggestion.health, "reasons": list(suggestion.reasons)},
        "history": [_report(h) for h in history],
        "can_set": health_service.can_set_health(acting_user(), project)}, status)


@bp.get("/projects/<key>/health")
@guard(access.VIEW_HEALTH)
def get_health(project: Project) -> Response:
    return _health(project)


@bp.post("/projects/<key>/health")
@guard(SET_HEALTH)
def set_health(project: Project) -> Response:
    data = checked(read_json(), HEALTH)  # shapes and limits (``seen`` from 0)
    form = _form(HealthForm, {k: v for k, v in data.items() if k != "seen"})
    health_service.set_health(acting_user(), project, form.health.data, form.reason.data,
                              seen=data.get("seen"))
    db.session.commit()
    return _health(project, 201)
