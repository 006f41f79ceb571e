"""The data set endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..core.validators import MAX_ID
from ..datasets.building import KINDS, ROLES
from .openapi import KEY, Operation, _operation, nullable, obj, ref

DATASET_ID = {"name": "dataset_id", "in": "path", "required": True,
              "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
VERSION = {"name": "version", "in": "query", "required": False,
           "description": "A data version (default: the newest).",
           "schema": {"type": "integer", "minimum": 1}}
PAGE = ({"name": "page", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 1000}})
PREVIEW = {"name": "preview", "in": "query", "required": False,
           "description": "`true`: answer how the data were read and checked; save nothing.",
           "schema": {"type": "boolean"}}
IF_MATCH_DATA = {"name": "If-Match", "in": "header", "required": False,
                 "description": 'The data version you last read, quoted ("3"): an append made '
                                "on older rows is refused with 409.",
                 "schema": {"type": "string", "pattern": r'^"[1-9][0-9]{0,8}"$'}}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "description": "Send the same key again to get the first answer back instead "
                              "of importing twice (kept 24 hours).",
               "schema": {"type": "string", "pattern": r"^[\x20-\x7e]{1,255}$"}}
KIND_TEXT = ("`continuous`; `defectives` (value = defectives, `n` = sample size); `defects` "
             "(value = defects, `n` = units); `categories` (value = count, with a `category`);"
             " `gage` (value = measurement, with `part` and `operator`).")
IMPORT_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422)


def _schemas() -> dict[str, Any]:
    text, number = {"type": "string"}, {"type": "number"}
    when = {"type": "string", "format": "date-time"}
    cell = {"value": number, "subgroup": text, "n": number, "stage": text,
            "time": {"type": "string", "description": "A date or date and time, e.g. "
                                                      "2026-01-05 or 2026-01-05T08:30."},
            "note": text, "category": text, "part": text, "operator": text}
    label = {"type": ["string", "number", "null"]}  # subgroup 3 and "3" are the same
    row_in = {"type": "object", "additionalProperties": False, "properties": {
        "value": number, "n": {"type": ["number", "null"]}, "time": nullable(cell["time"]),
        "subgroup": label, "part": label, "operator": label,
        **{name: {"type": ["string", "null"]} for name in ("stage", "note", "category")}}}
    version = obj({"number": {"type": "integer"}, "hash": text, "rows": {"type": "integer"},
                   "note": text, "created_at": when})
    dataset = {
        "id": {"type": "integer"}, "project": text, "name": text,
        "kind": {"type": "string", "enum": list(KINDS)}, "metric": text, "unit": text,
        "subgroup_size": nullable({"type": "integer"}), "source": text,
        "primary_metric": {"type": "boolean"},
        "version": {"type": "integer", "description": "The newest data version."},
        "hash": {"type": "string", "description": "SHA-256 of that version's rows."},
        "rows": {"type": "integer"}, "created_at": when,
        "versions": {"type": "array", "items": version},
        "links": obj({"self": text, "rows": text, "csv": text, "page": text}),
    }
    row_out = {"type": "object", "properties": {
        "point": {"type": "integer", "description": "Counted from 1, as on the pages."},
        **{k: nullable(v if k != "time" else when) for k, v in cell.items()},
        "excluded": {"type": "boolean"}, "exclude_reason": text},
        "required": ["point", "excluded", "exclude_reason"], "additionalProperties": False}
    return {
        "DatasetRow": row_in | {"required": ["value"], "description": (
            "One row. `n` is the sample size (defectives) or units (defects).")},
        "DatasetCreate": obj({
            "name": {"type": "string", "maxLength": 120},
            "kind": {"type": "string", "enum": list(KINDS), "description": KIND_TEXT},
            "subgroup_size": nullable({"type": "integer", "minimum": 1, "maximum": 1000}),
            "metric": {"type": "string", "maxLength": 120},
            "unit": {"type": "string", "maxLength": 40},
            "source": {"type": "string", "maxLength": 200},
            "rows": {"type": "array", "minItems": 1, "items": ref("DatasetRow")},
        }, ["name", "kind", "rows"]),
        "DatasetUpload": {"type": "object", "required": ["file", "name", "kind"],
                          "properties": {
            "file": {"type": "string", "contentMediaType": "application/octet-stream",
                     "description": "CSV (any common encoding and separator) or XLSX."},
            "name": text, "kind": {"type": "string", "enum": list(KINDS)},
            "map": {"type": "string", "description": (
                "JSON object role -> column header, the roles being "
                + ", ".join(ROLES) + ". Without it, columns named like the roles are used, "
                "otherwise the first numeric column is the value.")},
            "sheet": text, "subgroup_size": {"type": "integer", "minimum": 1},
            "metric": text, "unit": text, "source": text}},
        "DatasetAppend": obj({"rows": {"type": "array", "minItems": 1,
                                       "items": ref("DatasetRow")}}),
        "AppendUpload": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "contentMediaType": "application/octet-stream"},
            "map": text, "sheet": text}},
        "Dataset": obj(dataset),
        "DatasetList": obj({"items": {"type": "array", "items": ref("Dataset")}}),
        "ImportPreview": {"type": "object", "required": ["preview", "rows"], "properties": {
            "preview": {"const": True}, "ready": {"type": "boolean"},
            "rows": {"type": "integer"}, "columns": {"type": "array"},
            "problems": {"type": "array", "items": text}},
            "additionalProperties": True},
        "DatasetRowPage": obj({
            "items": {"type": "array", "items": row_out},
            "meta": obj({name: {"type": "integer"}
                         for name in ("page", "per_page", "total", "pages", "version")}
                        | {"hash": text}),
            "links": obj({"next": {"type": ["string", "null"]},
                          "prev": {"type": ["string", "null"]}}),
        }),
    }


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/api/v1/projects/{key}/datasets", "api.list_datasets",
              "List a project's data sets", 200, "DatasetList", (401, 404),
              parameters=(KEY,)),
    Operation("post", "/api/v1/projects/{key}/datasets", "api.create_dataset",
              "Create a data set", 201, "Dataset", IMPORT_ERRORS,
              body="DatasetCreate", parameters=(KEY, PREVIEW, IDEMPOTENCY),
              headers=("Location",),
              description="JSON rows, or multipart with a `file`. One transaction: a refused "
                          "import saves nothing and answers 422 naming the row and column "
                          "(rows as a spreadsheet numbers them, header = row 1; `rows[i]` "
                          "from 0 for JSON). A file above the size limit: 413."),
    Operation("get", "/api/v1/datasets/{dataset_id}", "api.get_dataset", "Describe a data set",
              200, "Dataset", (401, 404), parameters=(DATASET_ID,)),
    Operation("post", "/api/v1/datasets/{dataset_id}/rows", "api.append_rows",
              "Append rows", 201, "Dataset", IMPORT_ERRORS, body="DatasetAppend",
              parameters=(DATASET_ID, IF_MATCH_DATA, IDEMPOTENCY),
              description="Same row shapes as the create, checked the same way; a new data "
                          "version. Multipart with a `file` (and `map`) works too."),
    Operation("get", "/api/v1/datasets/{dataset_id}/rows", "api.list_rows", "Read rows, paged",
              200, "DatasetRowPage", (401, 404, 422),
              parameters=(DATASET_ID, VERSION, *PAGE)),
    Operation("get", "/api/v1/datasets/{dataset_id}/rows.csv", "api.rows_csv",
              "Download rows as CSV", 200, "", (401, 404, 422),
              parameters=(DATASET_ID, VERSION),
              description="Text cells that a spreadsheet would run as formulas (= + - @ tab "
                          "CR first) are prefixed with '."),
)
MULTIPART = {"api.create_dataset": "DatasetUpload", "api.append_rows": "AppendUpload"}


def _csv(op: dict[str, Any]) -> dict[str, Any]:
    op["responses"]["200"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return op


def extend(doc: dict[str, Any]) -> None:
    """Add the data set paths, schemas and the 413 answer to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        if op.endpoint in MULTIPART:
            item["requestBody"]["content"]["multipart/form-data"] = {
                "schema": ref(MULTIPART[op.endpoint])}
        if op.endpoint == "api.create_dataset":
            item["responses"]["200"] = {
                "description": "With `?preview=true`: how the data were read; nothing saved.",
                "content": {"application/json": {"schema": ref("ImportPreview")}}}
        if op.endpoint == "api.rows_csv":
            item = _csv(item)
        doc["paths"].setdefault(op.path, {})[op.method] = item
    components = doc["components"]
    components["schemas"].update(_schemas())
    components["responses"].setdefault("E413", {
        "description": "Too large: the file is above the upload limit; nothing was saved.",
        "content": {"application/json": {"schema": ref("Error")}}})
