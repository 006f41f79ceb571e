"""The attachment endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..attachments import sniff
from ..attachments.models import OWNER_KINDS
from ..core.validators import MAX_ID
from .openapi import KEY, Operation, _operation, nullable, obj, ref

PATH = "/api/v1/projects/{key}/attachments"
ATTACHMENT_ID = {"name": "attachment_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
OWNER_TEXT = ("What the file belongs to: `project` (the default), `why`, `cause` (of the "
              "fishbone) or `countermeasure`, with `owner_id` naming it; an id of another "
              "project is 404.")
OWNER_QUERY = (
    {"name": "owner", "in": "query", "required": False, "description": OWNER_TEXT,
     "schema": {"type": "string", "enum": list(OWNER_KINDS)}},
    {"name": "owner_id", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}})
KEPT = "; ".join(f"{k.label} ({', '.join(k.extensions)})" for k in sniff.KINDS)


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    attachment = obj({
        "id": {"type": "integer"}, "project": text,
        "filename": {"type": "string", "description": "The name sent, made safe; it ends "
                                                      "in an extension of its type."},
        "content_type": {"type": "string", "enum": [k.content_type for k in sniff.KINDS],
                         "description": "Decided from the bytes, not from the name."},
        "size": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "owner": obj({"kind": {"type": "string", "enum": list(OWNER_KINDS)},
                      "id": {"type": "integer", "description": "The project's id for "
                                                               "`project`."}}),
        "uploaded_by": nullable(ref("UserRef")),
        "created_at": {"type": "string", "format": "date-time"},
        "links": obj({"download": text}),
    })
    return {
        "Attachment": attachment,
        "AttachmentList": obj({"items": {"type": "array", "items": ref("Attachment")}}),
        "AttachmentUpload": {"type": "object", "required": ["file"], "properties": {
            # no "type": any bytes are a file (the app, not the schema, decides what it is)
            "file": {"contentMediaType": "application/octet-stream",
                     "description": f"The file. Kept only if its bytes are one of: {KEPT}."},
            "owner": {"type": "string", "enum": list(OWNER_KINDS)},
            "owner_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
            "additionalProperties": False},
    }


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", PATH, "api.list_attachments", "List a project's attachments", 200,
              "AttachmentList", (401, 404, 422), parameters=(KEY, *OWNER_QUERY),
              description="Newest first; with `owner` (and `owner_id`), only that owner's."),
    Operation("post", PATH, "api.upload_attachment", "Attach a file", 201, "Attachment",
              (401, 403, 404, 413, 415, 422), body="AttachmentUpload", parameters=(KEY,),
              headers=("Location",),
              description="Multipart with one `file` part. The type is decided from the "
                          "bytes: anything else (an executable renamed to .png, HTML, SVG, "
                          "a macro-enabled Office file) is 415, a file above the size limit "
                          "413, a name whose extension claims another kept type 415; "
                          "nothing is kept."),
    Operation("get", PATH + "/{attachment_id}", "api.download_attachment",
              "Download an attachment", 200, "", (401, 404),
              parameters=(KEY, ATTACHMENT_ID),
              description="The bytes, with the type decided at upload, as a download "
                          "(Content-Disposition: attachment)."),
    Operation("delete", PATH + "/{attachment_id}", "api.delete_attachment",
              "Remove an attachment", 204, "", (401, 403, 404),
              parameters=(KEY, ATTACHMENT_ID)),
)


def extend(doc: dict[str, Any]) -> None:
    """Add the attachment paths and schemas, and the 413 and 415 answers, to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        if op.endpoint == "api.upload_attachment":
            item["requestBody"]["content"] = {"multipart/form-data": {
                "schema": ref("AttachmentUpload")}}
        if op.endpoint == "api.download_attachment":
            item["responses"]["200"]["content"] = {
                k.content_type: {"schema": {"type": "string"}} for k in sniff.KINDS}
        if op.endpoint == "api.delete_attachment":
            item["responses"]["204"] = {"description": "Removed; nothing is returned."}
            item["responses"].pop("200", None)
        doc["paths"].setdefault(op.path, {})[op.method] = item
    components = doc["components"]
    components["schemas"].update(_schemas())
    components["responses"].setdefault("E413", {
        "description": "Too large: the file is above the size limit; nothing was saved.",
        "content": {"application/json": {"schema": ref("Error")}}})

