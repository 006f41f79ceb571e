"""The programme import's pages: the two uploads, then the mapping with its dry run, then
the import itself (one transaction: every row, or nothing)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..datasets.models import ImportDraft
from ..datasets.problems import ImportProblem
from ..extensions import db
from . import access, pages, services
from .cells import KINDS, template_csv
from .forms import MappingForm, UploadForm

bp = Blueprint("programme", __name__, url_prefix="/programme")
KIND = "<any(projects, benefits):kind>"


@bp.get("/import")
@guard(access.IMPORT)
def index() -> str:
    return render_template("programme/index.html", forms={k: UploadForm() for k in KINDS},
                           KINDS=KINDS, problem=None, failed=None)


@bp.get(f"/import/{KIND}/template.csv")
@guard(access.IMPORT)
def template(kind: str) -> Response:
    """A header row of every column the import understands, to fill in."""
    response = make_response(template_csv(kind))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response


@bp.post(f"/import/{KIND}")
@guard(access.IMPORT)
def upload(kind: str) -> Response | tuple[str, int]:
    form = UploadForm()
    try:
        data, filename, pasted = _sent(form)
        draft = services.start(acting_user(), data, filename, pasted=pasted,
                               max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ImportProblem as problem:
        db.session.rollback()
        return render_template("programme/index.html", KINDS=KINDS, problem=problem,
                               failed=kind, forms={k: form if k == kind else UploadForm()
                                                   for k in KINDS}), problem.status
    db.session.commit()
    return redirect(url_for(".mapping", kind=kind, draft_id=draft.id))


def _sent(form: UploadForm) -> tuple[bytes, str, bool]:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(), upload.filename, False
    # Text only: a file part named "cells" reaches the field as a FileStorage (a 500 before).
    cells = form.cells.data if isinstance(form.cells.data, str) else ""
    if cells.strip():
        return cells.encode("utf-8"), "", True
    raise ImportProblem("Choose a file to upload, or paste the cells.", column="file")


@bp.route(f"/import/{KIND}/<int:draft_id>", methods=["GET", "POST"])
@guard(access.DRAFT)
def mapping(kind: str, draft: ImportDraft) -> Response | tuple[str, int]:
    posted = request.method == "POST"
    form = MappingForm() if posted else MappingForm(formdata=None)
    view = pages.read(kind, draft, form, suggest=not posted)
    # Refused rows are on the page already (the dry run of what was sent): only a clean
    # dry run is imported, and the import checks every row again as it goes.
    if posted and request.form.get("action") == "import" and view.ready:
        try:
            done = services.confirm(acting_user(), kind, draft,
                                    services.Choices(form.mapping(kind), form.sheet.data or None))
        except (ImportProblem, DomainError) as problem:
            db.session.rollback()
            pages.refused(view, problem)
        else:
            db.session.commit()
            flash(_done_message(kind, done), "success")
            return redirect(url_for(".index"))
    status = 422 if view.problem or (posted and view.plan and view.plan.refused) else 200
    return render_template("programme/mapping.html",
                           **pages.context(kind, draft, form, view)), status


def _done_message(kind: str, done: services.Done) -> str:
    keys = ", ".join(done.keys[:12]) + (f" and {len(done.keys) - 12} more"
                                        if len(done.keys) > 12 else "")
    if kind == "projects":
        return f"Imported {done.count} project{'s' * (done.count != 1)}: {keys}."
    return (f"Imported {done.count} benefit line{'s' * (done.count != 1)} into {keys}; "
            "finance validates them as any other.")
