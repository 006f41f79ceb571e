"""The leadership endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..auth.models import BeltLevel
from ..benefits.models import CATEGORIES
from ..core.exports import CSV_TYPE, XLSX_TYPE
from ..core.validators import MAX_ID
from ..projects.phases import Methodology
from .openapi import Operation, _operation, nullable, obj
from .openapi_portfolio import FILTER_PARAMETERS, FILTER_TEXT

ERRORS = (400, 401, 422)
FILE_ERRORS = (400, 401, 404, 422)  # 404: a format other than csv or xlsx


def _query(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": text,
            "schema": schema}


YEAR = _query("year", {"type": "integer", "minimum": 2000, "maximum": 2100},
              "The calendar year (default: this year).")
SITE = _query("site", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
              "Only this site's projects (its areas included).")
LINE_PARAMETERS = (
    YEAR, SITE,
    _query("unit", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "One site or area."),
    _query("category", {"type": "string", "enum": list(CATEGORIES)}, "A benefit category."),
    _query("methodology", {"type": "string", "enum": [m.value for m in Methodology]},
           "DMAIC projects or Kaizen events."),
    _query("belt", {"type": "string", "enum": [b.value for b in BeltLevel]},
           "The lead's belt."),
    _query("project", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
           "One project (its id)."),
    _query("month", {"type": "integer", "minimum": 1, "maximum": 12},
           "One month of the year."))


def _schemas() -> dict[str, Any]:
    amount = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$",
              "description": "A decimal amount in the installation's currency."}
    figures = {"projected": amount, "projected_validated": amount, "realized": amount,
               "realized_validated": amount}
    part = {"type": "array", "items": obj({"label": {"type": "string"}, **figures,
                                            "filter": {"type": "object"}})}
    return {"Summary": obj({
        "currency": {"type": "string"}, "year": {"type": "integer"},
        "site": nullable({"type": "string"}), "total": obj(figures),
        "year_to_date": obj(figures),
        "months": {"type": "array", "items": obj({"month": {"type": "string"}, **figures,
                                                   "cumulative": obj(figures)})},
        "by_site": part, "by_area": part, "by_category": part, "by_methodology": part,
        "by_belt": part,
        "top_projects": {"type": "array", "items": obj({"key": {"type": "string"},
                                                         "title": {"type": "string"},
                                                         **figures})},
        "claims": obj({"lines": {"type": "integer"}, "backed_lines": {"type": "integer"},
                       "projected": amount, "backed": amount,
                       "backed_share": nullable({"type": "number"})}),
    })}


SUMMARY = Operation(
    "get", "/api/v1/summary", "api.summary", "The leadership summary", 200, "Summary", ERRORS,
    parameters=(YEAR, SITE),
    description="Projected, realized and finance-validated benefits of a year: the total, the "
                "year to date, each month with running totals, by site, area, category, "
                "methodology and the lead's belt, the top projects and the share of the "
                "projected savings backed by a significant before/after result. Each part's "
                "`filter` gives the query of /api/v1/exports/benefits.* listing its lines.")
FILES = (
    ("portfolio", "api.export_portfolio", "The portfolio as a spreadsheet",
     FILTER_PARAMETERS, "Every project the filters select, with its benefits of the year. "
     + FILTER_TEXT),
    ("benefits", "api.export_benefits", "The benefit lines as a spreadsheet", LINE_PARAMETERS,
     "The lines with an amount in the year (or month), their amounts in the period; the "
     "XLSX has a second sheet of the realized months."),
)


FMT = {"name": "fmt", "in": "path", "required": True, "description": "csv or xlsx",
       "schema": {"type": "string", "enum": ["csv", "xlsx"]}}


def extend(doc: dict[str, Any]) -> None:
    doc["paths"].setdefault(SUMMARY.path, {})[SUMMARY.method] = _operation(SUMMARY)
    for name, endpoint, summary, parameters, text in FILES:
        op = Operation("get", f"/api/v1/exports/{name}.{{fmt}}", endpoint, summary, 200, "",
                       FILE_ERRORS, parameters=(FMT, *parameters),
                       description=text + " Text that a spreadsheet would run as a formula "
                                          "starts with an apostrophe.")
        item = _operation(op)
        item["responses"]["200"]["content"] = {
            media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for media in (CSV_TYPE, XLSX_TYPE)}
        doc["paths"].setdefault(op.path, {})["get"] = item
    doc["components"]["schemas"].update(_schemas())
