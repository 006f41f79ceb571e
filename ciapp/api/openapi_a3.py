"""The A3 endpoint in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from .openapi import KEY, Operation, _operation

LIVE = {"name": "live", "in": "query", "required": False,
        "description": "`true`: the A3 drawn from today's data even for a closed project, "
                       "whose A3 is otherwise the one frozen when it closed.",
        "schema": {"type": "boolean", "default": False}}
OPERATION = Operation(
    "get", "/api/v1/projects/{key}/a3.pdf", "api.a3_pdf", "The project's A3 as a PDF", 200,
    "", (401, 403, 404, 422), parameters=(KEY, LIVE),
    description="One A3 landscape page: background, current condition, goal, root causes, "
                "countermeasures, results, follow-up and benefits, from the project's data. "
                "A part the project lacks says so on the page.")


def extend(doc: dict[str, Any]) -> None:
    item = _operation(OPERATION)
    item["responses"]["200"]["content"] = {"application/pdf": {"schema": {
        "type": "string", "format": "binary"}}}
    doc["paths"].setdefault(OPERATION.path, {})[OPERATION.method] = item
