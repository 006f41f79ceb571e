"""``GET /api/v1/kpis/report``: the weekly or monthly operational report as JSON, the same
report as the page (``ciapp.kpis.report``): every KPI's status, the period's signals in
words, its notes and the linked projects where they stand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import jsonify, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, guard
from ..core.errors import DomainError
from ..core.validators import parse_date, parse_whole
from ..kpis import periods as P
from ..kpis import report
from .routes import bp

PARAMETERS = ("span", "period", "site")
FREQUENCY = {"week": "weekly", "month": "monthly"}


def _ending(span: str, text: str | None, today: date) -> date:
    """The day after the period that holds ``text`` (the last complete one by default);
    a period that has not ended is refused."""
    if text is None:
        return today
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise DomainError(f"period: {exc}", field="period") from None
    first = P.start_of(day, FREQUENCY[span])
    after = first + timedelta(days=7) if span == "week" else \
        (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    if after > today:
        raise DomainError(f"period: the {span} of {first} has not ended yet; the last "
                          f"complete one starts {report.window(span, today)[0]}.",
                          field="period")
    return after


def _query(today: date) -> report.Report:
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; the parameters are "
                          f"{', '.join(PARAMETERS)}.", field=unknown[0])
    span = request.args.get("span", "week")
    if span not in report.SPANS:
        raise DomainError("span: choose week or month.", field="span")
    site = request.args.get("site")
    try:
        site_id = parse_whole(site, minimum=1) if site is not None else None
    except ValueError as exc:
        raise DomainError(f"site: {exc}", field="site") from None
    return report.build(span, _ending(span, request.args.get("period"), today), site_id,
                        today)


def _item(item: report.Item, page: str) -> dict[str, Any]:
    kpi, status = item.tile.kpi, item.tile.status
    return {
        "id": kpi.id, "name": kpi.name, "unit": kpi.unit, "target": kpi.target,
        "org_unit": kpi.org_unit.label if kpi.org_unit else None,
        "status": {"variation": status.get("variation") or "none",
                   "assurance": status.get("assurance") or "none",
                   "variation_text": item.variation, "assurance_text": item.assurance,
                   "miss_share": status.get("miss_share"), "latest": status.get("latest"),
                   "latest_period": status.get("latest_period"),
                   "no_data": item.tile.no_data, "colour": item.tile.colour},
        "signals": item.signals, "values_in_period": item.values_in_period,
        "notes": [{"period": day.isoformat(), "note": note} for day, note in item.notes],
        "projects": [{"key": p.key, "title": p.title, "phase": p.phase, "status": p.status,
                      "health": p.health or None, "health_reason": p.health_reason or None}
                     for p in item.projects],
        "links": {"page": page + str(kpi.id)},
    }


@bp.get("/kpis/report")
@guard(SIGNED_IN)
def kpi_report() -> Response:
    today = date.today()
    made = _query(today)
    page = url_for("kpis.show", kpi_id=0)[:-1]  # one url_for, not one per KPI
    return jsonify({
        "span": made.span, "start": made.start.isoformat(), "end": made.end.isoformat(),
        "date": today.isoformat(), "title": made.title,
        "site": {"id": made.site.id, "name": made.site.name} if made.site else None,
        "items": [_item(i, page) for i in made.items]})
