"""The KPI endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..core.validators import MAX_ID
from ..kpis.models import BETTER, CHARTS, FREQUENCIES, SOURCES
from ..kpis.services import CHART_NAMES, TEXT_LIMITS
from .openapi import Operation, _operation, nullable, obj, ref

KPI_ID = {"name": "kpi_id", "in": "path", "required": True,
          "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
ID_QUERY = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
FILTERS = (
    {"name": "site", "in": "query", "required": False, "schema": ID_QUERY,
     "description": "A site's id: its KPIs and its areas'."},
    {"name": "area", "in": "query", "required": False, "schema": ID_QUERY},
    {"name": "owner", "in": "query", "required": False, "schema": ID_QUERY},
    {"name": "frequency", "in": "query", "required": False,
     "schema": {"type": "string", "enum": list(FREQUENCIES)}},
)
RANGE = tuple({"name": name, "in": "query", "required": False,
               "schema": {"type": "string", "format": "date"},
               "description": f"{what} period (YYYY-MM-DD), inclusive."}
              for name, what in (("from", "First"), ("to", "Last")))
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "description": "Send the same key again to get the first answer back instead "
                              "of saving twice (kept 24 hours).",
               "schema": {"type": "string", "pattern": r"^[\x20-\x7e]{1,255}$"}}
CHART_TEXT = "; ".join(f"`{k}`: {v}" for k, v in CHART_NAMES.items())
VALUE_TEXT = ("`value`: the KPI's value for the period (for `p` the count that meets the "
              "definition, out of `n`; for `u` the defects in `n` units; for `c`, `g` and `t` "
              "a count of defects or events in the period, a whole number). `period`: any "
              "day of the period (a weekly KPI's value is for the week from Monday, a "
              "monthly one's for the month); not in the future, not already saved, once per "
              "request.")
WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422)


def _schemas() -> dict[str, Any]:
    text, number = {"type": "string"}, {"type": "number"}
    maybe_number = {"type": ["number", "null"]}
    kpi_in = {
        "name": {"type": "string", "maxLength": TEXT_LIMITS["name"]},
        "description": {"type": "string", "maxLength": TEXT_LIMITS["description"]},
        "unit": {"type": "string", "maxLength": TEXT_LIMITS["unit"]},
        "better": {"type": "string", "enum": list(BETTER)},
        "target": maybe_number, "acceptable_low": maybe_number,
        "acceptable_high": maybe_number,
        "owner_id": nullable({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
        "org_unit_id": nullable({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
        "frequency": {"type": "string", "enum": list(FREQUENCIES)},
        "chart": {"type": "string", "enum": list(CHARTS), "description": CHART_TEXT},
        "source": {"type": "string", "enum": list(SOURCES)},
    }
    status = {"type": "object", "additionalProperties": False, "properties": {
        "method": {"type": "string", "enum": ["control chart", "run chart", "none"]},
        "variation": {"type": "string",
                      "enum": ["common", "improving", "concerning", "neither", "none"]},
        "variation_text": text,
        "assurance": {"type": "string", "enum": ["pass", "fail", "hit_and_miss", "none"]},
        "assurance_text": text,
        "miss_share": {**maybe_number, "description": "Hit and miss: the expected share of "
                                                      "periods that will miss the target."},
        "latest": maybe_number, "latest_period": {"type": ["string", "null"]},
        "center": maybe_number, "lower": maybe_number, "upper": maybe_number,
        "signals": {"type": "array", "items": text}, "n_values": {"type": "integer"},
        "no_data": {"type": "boolean", "description": "No value yet for the newest "
                                                      "complete period."},
        "colour": {"type": "string", "enum": ["blue", "orange", "purple", "neutral", "grey"]},
    }}
    kpi = obj({
        "id": {"type": "integer"}, **{k: v for k, v in kpi_in.items()},
        "org_unit": {"type": ["string", "null"]},
        "version": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
        "status": status, "links": obj({"self": text, "values": text, "page": text}),
    })
    for name in ("name", "description", "unit"):
        kpi["properties"][name] = text
    value_in = {"type": "object", "additionalProperties": False, "required": ["period", "value"],
                "properties": {"period": {"type": "string", "format": "date"},
                               "value": number, "n": maybe_number,
                               "note": {"type": ["string", "null"], "maxLength": 500}},
                "description": VALUE_TEXT}
    value_out = obj({"period": {"type": "string", "format": "date"}, "value": number,
                     "n": maybe_number, "note": text})
    return {
        "KpiCreate": obj(kpi_in, ["name", "better", "frequency"]),
        "Kpi": kpi,
        "KpiList": obj({"items": {"type": "array", "items": ref("Kpi")}}),
        "KpiBoard": obj({"date": {"type": "string", "format": "date"},
                         "counts": {"type": "object",
                                    "additionalProperties": {"type": "integer"}},
                         "items": {"type": "array", "items": ref("Kpi")}}),
        "KpiValueIn": value_in,
        "KpiValuesAppend": obj({"values": {"type": "array", "minItems": 1,
                                           "items": ref("KpiValueIn")}}),
        "KpiValuesUpload": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "contentMediaType": "application/octet-stream",
                     "description": "CSV (any common encoding and separator) or XLSX."},
            "map": {"type": "string", "description": (
                "JSON object field -> column header (period, value, n, note). Without it, "
                "columns named like date, value, n and note are used.")}}},
        "KpiValuesAdded": obj({"added": {"type": "integer"}, "kpi": ref("Kpi")}),
        "KpiValuePage": obj({
            "items": {"type": "array", "items": value_out},
            "meta": obj({"kpi": {"type": "integer"},
                         "from": {"type": ["string", "null"]},
                         "to": {"type": ["string", "null"]}, "count": {"type": "integer"}})}),
    }


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/api/v1/kpis", "api.list_kpis", "List KPIs", 200, "KpiList",
              (401, 422), parameters=FILTERS,
              description="By site, area and name; each with its status. Unknown "
                          "parameters: 422."),
    Operation("post", "/api/v1/kpis", "api.create_kpi", "Create a KPI", 201, "Kpi",
              (401, 403, 415, 422), body="KpiCreate", parameters=(IDEMPOTENCY,),
              headers=("Location",),
              description="Belts, council members and admins. The owner defaults to you; "
                          "a p chart's target is a proportion (0.95)."),
    Operation("get", "/api/v1/kpis/board", "api.kpi_board", "The KPI board", 200,
              "KpiBoard", (401, 422), parameters=FILTERS,
              description="Every KPI's status (variation and assurance in the Making Data "
                          "Count sense, no data this period), with the counts by status."),
    Operation("get", "/api/v1/kpis/{kpi_id}", "api.get_kpi", "Read a KPI", 200, "Kpi",
              (401, 404), parameters=(KPI_ID,)),
    Operation("post", "/api/v1/kpis/{kpi_id}/values", "api.append_kpi_values",
              "Append values", 201, "KpiValuesAdded", WRITE_ERRORS, body="KpiValuesAppend",
              parameters=(KPI_ID, IDEMPOTENCY),
              description="One or many values (10,000 in one call is fine). One "
                          "transaction: a refused value saves nothing and answers 422 naming "
                          "`values[i]` and the field; one racing another call for the same "
                          "periods answers 409. Multipart with a `file` (and `map`) "
                          "reads CSV or XLSX like a data set's import. The KPI's owner or an "
                          "admin."),
    Operation("get", "/api/v1/kpis/{kpi_id}/values", "api.list_kpi_values",
              "Read values in a range", 200, "KpiValuePage", (401, 404, 422),
              parameters=(KPI_ID, *RANGE),
              description="Oldest first; at most 50,000 values per request."),
)


def extend(doc: dict[str, Any]) -> None:
    """Add the KPI paths and schemas to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        if op.endpoint == "api.append_kpi_values":
            item["requestBody"]["content"]["multipart/form-data"] = {
                "schema": ref("KpiValuesUpload")}
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(_schemas())
    doc["components"]["responses"].setdefault("E413", {
        "description": "Too large: the file is above the upload limit; nothing was saved.",
        "content": {"application/json": {"schema": ref("Error")}}})
