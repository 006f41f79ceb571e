"""Attachment pages under a project: the list, an upload, a download, a removal. An upload
that is refused (too large, a kind not kept, no file) shows the list again with the message
and its 4xx status; nothing is saved."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError, NotFound
from ..core.web import error_response
from ..extensions import db
from ..projects.models import Project
from . import access, pages, services, serving
from .models import Attachment

bp = Blueprint("attachments", __name__, url_prefix="/projects")


@bp.errorhandler(413)
def request_too_large(exc: Exception) -> tuple[Any, int]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return error_response(413, (
        f"The upload is larger than {services.size_text(limit)}, the most one request may "
        f"carry (one attachment may be {services.size_text(pages.max_bytes())}). "
        "Nothing was saved."))


@bp.get("/<key>/attachments")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("attachments/index.html", **pages.index_context(project))


@bp.post("/<key>/attachments")
@guard(access.EDIT)
def upload(project: Project) -> Response | tuple[str, int]:
    sent, owner = request.files.get("file"), None
    try:
        owner = services.owner_of(project, request.form.get("owner"),
                                  request.form.get("owner_id"))
        attachment = services.add(
            acting_user(), project, owner, sent.stream if sent else None,
            sent.filename if sent else None, folder=pages.folder(),
            max_bytes=pages.max_bytes())
    except NotFound:
        raise
    except DomainError as exc:
        db.session.rollback()
        return render_template("attachments/index.html", **pages.index_context(
            project, problem=exc, owner=owner)), exc.status
    db.session.commit()
    flash(f"Attached {attachment.filename}.", "success")
    return redirect(pages.back_to(project, owner))


@bp.get("/<key>/attachments/<int:attachment_id>")
@guard(access.VIEW_ATTACHMENT)
def download(project: Project, attachment: Attachment) -> Response:
    path = services.file_of(attachment, pages.folder())
    return serving.file_response(attachment, path, inline=request.args.get("inline") == "1")


@bp.post("/<key>/attachments/<int:attachment_id>/delete")
@guard(access.EDIT_ATTACHMENT)
def delete(project: Project, attachment: Attachment) -> Response:
    back, name = pages.back_to(project, pages.owner_of(attachment)), attachment.filename
    services.delete(acting_user(), attachment, pages.folder())
    db.session.commit()
    flash(f"Removed {name}.", "success")
    return redirect(back)
