"""The improve page of a project (countermeasures, actions, control plan, lessons) and
"my actions". Records are edited in place one field at a time (``editing``, three routes
per kind); adding and removing run one service through ``_change``: a redirect to the card,
or, when refused, the card again with the message beside the form and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError
from ..core.htmx import in_place
from ..extensions import db
from ..projects.models import Project
from . import access, editing, pages, services
from .forms import a_date, ids, whole
from .models import ActionItem, ControlPlanRow, Countermeasure

bp = Blueprint("improve", __name__)

CARDS = {"countermeasures": "improve/_countermeasures.html",
         "control-plan": "improve/_control_plan.html"}


@bp.get("/projects/<key>/improve")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("improve/index.html", **pages.index_context(acting_user(),
                                                                        project))


def _change(project: Project, change: Callable[[], Any], card: str,
            at: str | None = None) -> Response:
    """Run one service, commit, back to the page at ``at``; a refusal is the ``card`` with
    the message shown at ``at`` (a form's place) and what was typed."""
    at = at or card
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return in_place("improve/index.html", CARDS[card], f"#{card}", exc.status,
                        **pages.index_context(acting_user(), project, exc, at))
    db.session.commit()
    return redirect(url_for(".index", key=project.key) + f"#{at}")


@bp.post("/projects/<key>/countermeasures")
@guard(access.EDIT)
def countermeasure_create(project: Project) -> Response:
    return _change(project, lambda: services.create_countermeasure(
        acting_user(), project, request.form.get("title"),
        ids(request.form.getlist("root_cause_id"), "root cause"),
        request.form.get("description")), "countermeasures",
        "new-countermeasure")


@bp.post("/projects/<key>/countermeasures/<int:countermeasure_id>/delete")
@guard(access.EDIT_CM)
def countermeasure_delete(project: Project, countermeasure: Countermeasure) -> Response:
    return _change(project, lambda: services.delete_countermeasure(acting_user(),
                                                                   countermeasure),
                   "countermeasures")


@bp.post("/projects/<key>/countermeasures/<int:countermeasure_id>/actions")
@guard(access.EDIT_CM)
def action_create(project: Project, countermeasure: Countermeasure) -> Response:
    return _change(project, lambda: services.add_action(
        acting_user(), countermeasure, request.form.get("title"),
        whole(request.form.get("owner_id"), "owner"),
        a_date(request.form.get("due_date"), "due_date")), "countermeasures",
        f"actions-{countermeasure.id}")


@bp.post("/projects/<key>/actions/<int:action_id>/delete")
@guard(access.EDIT_ACTION)
def action_delete(project: Project, action: ActionItem) -> Response:
    cm_id = action.countermeasure_id
    return _change(project, lambda: services.delete_action(acting_user(), action),
                   "countermeasures", f"actions-{cm_id}")


@bp.post("/projects/<key>/control-plan")
@guard(access.EDIT)
def control_create(project: Project) -> Response:
    return _change(project, lambda: services.add_control_row(
        acting_user(), project, request.form.to_dict(),
        whole(request.form.get("dataset_id"), "data set"),
        whole(request.form.get("owner_id"), "owner")), "control-plan", "new-control")


@bp.post("/projects/<key>/control-plan/<int:control_id>/delete")
@guard(access.EDIT_CONTROL)
def control_delete(project: Project, control: ControlPlanRow) -> Response:
    return _change(project, lambda: services.delete_control_row(acting_user(), control),
                   "control-plan")


# --- In place: show a field, its form, save it (see ``editing`` and ``core.inline``) ---

CM_FIELD = "/projects/<key>/countermeasures/<int:countermeasure_id>/fields/<field>"


@bp.get(CM_FIELD)
@guard(access.VIEW_CM)
def countermeasure_field(project: Project, countermeasure: Countermeasure,
                         field: str) -> Response:
    return editing.show(editing.COUNTERMEASURE, project, countermeasure, field)


@bp.get(CM_FIELD + "/edit")
@guard(access.EDIT_CM)
def countermeasure_field_edit(project: Project, countermeasure: Countermeasure,
                              field: str) -> Response:
    return editing.edit(editing.COUNTERMEASURE, project, countermeasure, field)


@bp.post(CM_FIELD)
@guard(access.EDIT_CM)
def countermeasure_field_save(project: Project, countermeasure: Countermeasure,
                              field: str) -> Response:
    return editing.save(editing.COUNTERMEASURE, project, countermeasure, field)


ACTION_FIELD = "/projects/<key>/actions/<int:action_id>/fields/<field>"


@bp.get(ACTION_FIELD)
@guard(access.VIEW_ACTION)
def action_field(project: Project, action: ActionItem, field: str) -> Response:
    return editing.show(editing.ACTION, project, action, field)


@bp.get(ACTION_FIELD + "/edit")
@guard(access.EDIT_ACTION)
def action_field_edit(project: Project, action: ActionItem, field: str) -> Response:
    return editing.edit(editing.ACTION, project, action, field)


@bp.post(ACTION_FIELD)
@guard(access.EDIT_ACTION)
def action_field_save(project: Project, action: ActionItem, field: str) -> Response:
    return editing.save(editing.ACTION, project, action, field)


CONTROL_FIELD = "/projects/<key>/control-plan/<int:control_id>/fields/<field>"


@bp.get(CONTROL_FIELD)
@guard(access.VIEW_CONTROL)
def control_field(project: Project, control: ControlPlanRow, field: str) -> Response:
    return editing.show(editing.CONTROL, project, control, field)


@bp.get(CONTROL_FIELD + "/edit")
@guard(access.EDIT_CONTROL)
def control_field_edit(project: Project, control: ControlPlanRow, field: str) -> Response:
    return editing.edit(editing.CONTROL, project, control, field)


@bp.post(CONTROL_FIELD)
@guard(access.EDIT_CONTROL)
def control_field_save(project: Project, control: ControlPlanRow, field: str) -> Response:
    return editing.save(editing.CONTROL, project, control, field)


LESSONS_FIELD = "/projects/<key>/lessons/<field>"


@bp.get(LESSONS_FIELD)
@guard(access.VIEW)
def lessons_field(project: Project, field: str) -> Response:
    return editing.show(editing.LESSONS, project, services.lessons_of(project.id), field)


@bp.get(LESSONS_FIELD + "/edit")
@guard(access.EDIT)
def lessons_field_edit(project: Project, field: str) -> Response:
    return editing.edit(editing.LESSONS, project, services.lessons_of(project.id), field)


@bp.post(LESSONS_FIELD)
@guard(access.EDIT)
def lessons_field_save(project: Project, field: str) -> Response:
    return editing.save(editing.LESSONS, project, services.lessons_of(project.id), field)


@bp.get("/actions/mine")
@guard(SIGNED_IN)
def my_actions() -> str:
    return render_template("improve/mine.html", **pages.mine_context(acting_user()))
