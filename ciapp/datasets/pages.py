"""What the data set pages show, gathered in one place so the routes stay thin: the preview
of an upload with the person's choices, a data set with one page of its rows, one point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for

from ..auth.models import User
from ..core.errors import DomainError, NotFound
from ..core.forms import show_errors
from ..core.inline import Inline
from ..projects import permissions
from ..projects.models import Project
from . import building, export, imports, services, storage
from .forms import (
    INLINE_FIELDS,
    KIND_LABELS,
    ExcludeForm,
    PointForm,
    PreviewForm,
    default_name,
    details_form,
)
from .models import Dataset, DatasetVersion, ImportDraft
from .problems import ImportProblem, Problem

PER_PAGE = 50
# Pages of the analyses area, linked when that area is installed: endpoint, label, and the
# kinds of data each one takes.
ANALYSIS_LINKS = (
    ("analyses.chart", "Control chart", ("continuous", "defectives", "defects")),
    ("analyses.capability", "Capability", ("continuous",)),
    ("analyses.comparison", "Before / after", ("continuous", "defectives", "defects")),
    ("analyses.pareto", "Pareto", ("categories",)),
    ("analyses.gage", "Gage R&R", ("gage",)),
)


@dataclass
class Preview:
    """An upload as read, with the problems that stop it being saved."""

    preview: building.Preview | None
    sheets: tuple[str, ...]
    problems: list[Problem]
    problem: ImportProblem | DomainError | None = None

    @property
    def bad_columns(self) -> set[str]:
        return {p.column for p in self.problems if p.column}


def read_preview(draft: ImportDraft, form: PreviewForm, kind: str) -> Preview:
    sheet = form.sheet.data or None
    try:
        raw = imports.read_draft(draft, sheet)
    except ImportProblem as problem:
        return Preview(None, imports.sheet_names(imports.payload(draft)), problem.problems,
                       problem)
    preview = building.preview(raw, kind)
    return Preview(preview, preview.sheets, [])


def refused(view: Preview, form: PreviewForm, exc: ImportProblem | DomainError) -> None:
    """Put a refusal on the page: beside the form field it names, else in the list."""
    view.problem = exc
    if isinstance(exc, ImportProblem):
        view.problems = list(exc.problems)
        for p in exc.problems:
            field = p.column if p.column in ("kind", "subgroup_size") else None
            if field:
                form[field].errors = [*form[field].errors, p.message]
    else:
        show_errors(form, exc)


def preview_context(project: Project, draft: ImportDraft, form: PreviewForm,
                    view: Preview, kind: str) -> dict[str, Any]:
    headers = [c.header for c in view.preview.columns] if view.preview else []
    form.offer(headers, view.sheets, kind)
    return {"project": project, "draft": draft, "form": form, "view": view, "kind": kind,
            "dataset": draft.dataset, "KIND_LABELS": KIND_LABELS,
            "ROLE_LABELS": building.ROLE_LABELS, "REQUIRED": building.REQUIRED[kind]}


def suggest(form: PreviewForm, view: Preview, draft: ImportDraft) -> None:
    if view.preview is not None:
        form.suggest(view.preview.mapping, default_name(draft.filename))


def editor(dataset: Dataset, project: Project, can_edit: bool) -> Inline:
    return Inline(
        prefix="dataset", endpoint="datasets.detail",
        url_args={"key": project.key, "dataset_id": dataset.id}, fields=INLINE_FIELDS,
        version=dataset.version, version_class=f"version-dataset-{dataset.id}",
        can_edit=can_edit,
        back_url=url_for("datasets.show", key=project.key, dataset_id=dataset.id),
        back_label=dataset.name)


def rows_context(user: User, project: Project, dataset: Dataset, version: DatasetVersion,
                 page: int) -> dict[str, Any]:
    rows = export.page(storage.decode(version.payload), page, PER_PAGE)
    can_edit = permissions.can_edit_project(user, project)
    return {"project": project, "dataset": dataset, "version": version, "rows": rows,
            "can_edit": can_edit, "columns": [c for c in rows.columns
                                              if c not in storage.BOOKKEEPING],
            "COLUMN_LABELS": export.COLUMN_LABELS, "KIND_LABELS": KIND_LABELS}


def show_context(user: User, project: Project, dataset: Dataset, page: int) -> dict[str, Any]:
    context = rows_context(user, project, dataset, services.get_version(dataset), page)
    return {**context, "versions": services.versions(dataset),
            "history": services.dataset_history(dataset),
            "editor": editor(dataset, project, context["can_edit"]),
            "details": details_form(dataset), "analysis_links": analysis_links(project, dataset)}


def analysis_links(project: Project, dataset: Dataset) -> list[tuple[str, str]]:
    """Links to the analysis pages that exist in this installation."""
    links = []
    for endpoint, label, kinds in ANALYSIS_LINKS:
        if endpoint in current_app.view_functions and dataset.kind in kinds:
            try:
                links.append((label, url_for(endpoint, key=project.key, dataset_id=dataset.id)))
            except Exception:  # another URL shape than ours: no link rather than a 500
                continue
    return links


def point_forms(dataset: Dataset, row: dict[str, Any]) -> tuple[PointForm, ExcludeForm]:
    form = PointForm(formdata=None, data={k: _text(v) for k, v in row.items()
                                          if k in building.ROLES})
    form.current.data = str(dataset.current)
    exclude = ExcludeForm(formdata=None, data={"current": str(dataset.current)})
    return form, exclude


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M") \
            if (value.hour, value.minute, value.second) != (0, 0, 0) \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return repr(value) if not value.is_integer() or abs(value) >= 1e16 else str(int(value))
    return str(value)


def point_context(project: Project, dataset: Dataset, n: int, user: User,
                  form: PointForm | None = None, exclude: ExcludeForm | None = None,
                  problem: Exception | None = None) -> dict[str, Any]:
    table = services.load(dataset)
    row = export.point(table, n)
    if row is None:
        raise NotFound(f"Data set '{dataset.name}' has no point {n} (it has "
                                f"{table.num_rows}).")
    blank_form, blank_exclude = point_forms(dataset, row)
    columns = [c for c in table.column_names if c in building.ROLES]
    return {"project": project, "dataset": dataset, "n": n, "row": row, "total": table.num_rows,
            "columns": columns, "form": form or blank_form,
            "exclude": exclude or blank_exclude, "problem": problem,
            "can_edit": permissions.can_edit_project(user, project),
            "COLUMN_LABELS": export.COLUMN_LABELS, "text": _text}


def csv_filename(dataset: Dataset, number: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", dataset.name).strip("-") or "data"
    return f"{stem}-v{number}.csv"
