"""Analysis pages of a data set: control chart, capability, before/after, Pareto, Gage R&R;
saving one as a record; the project's records, each re-run on demand."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..core.htmx import page_or_fragment
from ..datasets import access as ds_access
from ..datasets.models import Dataset
from ..extensions import db
from ..projects import access as project_access
from ..projects import permissions
from ..projects.models import Project
from . import pages, services

bp = Blueprint("analyses", __name__, url_prefix="/projects")
VIEW = ds_access.VIEW_DATASET


def _show(name: str, project: Project, dataset: Dataset, context: dict[str, Any]) -> Response:
    context |= {"project": project, "dataset": dataset, "analysis": name,
                "tabs": pages.tabs(dataset),
                "can_save": permissions.can_edit_project(acting_user(), project)}
    # Drawings join the shared chart cache now, before the page is rendered: on SQLite the
    # cache's INSERT holds the database's one write lock until the commit, and under load
    # the other writers waited out the rendering too (the objects reload on first use).
    db.session.commit()
    return page_or_fragment(f"analyses/{name}.html", f"analyses/_{name}.html", **context)


def _refused(name: str, project: Project, dataset: Dataset, exc: DomainError) -> Response:
    db.session.rollback()
    context = {"project": project, "dataset": dataset, "analysis": name, "problem": exc,
               "args": request.args, "can_save": False, "tabs": pages.tabs(dataset)}
    return page_or_fragment(f"analyses/{name}.html", f"analyses/_{name}.html", exc.status,
                            **context)


def _analysis(name: str, build: Any, project: Project, dataset: Dataset) -> Response:
    try:
        context = build(project, dataset, request.args)
    except DomainError as exc:
        return _refused(name, project, dataset, exc)
    return _show(name, project, dataset, context)


@bp.get("/<key>/datasets/<int:dataset_id>/chart")
@guard(VIEW)
def chart(project: Project, dataset: Dataset) -> Response:
    return _analysis("chart", pages.chart_context, project, dataset)


@bp.get("/<key>/datasets/<int:dataset_id>/capability")
@guard(VIEW)
def capability(project: Project, dataset: Dataset) -> Response:
    return _analysis("capability", pages.capability_context, project, dataset)


@bp.get("/<key>/datasets/<int:dataset_id>/comparison")
@guard(VIEW)
def comparison(project: Project, dataset: Dataset) -> Response:
    return _analysis("comparison", pages.comparison_context, project, dataset)


@bp.get("/<key>/datasets/<int:dataset_id>/pareto")
@guard(VIEW)
def pareto(project: Project, dataset: Dataset) -> Response:
    return _analysis("pareto", lambda p, d, _: pages.summary_context(p, d, "pareto"),
                     project, dataset)


@bp.get("/<key>/datasets/<int:dataset_id>/gage")
@guard(VIEW)
def gage(project: Project, dataset: Dataset) -> Response:
    return _analysis("gage", lambda p, d, _: pages.summary_context(p, d, "gage"),
                     project, dataset)


@bp.post("/<key>/analyses")
@guard(project_access.EDIT)
def save(project: Project) -> Response:
    form = request.form
    sources = [services.source(project, form.get("dataset"), form.get("version"),
                               form.get("stage"))]
    if form.get("analysis") == "comparison":
        sources.append(services.source(project, form.get("after"), form.get("after_version"),
                                       form.get("after_stage")))
    record = services.save_record(acting_user(), project, form.get("analysis", ""), sources,
                                  pages.parse_options(form.get("options", "")),
                                  form.get("title", ""))
    db.session.commit()
    return redirect(url_for("analyses.record", key=project.key, record_id=record.id))


@bp.get("/<key>/analyses")
@guard(project_access.VIEW)
def records(project: Project) -> str:
    return render_template("analyses/records.html", project=project,
                           records=services.project_records(project))


@bp.get("/<key>/analyses/<int:record_id>")
@guard(project_access.VIEW)
def record(project: Project, record_id: int) -> str:
    context = pages.record_context(project, record_id, rerun=True)  # opening one re-runs it
    return render_template("analyses/record.html", project=project, **context)
