"""The OpenAPI pieces every resource under a project shares (list, create, read, update with
a version, delete), for ``openapi_rootcause`` and ``openapi_improve``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.validators import MAX_ID
from .fields import FieldSpec
from .openapi import KEY, Operation, _operation, input_schema, obj, ref
from .openapi_datasets import IDEMPOTENCY

READ = (401, 403, 404)
WRITE = (401, 403, 404, 409, 415, 422)
TEXT = {"type": "string"}
WHEN = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
VERSION = {"type": "integer", "description": "Send it back as If-Match (or `version`) to "
                                             "change the item."}
VERSION_FIELD = {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                 "description": "The version you last read (instead of If-Match)."}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
            "description": 'The version of the item you last read, quoted: "3" (its ETag); '
                           "or * to change it whatever it is now. A PATCH needs this or a "
                           "`version` field (428 without); on DELETE it is optional. A "
                           "version that is no longer the item's: 409.",
            "schema": {"type": "string", "pattern": r'^(\*|"[1-9][0-9]{0,8}")$'}}
ETAG = {"description": 'The item\'s version, quoted ("3"), for If-Match',
        "schema": {"type": "string"}}


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}


def nullable_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def create_schema(specs: Mapping[str, FieldSpec], overrides: dict[str, Any] | None = None,
                  **extra: Any) -> dict[str, Any]:
    return obj(input_schema(dict(specs)) | (overrides or {}),
               [name for name, spec in specs.items() if spec.required], **extra)


def patch_schema(specs: Mapping[str, FieldSpec],
                 overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = input_schema(dict(specs)) | (overrides or {}) | {"version": VERSION_FIELD}
    for spec in schema.values():
        spec.pop("default", None)
    return obj(schema, [], minProperties=1)


def links(*names: str) -> dict[str, Any]:
    return obj(dict.fromkeys(names, TEXT))


@dataclass(frozen=True)
class Resource:
    """One collection under a project: ``/api/v1/projects/{key}/<path>`` and its items."""

    path: str  # e.g. "causes"
    id_name: str  # the item's path parameter, e.g. "cause_id"
    schema: str  # the item's schema, e.g. "Cause"; "<schema>List", "...Create", "...Patch"
    endpoints: tuple[str, str, str, str, str]  # list, create, read, update, delete
    what: str  # "a cause"
    notes: Mapping[str, str] = field(default_factory=dict)  # endpoint -> description
    parent: tuple[dict[str, Any], ...] = ()  # path parameters between key and the id

    def operations(self) -> tuple[Operation, ...]:
        base = "/api/v1/projects/{key}/" + self.path
        one = base + "/{" + self.id_name + "}"
        ident = path_id(self.id_name)
        notes = self.notes
        listed, made, read, changed, gone = self.endpoints

        def op(method: str, path: str, endpoint: str, summary: str, ok: int, schema: str,
               errors: tuple[int, ...], **kw: Any) -> Operation:
            return Operation(method, path, "api." + endpoint, summary, ok, schema, errors,
                             description=notes.get(endpoint, ""), **kw)

        return (
            op("get", base, listed, f"List {self.path.replace('-', ' ')}", 200,
               f"{self.schema}List", READ, parameters=(KEY, *self.parent)),
            op("post", base, made, f"Create {self.what}", 201, self.schema, WRITE,
               body=f"{self.schema}Create", parameters=(KEY, *self.parent, IDEMPOTENCY),
               headers=("Location",)),
            op("get", one, read, f"Read {self.what}", 200, self.schema, READ,
               parameters=(KEY, *self.parent, ident)),
            op("patch", one, changed, f"Change {self.what}", 200, self.schema, (*WRITE, 428),
               body=f"{self.schema}Patch", parameters=(KEY, *self.parent, ident, IF_MATCH)),
            op("delete", one, gone, f"Remove {self.what}", 204, "", (401, 403, 404, 409),
               parameters=(KEY, *self.parent, ident, IF_MATCH)),
        )


def add(doc: dict[str, Any], operations: tuple[Operation, ...],
        schemas: dict[str, Any]) -> None:
    """Add ``operations`` and ``schemas`` to ``doc``: a DELETE answers 204 with no body, and
    an item's answer carries its version as ETag."""
    for op in operations:
        item = _operation(op)
        ok = item["responses"][str(op.ok)]
        if op.ok == 204:
            item["responses"]["204"] = {"description": "Removed; no content."}
        elif not op.schema.endswith("List") and op.schema in schemas and \
                "version" in schemas[op.schema]["properties"]:
            ok.setdefault("headers", {})["ETag"] = ETAG
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(schemas)


def listing(item_schema: str, **extra: Any) -> dict[str, Any]:
    return obj({"items": {"type": "array", "items": ref(item_schema)}, **extra})
