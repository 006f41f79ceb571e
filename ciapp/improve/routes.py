"""The improve page of a project (countermeasures, actions, control plan, lessons) and
"my actions". Each change runs one service and redirects to the page; a refusal shows the
page again with the message and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError
from ..extensions import db
from ..projects.models import Project
from . import access, pages, services
from .forms import a_date, ids, whole
from .models import ActionItem, ControlPlanRow, Countermeasure

bp = Blueprint("improve", __name__)


@bp.get("/projects/<key>/improve")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("improve/index.html", **pages.index_context(acting_user(),
                                                                        project))


def _change(project: Project, change: Callable[[], Any], anchor: str) -> Response | Any:
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return render_template("improve/index.html", **pages.index_context(
            acting_user(), project, problem=exc)), exc.status
    db.session.commit()
    return redirect(url_for(".index", key=project.key) + anchor)


@bp.post("/projects/<key>/countermeasures")
@guard(access.EDIT)
def countermeasure_create(project: Project) -> Response:
    return _change(project, lambda: services.create_countermeasure(
        acting_user(), project, request.form.get("title"),
        ids(request.form.getlist("root_cause_id"), "root cause")), "#countermeasures")


@bp.post("/projects/<key>/countermeasures/<int:countermeasure_id>")
@guard(access.EDIT_CM)
def countermeasure_save(project: Project, countermeasure: Countermeasure) -> Response:
    return _change(project, lambda: services.update_countermeasure(
        acting_user(), countermeasure, request.form.get("status"),
        ids(request.form.getlist("root_cause_id"), "root cause"),
        whole(request.form.get("version"), "version")), "#countermeasures")


@bp.post("/projects/<key>/countermeasures/<int:countermeasure_id>/actions")
@guard(access.EDIT_CM)
def action_create(project: Project, countermeasure: Countermeasure) -> Response:
    return _change(project, lambda: services.add_action(
        acting_user(), countermeasure, request.form.get("title"),
        whole(request.form.get("owner_id"), "owner"),
        a_date(request.form.get("due_date"), "due_date")), "#actions")


@bp.post("/projects/<key>/actions/<int:action_id>")
@guard(access.EDIT_ACTION)
def action_save(project: Project, action: ActionItem) -> Response:
    return _change(project, lambda: services.update_action(
        acting_user(), action, request.form.get("title"),
        whole(request.form.get("owner_id"), "owner"),
        a_date(request.form.get("due_date"), "due_date"),
        whole(request.form.get("version"), "version")), "#actions")


@bp.post("/projects/<key>/actions/<int:action_id>/status")
@guard(access.EDIT_ACTION)
def action_status(project: Project, action: ActionItem) -> Response:
    return _change(project, lambda: services.set_action_status(
        acting_user(), action, request.form.get("status"),
        whole(request.form.get("version"), "version")), "#actions")


@bp.post("/projects/<key>/control-plan")
@guard(access.EDIT)
def control_create(project: Project) -> Response:
    return _change(project, lambda: services.add_control_row(
        acting_user(), project, request.form.to_dict(),
        whole(request.form.get("dataset_id"), "data set"),
        whole(request.form.get("owner_id"), "owner")), "#control-plan")


@bp.post("/projects/<key>/control-plan/<int:control_id>/delete")
@guard(access.EDIT_CONTROL)
def control_delete(project: Project, control: ControlPlanRow) -> Response:
    return _change(project, lambda: services.delete_control_row(acting_user(), control),
                   "#control-plan")


@bp.post("/projects/<key>/lessons")
@guard(access.EDIT)
def lessons(project: Project) -> Response:
    return _change(project, lambda: services.save_lessons(
        acting_user(), project, request.form.get("text")), "#lessons")


@bp.get("/actions/mine")
@guard(SIGNED_IN)
def my_actions() -> str:
    return render_template("improve/mine.html", **pages.mine_context(acting_user()))
