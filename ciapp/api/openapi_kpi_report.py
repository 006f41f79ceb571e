"""The operational report's endpoint in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..core.validators import MAX_ID
from ..kpis.report import SPANS
from ..portfolio.models import HEALTH_LABELS
from .openapi import Operation, _operation, nullable, obj

VARIATIONS = ["common", "improving", "concerning", "neither", "none"]
ASSURANCES = ["pass", "fail", "hit_and_miss", "none"]


def _query(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": text,
            "schema": schema}


REPORT = Operation(
    "get", "/api/v1/kpis/report", "api.kpi_report", "The weekly or monthly KPI report", 200,
    "KpiReport", (400, 401, 422),
    parameters=(
        _query("span", {"type": "string", "enum": list(SPANS)},
               "A week (Monday to Sunday) or a calendar month; week by default."),
        _query("period", {"type": "string", "format": "date"},
               "Any day of the week or month wanted (YYYY-MM-DD), which must have ended; "
               "by default the last complete one."),
        _query("site", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
               "One site's KPIs (its areas' included); every site's by default.")),
    description="Every KPI's status (variation and assurance, as of today), the signals "
                "that fell in the period in words, the notes entered with its values, and "
                "the improvement projects linked to each KPI with their phase, status and "
                "the health their lead last reported.")


def _schemas() -> dict[str, Any]:
    text, maybe_number = {"type": "string"}, {"type": ["number", "null"]}
    status = obj({
        "variation": {"type": "string", "enum": VARIATIONS},
        "assurance": {"type": "string", "enum": ASSURANCES},
        "variation_text": text, "assurance_text": text, "miss_share": maybe_number,
        "latest": maybe_number, "latest_period": nullable({"type": "string", "format": "date"}),
        "no_data": {"type": "boolean"}, "colour": text})
    project = obj({"key": text, "title": text, "phase": text, "status": text,
                   "health": nullable({"type": "string", "enum": list(HEALTH_LABELS)}),
                   "health_reason": nullable(text)})
    item = obj({
        "id": {"type": "integer"}, "name": text, "unit": text, "target": maybe_number,
        "org_unit": nullable(text), "status": status,
        "signals": {"type": "array", "items": text},
        "values_in_period": {"type": "integer"},
        "notes": {"type": "array", "items": obj({"period": {"type": "string",
                                                            "format": "date"},
                                                 "note": text})},
        "projects": {"type": "array", "items": project}, "links": obj({"page": text})})
    return {"KpiReport": obj({
        "span": {"type": "string", "enum": list(SPANS)},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
        "date": {"type": "string", "format": "date"}, "title": text,
        "site": nullable(obj({"id": {"type": "integer"}, "name": text})),
        "items": {"type": "array", "items": item}})}


def extend(doc: dict[str, Any]) -> None:
    doc["paths"].setdefault(REPORT.path, {})[REPORT.method] = _operation(REPORT)
    doc["components"]["schemas"].update(_schemas())
