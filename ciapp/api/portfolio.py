"""The portfolio endpoints of /api/v1: the board with its filters, the attention list, and
ideas (list, read, submit).

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
from ..core.validators import parse_whole
from ..portfolio import attention as attention_service
from ..portfolio import board as board_service
from ..portfolio import ideas as idea_service
from ..portfolio.access import VIEW_IDEA
from ..portfolio.forms import FilterForm, IdeaForm
from ..portfolio.models import IDEA_STATUSES, Idea
from .fields import specs_of
from .idempotency import idempotent
from .inputs import _form, _validated, check_shape, invalid, read_json
from .routes import bp

FILTER_NAMES = ("site_id", "area_id", "methodology", "lead_id", "status", "year", "days")
FILTERS = specs_of(FilterForm, FILTER_NAMES)
IDEA = specs_of(IdeaForm, ("title", "description", "benefit", "org_unit_id"))


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
    return _json(idea_json(idea))
