"""Fishbone pages: the diagram with its causes edited in place, and its SVG and PNG.
Every change answers with the fishbone's fragment (htmx) or a redirect to its page; a
refusal shows the fishbone again with the message and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import make_response, redirect, request, url_for
from werkzeug.wrappers import Response

from ..charts.svg import to_png, to_svg
from ..core.access import acting_user, guard
from ..core.errors import DomainError, NotFound
from ..core.htmx import page_or_fragment, wants_fragment
from ..extensions import db
from ..projects.models import Project
from . import access, drawing, fishbone, pages
from .models import Cause, CauseCategory, Fishbone
from .routes import bp


def _bone(project: Project) -> Fishbone:
    bone = fishbone.find(project.id)
    if bone is None:
        raise NotFound(f"{project.key} has no fishbone yet: start one first.")
    return bone


def _page(project: Project, status: int = 200, **extra: Any) -> Response:
    return page_or_fragment("rootcause/fishbone.html", "rootcause/_fishbone.html", status,
                            **pages.fishbone_context(acting_user(), project, **extra))


def change_fishbone(project: Project, change: Callable[[], Any]) -> Response:
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return _page(project, exc.status, problem=exc, typed=request.form)
    db.session.commit()
    if wants_fragment():
        return _page(project)
    return redirect(url_for(".fishbone", key=project.key))


@bp.get("/<key>/fishbone", endpoint="fishbone")
@guard(access.VIEW)
def fishbone_page(project: Project) -> Response:
    return _page(project)


def _download(project: Project, kind: str) -> Response:
    fig = drawing.figure_of(fishbone.find(project.id))
    body = to_svg(fig) if kind == "svg" else to_png(fig)
    response = make_response(body)
    response.headers["Content-Type"] = "image/svg+xml" if kind == "svg" else "image/png"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{project.key}-fishbone.{kind}"'
    return response


@bp.get("/<key>/fishbone.svg")
@guard(access.VIEW)
def fishbone_svg(project: Project) -> Response:
    return _download(project, "svg")


@bp.get("/<key>/fishbone.png")
@guard(access.VIEW)
def fishbone_png(project: Project) -> Response:
    return _download(project, "png")


@bp.post("/<key>/fishbone")
@guard(access.EDIT)
def fishbone_start(project: Project) -> Response:
    return change_fishbone(project, lambda: fishbone.get_or_create(project.id))


@bp.post("/<key>/fishbone/effect")
@guard(access.EDIT)
def effect(project: Project) -> Response:
    return change_fishbone(project, lambda: fishbone.set_effect(
        acting_user(), _bone(project), request.form.get("effect"), pages.version_sent()))


@bp.post("/<key>/fishbone/categories")
@guard(access.EDIT)
def category_add(project: Project) -> Response:
    return change_fishbone(project, lambda: fishbone.add_category(
        acting_user(), _bone(project), request.form.get("name")))


@bp.post("/<key>/fishbone/categories/<int:category_id>")
@guard(access.EDIT_CATEGORY)
def category_rename(project: Project, category: CauseCategory) -> Response:
    return change_fishbone(project, lambda: fishbone.rename_category(
        acting_user(), category, request.form.get("name")))


@bp.post("/<key>/fishbone/categories/<int:category_id>/delete")
@guard(access.EDIT_CATEGORY)
def category_delete(project: Project, category: CauseCategory) -> Response:
    return change_fishbone(project, lambda: fishbone.delete_category(acting_user(), category))


@bp.post("/<key>/fishbone/causes")
@guard(access.EDIT)
def cause_add(project: Project) -> Response:
    return change_fishbone(project, lambda: fishbone.add_cause(
        acting_user(), _bone(project),
        pages.whole_or_none(request.form.get("category_id"), "category_id"),
        request.form.get("text"),
        pages.whole_or_none(request.form.get("parent_id"), "parent_id")))


@bp.post("/<key>/causes/<int:cause_id>")
@guard(access.EDIT_CAUSE)
def cause_save(project: Project, cause: Cause) -> Response:
    return change_fishbone(project, lambda: fishbone.update_cause(
        acting_user(), cause, request.form.get("text"), pages.version_sent()))


@bp.post("/<key>/causes/<int:cause_id>/status")
@guard(access.EDIT_CAUSE)
def cause_status(project: Project, cause: Cause) -> Response:
    return change_fishbone(project, lambda: fishbone.set_status(
        acting_user(), cause, request.form.get("status"), request.form.get("evidence"),
        pages.whole_or_none(request.form.get("record_id"), "record_id"),
        pages.version_sent()))


@bp.post("/<key>/causes/<int:cause_id>/vote")
@guard(access.EDIT_CAUSE)
def cause_vote(project: Project, cause: Cause) -> Response:
    step = -1 if request.form.get("step") == "down" else 1
    return change_fishbone(project, lambda: fishbone.vote(cause, step))


@bp.post("/<key>/causes/<int:cause_id>/delete")
@guard(access.EDIT_CAUSE)
def cause_delete(project: Project, cause: Cause) -> Response:
    return change_fishbone(project, lambda: fishbone.delete_cause(acting_user(), cause))
