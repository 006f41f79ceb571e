"""The KPI endpoints of /api/v1: KPIs (create, read, list), their values (append one or
many, as JSON or a CSV / XLSX file; read a range), and the board as JSON.

Values go through the same checks as the pages' (``ciapp.kpis.values``): a refused batch
answers 422 naming ``values[i]`` (or the file's row) and the field, and saves nothing. The
routes join the API blueprint, so its token check and JSON errors apply to them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError
from ..core.memory import no_cycle_collection
from ..core.validators import parse_date, parse_whole
from ..kpis import access as kpi_access
from ..kpis import pages, services, summary, values
from ..kpis.models import FREQUENCIES, Kpi
from .access import explained
from .idempotency import idempotent
from .inputs import column_map, read_json
from .routes import bp

CREATE = explained(kpi_access.CREATE, "Only belts, council members and admins create KPIs.")
APPEND_FIELDS = ("values",)
FILE_FIELDS = ("map",)
MAX_VALUES = 50_000  # a read of more asks for a narrower range


def _json(body: dict[str, Any], status: int = 200, location: str | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers["Location"] = location
    return response


STATUS_FIELDS = ("method", "variation", "variation_text", "assurance", "assurance_text",
                 "miss_share", "latest", "latest_period", "center", "lower", "upper",
                 "signals", "n_values")


SENTINEL = 2147483647


def link_patterns() -> dict[str, str]:
    """Each link's URL with a placeholder id: one url_for per request, not three per KPI
    (a board of 500 KPIs spent 150 ms building them)."""
    return {name: url_for(endpoint, kpi_id=SENTINEL).replace(str(SENTINEL), "{}")
            for name, endpoint in (("self", "api.get_kpi"), ("values", "api.list_kpi_values"),
                                   ("page", "kpis.show"))}


def describe(kpi: Kpi, today: date | None = None,
             links: dict[str, str] | None = None) -> dict[str, Any]:
    links = links or link_patterns()
    tile = summary.tile(kpi, today or date.today())
    status = {name: tile.status.get(name) for name in STATUS_FIELDS}
    status["signals"] = list(status["signals"] or [])
    status["n_values"] = int(status["n_values"] or 0)
    status["method"] = status["method"] or "none"
    for name, default in (("variation", "none"), ("assurance", "none")):
        status[name] = status[name] or default
    status["variation_text"] = status["variation_text"] or "Not enough data"
    status["assurance_text"] = status["assurance_text"] or "No assurance"
    return {
        "id": kpi.id, "name": kpi.name, "description": kpi.description, "unit": kpi.unit,
        "better": kpi.better, "target": kpi.target, "acceptable_low": kpi.acceptable_low,
        "acceptable_high": kpi.acceptable_high, "owner_id": kpi.owner_id,
        "org_unit_id": kpi.org_unit_id,
        "org_unit": kpi.org_unit.label if kpi.org_unit else None,
        "frequency": kpi.frequency, "chart": kpi.chart, "source": kpi.source,
        "version": kpi.version, "created_at": kpi.created_at.isoformat(),
        "status": status | {"no_data": tile.no_data, "colour": tile.colour},
        "links": {name: pattern.format(kpi.id) for name, pattern in links.items()},
    }


def _filters(args: MultiDict[str, str]) -> summary.Filters:
    """The board's and the list's filters, each checked (an API client wants to know)."""
    unknown = sorted(set(args) - set(pages.FILTERS))
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; the filters are "
                          f"{', '.join(pages.FILTERS)}.", field=unknown[0])
    out: dict[str, Any] = {}
    for name in ("site", "area", "owner"):
        text = args.get(name)
        if text is not None:  # present but empty is refused too: the document says integer
            try:
                out[name] = parse_whole(text, minimum=1)
            except ValueError as exc:
                raise DomainError(f"{name}: {exc}", field=name) from None
    frequency = args.get("frequency")
    if frequency is not None and frequency not in FREQUENCIES:
        raise DomainError(f"frequency must be one of {', '.join(FREQUENCIES)}.",
                          field="frequency")
    return summary.Filters(frequency=frequency or None, **out)


@bp.get("/kpis")
@guard(SIGNED_IN)
def list_kpis() -> Response:
    today = date.today()
    tiles, links = summary.board(_filters(request.args), today), link_patterns()
    return _json({"items": [describe(t.kpi, today, links) for t in tiles]})


@bp.get("/kpis/board")
@guard(SIGNED_IN)
def kpi_board() -> Response:
    today = date.today()
    tiles, links = summary.board(_filters(request.args), today), link_patterns()
    items = [describe(t.kpi, today, links) for t in tiles]
    counts: dict[str, int] = {}
    for item in items:
        key = "no_data" if item["status"]["no_data"] else item["status"]["variation"]
        counts[key] = counts.get(key, 0) + 1
    return _json({"date": today.isoformat(), "counts": counts, "items": items})


@bp.post("/kpis")
@guard(CREATE)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_kpi() -> Response:
    kpi = services.create_kpi(acting_user(), read_json())
    summary.refresh(kpi)
    return _json(describe(kpi), 201, location=url_for("api.get_kpi", kpi_id=kpi.id))


@bp.get("/kpis/<int:kpi_id>")
@guard(kpi_access.VIEW)
def get_kpi(kpi: Kpi) -> Response:
    return _json(describe(kpi))


def _fields(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed), key=str)
    if unknown:
        raise DomainError(f"Unknown field '{unknown[0]}'; the fields are {', '.join(allowed)}.",
                          fields={str(name): ["Unknown field."] for name in unknown})


@bp.post("/kpis/<int:kpi_id>/values")
@guard(kpi_access.API_EDIT)
@idempotent
def append_kpi_values(kpi: Kpi) -> Response:
    today = date.today()
    with no_cycle_collection():
        added = _append(kpi, today)
    return _json({"added": added, "kpi": describe(kpi, today)}, 201)


def _append(kpi: Kpi, today: date) -> int:
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise DomainError("Send the values as a 'file' part, or send JSON with 'values'.",
                              field="file")
        form = request.form.to_dict()
        _fields(form, FILE_FIELDS)
        added = pages.upload(acting_user(), kpi, upload.read(), upload.filename or "",
                             column_map(form.get("map"), values.FIELDS,
                                        'field -> column header, the fields being period, '
                                        'value, n and note, e.g. {"period": "Date", '
                                        '"value": "On time %"}'), today,
                             current_app.config["MAX_CONTENT_LENGTH"])
    else:
        data = read_json()
        _fields(data, APPEND_FIELDS)
        if "values" not in data:
            raise DomainError('Send the values: {"values": [{"period": "2026-03-02", '
                              '"value": 95.1}]}.', field="values")
        raw, mapping = values.records_table(data["values"])
        rows = values.check(kpi, raw, mapping, today)
        added = values.append(acting_user(), kpi, rows, how="api")
        pages.after_values(kpi, [r.period for r in rows], acting_user())
    return added


def _day(name: str) -> date | None:
    text = request.args.get(name, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise DomainError(f"{name}: {exc}", field=name) from None


@bp.get("/kpis/<int:kpi_id>/values")
@guard(kpi_access.VIEW)
def list_kpi_values(kpi: Kpi) -> Response:
    unknown = sorted(set(request.args) - {"from", "to"})
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; use from and to.",
                          field=unknown[0])
    first, last = _day("from"), _day("to")
    if first and last and first > last:
        raise DomainError("'from' must not be after 'to'.", field="from")
    rows = values.between(kpi, first, last)
    if len(rows) > MAX_VALUES:
        raise DomainError(f"{len(rows):,} values in that range; ask for at most "
                          f"{MAX_VALUES:,} (a narrower 'from' and 'to').", field="from")
    return _json({"items": [{"period": r.period.isoformat(), "value": r.value, "n": r.n,
                             "note": r.note} for r in rows],
                  "meta": {"kpi": kpi.id, "from": first.isoformat() if first else None,
                           "to": last.isoformat() if last else None, "count": len(rows)}})
