"""Data set pages under a project: the list, bringing data in (file, pasted cells, grid)
through a preview, a data set with its versions and rows, one point, downloads."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from ..core import inline
from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..core.validators import version_from
from ..extensions import db
from ..projects import permissions
from ..projects.models import Project
from . import access, export, imports, pages, services
from .forms import ExcludeForm, FileForm, PasteForm, PointForm, PreviewForm, details_form
from .models import Dataset, ImportDraft
from .problems import ImportProblem

bp = Blueprint("datasets", __name__, url_prefix="/projects")


@bp.errorhandler(413)
def too_large(exc: Exception) -> tuple[str, int]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    back = request.url if request.method == "POST" else url_for("projects.index")
    size = f"{limit / 2**20:.0f} MiB" if limit >= 2**20 else f"{limit / 2**10:.0f} KiB"
    return render_template("datasets/too_large.html", limit=size, back=back), 413


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**7 else 1


@bp.get("/<key>/datasets")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("datasets/index.html", project=project,
                           datasets=services.project_summaries(project.id),
                           can_edit=permissions.can_edit_project(acting_user(), project))


def _upload(project: Project, dataset: Dataset | None) -> Response | tuple[str, int]:
    """The three ways in; a draft once the data reads as a table, else the form again."""
    how, forms = request.form.get("how", "file"), {"file": FileForm(), "paste": PasteForm()}
    try:
        data, filename, pasted = _sent(how, forms)
        draft = imports.start(acting_user(), project.id, data, filename=filename,
                              pasted=pasted, dataset=dataset,
                              max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ImportProblem as problem:
        db.session.rollback()
        return _ways_in(project, dataset, forms, how=how, problem=problem), problem.status
    db.session.commit()
    return redirect(url_for(".preview", key=project.key, draft_id=draft.id))


def _sent(how: str, forms: dict[str, Any]) -> tuple[bytes, str, bool]:
    if how == "paste":
        return (forms["paste"].cells.data or "").encode("utf-8"), "", True
    if how == "grid":
        from .forms import grid_from

        return imports.grid_bytes(*grid_from(request.form)), "", True
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ImportProblem("Choose a file to upload.", column="file")
    return upload.read(), upload.filename, False


def _ways_in(project: Project, dataset: Dataset | None, forms: dict[str, Any] | None = None,
             how: str = "file", problem: ImportProblem | None = None) -> str:
    from .forms import GRID_HEADERS, GRID_ROWS, grid_from

    forms = forms or {"file": FileForm(), "paste": PasteForm()}
    headers, cells = grid_from(request.form) if how == "grid" else (list(GRID_HEADERS), [])
    rows = max(len(cells), GRID_ROWS) + (15 if request.args.get("more") else 0)
    return render_template("datasets/new.html", project=project, dataset=dataset, how=how,
                           problem=problem, grid_headers=headers, grid_cells=cells,
                           grid_rows=rows, **forms)


@bp.route("/<key>/datasets/new", methods=["GET", "POST"])
@guard(access.EDIT)
def new(project: Project) -> Response | str | tuple[str, int]:
    if request.method == "POST":
        return _upload(project, None)
    return _ways_in(project, None)


@bp.route("/<key>/datasets/<int:dataset_id>/append", methods=["GET", "POST"])
@guard(access.EDIT_DATASET)
def append(project: Project, dataset: Dataset) -> Response | str | tuple[str, int]:
    if request.method == "POST":
        return _upload(project, dataset)
    return _ways_in(project, dataset)


@bp.route("/<key>/datasets/imports/<int:draft_id>", methods=["GET", "POST"])
@guard(access.DRAFT)
def preview(project: Project, draft: ImportDraft) -> Response | tuple[str, int]:
    form = PreviewForm() if request.method == "POST" else PreviewForm(formdata=None)
    kind = draft.dataset.kind if draft.dataset else form.kind.data or "continuous"
    kind = kind if kind in pages.KIND_LABELS else "continuous"
    view = pages.read_preview(draft, form, kind)
    if request.method == "GET" or request.form.get("action") == "refresh":
        pages.suggest(form, view, draft)
        if draft.dataset:
            form.current.data = str(draft.dataset.current)
    elif form.validate():
        try:
            dataset = imports.confirm(acting_user(), draft, form.choices(kind=kind),
                                      expected=version_from(form.current.data))
        except (ImportProblem, DomainError) as exc:
            db.session.rollback()
            pages.refused(view, form, exc)
        else:
            db.session.commit()
            flash(f"Saved '{dataset.name}': version {dataset.current}, "
                  f"{services.get_version(dataset).rows} rows.", "success")
            return redirect(url_for(".show", key=project.key, dataset_id=dataset.id))
    status = view.problem.status if view.problem is not None else (
        422 if form.errors else 200)
    return render_template("datasets/preview.html",
                           **pages.preview_context(project, draft, form, view, kind)), status


@bp.get("/<key>/datasets/<int:dataset_id>")
@guard(access.VIEW_DATASET)
def show(project: Project, dataset: Dataset) -> str:
    return render_template("datasets/show.html", **pages.show_context(
        acting_user(), project, dataset, _page_number()))


@bp.get("/<key>/datasets/<int:dataset_id>/versions/<int:number>")
@guard(access.VIEW_DATASET)
def version(project: Project, dataset: Dataset, number: int) -> str:
    found = services.get_version(dataset, number)
    return render_template("datasets/version.html", **pages.rows_context(
        acting_user(), project, dataset, found, _page_number()))


@bp.get("/<key>/datasets/<int:dataset_id>/rows.csv")
@guard(access.VIEW_DATASET)
def download(project: Project, dataset: Dataset) -> Response:
    number = version_from(request.args.get("version")) or dataset.current
    response = make_response(export.to_csv(services.load(dataset, number)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{pages.csv_filename(dataset, number)}"'
    return response


def _editor(project: Project, dataset: Dataset) -> inline.Inline:
    return pages.editor(dataset, project,
                        permissions.can_edit_project(acting_user(), project))


@bp.get("/<key>/datasets/<int:dataset_id>/details/<field>")
@guard(access.VIEW_DATASET)
def detail(project: Project, dataset: Dataset, field: str) -> Response:
    return inline.show(_editor(project, dataset), details_form(dataset), field)


@bp.get("/<key>/datasets/<int:dataset_id>/details/<field>/edit")
@guard(access.EDIT_DATASET)
def detail_edit(project: Project, dataset: Dataset, field: str) -> Response:
    return inline.edit(_editor(project, dataset), details_form(dataset), field)


@bp.post("/<key>/datasets/<int:dataset_id>/details/<field>")
@guard(access.EDIT_DATASET)
def detail_save(project: Project, dataset: Dataset, field: str) -> Response:
    editor, user = _editor(project, dataset), acting_user()
    field = editor.check(field)
    form = details_form(dataset, {field: request.form.get(field, ""),
                                  "csrf_token": request.form.get("csrf_token", "")})
    return inline.save(
        editor, form, field, version_from(request.form.get("version")),
        store=lambda expected: services.update_details(user, dataset, form.values((field,)),
                                                       expected),
        reload=lambda: (_editor(project, dataset), details_form(dataset)))


@bp.get("/<key>/datasets/<int:dataset_id>/points/<int:n>")
@guard(access.VIEW_DATASET)
def point(project: Project, dataset: Dataset, n: int) -> str:
    return render_template("datasets/point.html",
                           **pages.point_context(project, dataset, n, acting_user()))


def _point_refused(project: Project, dataset: Dataset, n: int, exc: Exception,
                   **forms: Any) -> tuple[str, int]:
    db.session.rollback()
    context = pages.point_context(project, dataset, n, acting_user(), problem=exc, **forms)
    return render_template("datasets/point.html", **context), getattr(exc, "status", 422)


@bp.post("/<key>/datasets/<int:dataset_id>/points/<int:n>")
@guard(access.EDIT_DATASET)
def point_save(project: Project, dataset: Dataset, n: int) -> Response | tuple[str, int]:
    form = PointForm()
    columns = pages.point_context(project, dataset, n, acting_user())["columns"]
    try:
        if not form.validate():
            raise DomainError("Keep each cell to 200 characters.")
        services.edit_point(acting_user(), dataset, n - 1,
                            {c: form[c].data or "" for c in columns},
                            expected=version_from(form.current.data))
    except (ImportProblem, DomainError) as exc:
        return _point_refused(project, dataset, n, exc, form=form)
    db.session.commit()
    flash(f"Point {n} saved as version {dataset.current}.", "success")
    return redirect(url_for(".point", key=project.key, dataset_id=dataset.id, n=n))


@bp.post("/<key>/datasets/<int:dataset_id>/points/<int:n>/exclusion")
@guard(access.EDIT_DATASET)
def point_exclude(project: Project, dataset: Dataset, n: int) -> Response | tuple[str, int]:
    form = ExcludeForm()
    exclude = request.form.get("action", "exclude") != "include"
    try:
        services.exclude_point(acting_user(), dataset, n - 1, form.reason.data or "",
                               exclude=exclude, expected=version_from(form.current.data))
    except DomainError as exc:
        return _point_refused(project, dataset, n, exc, exclude=form)
    db.session.commit()
    flash(f"Point {n} {'excluded' if exclude else 'included again'} "
          f"(version {dataset.current}).", "success")
    return redirect(url_for(".point", key=project.key, dataset_id=dataset.id, n=n))
