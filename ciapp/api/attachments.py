"""The attachment endpoints of /api/v1: list, upload (multipart), download, delete.

The same services, content checks and policies as the pages (``ciapp.attachments``): a
file refused by its content is 415, one above the size limit 413, and nothing is kept.
The routes join the API blueprint, so its token check and JSON errors apply to them.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from werkzeug.wrappers import Response

from ..attachments import access as att_access
from ..attachments import pages, services, serving
from ..attachments.models import Attachment
from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..extensions import db
from ..projects.models import Project
from .access import VIEW, explained
from .errors import UnsupportedMediaType
from .routes import bp
from .serializers import user_ref

EDITORS = "Only the project's lead, sponsor, team or an admin attach or remove files."
ADD = explained(att_access.EDIT, EDITORS)
REMOVE = explained(att_access.EDIT_ATTACHMENT, EDITORS)
READ_ONE = att_access.VIEW_ATTACHMENT
OWNER_FIELDS = ("owner", "owner_id")


def describe(attachment: Attachment, key: str) -> dict[str, Any]:
    download = url_for("api.download_attachment", key=key, attachment_id=attachment.id)
    return {
        "id": attachment.id, "project": key, "filename": attachment.filename,
        "content_type": attachment.content_type, "size": attachment.size,
        "sha256": attachment.sha256,
        "owner": {"kind": attachment.owner_kind, "id": attachment.owner_id},
        "uploaded_by": user_ref(attachment.uploaded_by),
        "created_at": attachment.created_at.isoformat(),
        "links": {"download": download},
    }


def _only(names: list[str], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted({str(n) for n in names} - set(allowed))
    if unknown:
        raise DomainError(f"Unknown {where} '{unknown[0]}'; the {where}s are "
                          f"{', '.join(allowed)}.",
                          fields={name: [f"Unknown {where}."] for name in unknown})


@bp.get("/projects/<key>/attachments")
@guard(VIEW)
def list_attachments(project: Project) -> Response:
    _only(list(request.args), OWNER_FIELDS, "parameter")
    owner = None
    if request.args:
        owner = services.owner_of(project, request.args.get("owner"),
                                  request.args.get("owner_id"))
    items = services.project_attachments(project.id, owner)
    return jsonify({"items": [describe(a, project.key) for a in items]})


@bp.post("/projects/<key>/attachments")
@guard(ADD)
def upload_attachment(project: Project) -> Response:
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the file as multipart/form-data, in a part named 'file' (with 'owner' and "
            f"'owner_id' to attach it to a why, cause or countermeasure); got "
            f"{request.mimetype or 'no Content-Type'!r}.")
    _only([*request.form, *request.files], ("file", *OWNER_FIELDS), "field")
    files = request.files.getlist("file")
    if len(files) != 1:
        raise DomainError("Send exactly one file, in a part named 'file'.", field="file")
    owner = services.owner_of(project, request.form.get("owner"), request.form.get("owner_id"))
    attachment = services.add(acting_user(), project, owner, files[0].stream, files[0].filename,
                              folder=pages.folder(), max_bytes=pages.max_bytes())
    db.session.commit()
    response = jsonify(describe(attachment, project.key))
    response.status_code = 201
    response.headers["Location"] = url_for("api.download_attachment", key=project.key,
                                           attachment_id=attachment.id)
    return response


@bp.get("/projects/<key>/attachments/<int:attachment_id>")
@guard(READ_ONE)
def download_attachment(project: Project, attachment: Attachment) -> Response:
    path = services.file_of(attachment, pages.folder())
    return serving.file_response(attachment, path)


@bp.delete("/projects/<key>/attachments/<int:attachment_id>")
@guard(REMOVE)
def delete_attachment(project: Project, attachment: Attachment) -> Response:
    services.delete(acting_user(), attachment, pages.folder())
    db.session.commit()
    return Response(status=204)
