"""The programme import endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..programme.cells import FIELDS
from .openapi import Operation, _operation, nullable, obj, ref

IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "description": "Send the same key again to get the first answer back instead "
                              "of importing twice (kept 24 hours).",
               "schema": {"type": "string", "pattern": r"^[\x20-\x7e]{1,255}$"}}
DRY_RUN = {"name": "dry_run", "in": "query", "required": False,
           "description": "true: check and answer what would be created, save nothing (the "
                          "form field of the same name does the same).",
           "schema": {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}}
ERRORS = (401, 403, 413, 415, 422)


def _fields_text(kind: str) -> str:
    return ", ".join(f"`{f.name}`" + (" (needed)" if f.required else "") for f in FIELDS[kind])


def _upload(kind: str) -> dict[str, Any]:
    return {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": "CSV (any common encoding and separator) or XLSX."},
        "map": {"type": "string", "description": (
            f"JSON object field -> column header; the fields are {_fields_text(kind)}. "
            "Without it, columns named like the fields are used.")},
        "sheet": {"type": "string", "description": "The workbook's sheet; the first "
                                                   "without it."},
        "dry_run": {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no", ""]}}}


def _schemas() -> dict[str, Any]:
    text, maybe_text = {"type": "string"}, {"type": ["string", "null"]}
    return {
        "ProjectsUpload": _upload("projects"),
        "BenefitsUpload": _upload("benefits"),
        "ImportRefusal": obj({
            "row": nullable({"type": "integer"}),
            "column": maybe_text, "header": maybe_text,
            "message": {"type": "string", "description": "Row 7, column C (Lead): why."}}),
        "ProgrammeImport": obj({
            "kind": {"type": "string", "enum": list(FIELDS)},
            "dry_run": {"type": "boolean"},
            "rows": {"type": "integer", "description": "Data rows read."},
            "mapping": {"type": "object", "additionalProperties": text},
            "ready": {"type": "boolean", "description": "Something to create and nothing "
                                                        "refused."},
            "created": {"type": "array", "items": {"type": "object"},
                        "description": "Projects (with their row) or benefit lines (with "
                                       "their rows and months) that are, or would be, "
                                       "created."},
            "refused": {"type": "array", "items": ref("ImportRefusal")},
            "projects": {"type": "array", "items": text,
                         "description": "Keys of the projects created, or that the benefit "
                                        "lines went to; empty on a dry run."}}),
    }


OPERATIONS = (
    Operation("post", "/api/v1/imports/projects", "api.import_projects",
              "Import a project register", 201, "ProgrammeImport", ERRORS,
              parameters=(DRY_RUN, IDEMPOTENCY),
              description="Admins and council members. Each row becomes a project in its "
                          "phase and status, with the next key and its history marked as "
                          "imported. With `dry_run` the answer (200) lists what would be "
                          "created and every refused row; without it, one refused row "
                          "refuses the file (422, every problem named by row and column) "
                          "and nothing is saved."),
    Operation("post", "/api/v1/imports/benefits", "api.import_benefits",
              "Import a benefits spreadsheet", 201, "ProgrammeImport", ERRORS,
              parameters=(DRY_RUN, IDEMPOTENCY),
              description="Admins and council members. Benefit lines (project by key or "
                          "title) with their realized months: months as columns headed "
                          "2026-01 or Jan 2026, or one row per month with `month` and "
                          "`amount` mapped. Figures arrive as drafts for finance. "
                          "`dry_run` as for the register."),
)
UPLOADS = {"api.import_projects": "ProjectsUpload", "api.import_benefits": "BenefitsUpload"}


def extend(doc: dict[str, Any]) -> None:
    """Add the import paths and schemas to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        item["requestBody"] = {"required": True, "content": {
            "multipart/form-data": {"schema": ref(UPLOADS[op.endpoint])}}}
        item["responses"]["200"] = {"description": "The dry run", "content": {
            "application/json": {"schema": ref("ProgrammeImport")}}}
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(_schemas())
    doc["components"]["responses"].setdefault("E413", {
        "description": "Too large: the file is above the upload limit; nothing was saved.",
        "content": {"application/json": {"schema": ref("Error")}}})
