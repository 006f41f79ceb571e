"""The improve endpoints of /api/v1: countermeasures answering root causes, their action
items, the control plan, and the caller's own actions across projects. Each change runs the
service the pages run (``ciapp.improve.services``)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.wrappers import Response

from ..auth.models import User
from ..core.access import SIGNED_IN, acting_user, guard
from ..core.records import child_or_404
from ..core.validators import MAX_ID, parse_date
from ..core.versions import check_version
from ..extensions import db
from ..improve import access
from ..improve import services as improve
from ..improve.models import (
    ACTION_STATUSES,
    CM_STATUSES,
    ActionItem,
    ControlPlanRow,
    Countermeasure,
)
from ..projects import permissions
from ..projects.access import child_loader, on_child
from ..projects.models import Project
from .children import (
    changes,
    delete_version,
    editors,
    item,
    listing,
    naming,
    new_item,
    no_content,
    optional,
    whole,
)
from .children import text as text_spec
from .fields import FieldSpec
from .idempotency import idempotent
from .inputs import invalid
from .routes import bp
from .serializers import user_ref

VIEW = access.VIEW
EDIT = editors(access.EDIT, "countermeasures, actions and control plan")
VIEW_CM = on_child("view countermeasure", child_loader(Countermeasure), "countermeasure_id",
                   "countermeasure", permissions.can_view_project)
EDIT_CM = editors(access.EDIT_CM, "countermeasures")
VIEW_ACTION = on_child("view action", child_loader(ActionItem, what="Action"), "action_id",
                       "action", permissions.can_view_project)
EDIT_ACTION = editors(access.EDIT_ACTION, "actions")
VIEW_CONTROL = on_child("view control plan row",
                        child_loader(ControlPlanRow, what="Control plan row"), "control_id",
                        "control", permissions.can_view_project)
EDIT_CONTROL = editors(access.EDIT_CONTROL, "control plan")

TITLE = text_spec("title", "Title", improve.TEXT_MAX, required=True)
CM_NEW = {"title": TITLE,
          "description": text_spec("description", "Description", improve.TEXT_MAX),
          "root_cause_ids": FieldSpec("root_cause_ids", "Root causes it answers", ("array",)),
          "status": FieldSpec("status", "Status", ("string",), enum=tuple(CM_STATUSES))}
ACTION_NEW = {
    "countermeasure_id": whole("countermeasure_id", "Countermeasure", required=True),
    "title": TITLE,
    "owner_id": whole("owner_id", "Owner", required=True),
    "due_date": FieldSpec("due_date", "Due date", ("string",), required=True, format="date"),
    "status": FieldSpec("status", "Status", ("string",), enum=tuple(ACTION_STATUSES)),
}
LONG = ("sample_size", "frequency")
CONTROL_FIELDS: dict[str, FieldSpec] = {
    **{name: text_spec(name, label, 200 if name in LONG else improve.TEXT_MAX,
                       required=name in improve.CONTROL_REQUIRED)
       for name, label in improve.CONTROL_FIELDS.items()},
    "dataset_id": whole("dataset_id", "Data set the chart runs on", nullable=True),
    "owner_id": whole("owner_id", "Owner", nullable=True),
}


CM_EDIT = optional(CM_NEW)
ACTION_EDIT = optional({name: spec for name, spec in ACTION_NEW.items()
                        if name != "countermeasure_id"})
CONTROL_EDIT = optional(CONTROL_FIELDS)


def action_body(action: ActionItem, key: str) -> dict[str, Any]:
    return {"id": action.id, "project": key, "countermeasure_id": action.countermeasure_id,
            "title": action.title, "owner": user_ref(action.owner),
            "due_date": action.due_date.isoformat(), "status": action.status,
            "completed_on": action.completed_on.isoformat() if action.completed_on else None,
            "created_at": action.created_at.isoformat(),
            "overdue": action.is_overdue(improve.today()), "version": action.version,
            "links": {"self": url_for("api.get_action", key=key, action_id=action.id)}}


def cm_body(cm: Countermeasure, key: str) -> dict[str, Any]:
    return {"id": cm.id, "project": key, "title": cm.title, "description": cm.description,
            "status": cm.status,
            "root_causes": [{"id": r.id, "statement": r.statement, "found_by": r.found_by,
                             "verified": r.verified} for r in cm.root_causes],
            "actions": [action_body(a, key) for a in cm.actions],
            "created_at": cm.created_at.isoformat(), "version": cm.version,
            "links": {"self": url_for("api.get_countermeasure", key=key,
                                      countermeasure_id=cm.id)}}


def _ids(raw: list[Any] | None) -> list[int] | None:
    if raw is None:
        return None
    if not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID
               for i in raw):
        raise invalid({"root_cause_ids": ["Must be an array of root cause ids (whole "
                                          "numbers)."]})
    return sorted(set(raw))


@bp.get("/projects/<key>/countermeasures")
@guard(VIEW)
def list_countermeasures(project: Project) -> Response:
    return listing([cm_body(cm, project.key) for cm in improve.countermeasures(project.id)])


@bp.post("/projects/<key>/countermeasures")
@guard(EDIT)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_countermeasure(project: Project) -> Response:
    data = new_item(CM_NEW)
    with naming("root_cause_ids"):
        cm = improve.create_countermeasure(acting_user(), project, data["title"],
                                           _ids(data.get("root_cause_ids")) or [],
                                           data.get("description"))
    if data.get("status", cm.status) != cm.status:
        improve.update_countermeasure(acting_user(), cm, data["status"], None, None)
    return item(cm_body(cm, project.key), 201, location=url_for(
        ".get_countermeasure", key=project.key, countermeasure_id=cm.id))


@bp.get("/projects/<key>/countermeasures/<int:countermeasure_id>")
@guard(VIEW_CM)
def get_countermeasure(project: Project, countermeasure: Countermeasure) -> Response:
    return item(cm_body(countermeasure, project.key))


@bp.patch("/projects/<key>/countermeasures/<int:countermeasure_id>")
@guard(EDIT_CM)
def update_countermeasure(project: Project, countermeasure: Countermeasure) -> Response:
    found, version = changes(CM_EDIT)
    with naming("root_cause_ids"):
        improve.update_countermeasure(acting_user(), countermeasure,
                                      found.get("status", countermeasure.status),
                                      _ids(found.get("root_cause_ids")), version,
                                      title=found.get("title"),
                                      description=found.get("description"))
    db.session.commit()
    return item(cm_body(countermeasure, project.key))


@bp.delete("/projects/<key>/countermeasures/<int:countermeasure_id>")
@guard(EDIT_CM)
def delete_countermeasure(project: Project, countermeasure: Countermeasure) -> Response:
    check_version(countermeasure, delete_version(), "The countermeasure")
    improve.delete_countermeasure(acting_user(), countermeasure)
    db.session.commit()
    return no_content()


# --- actions --------------------------------------------------------------------------

def _dated(data: dict[str, Any]) -> dict[str, Any]:
    """``due_date`` as a date (its text was checked with the body)."""
    return data | ({"due_date": parse_date(data["due_date"])} if "due_date" in data else {})


@bp.get("/projects/<key>/actions")
@guard(VIEW)
def list_actions(project: Project) -> Response:
    return listing([action_body(a, project.key) for cm in improve.countermeasures(project.id)
                    for a in cm.actions])


@bp.post("/projects/<key>/actions")
@guard(EDIT)
@idempotent
def create_action(project: Project) -> Response:
    data = _dated(new_item(ACTION_NEW))
    with naming("countermeasure_id"):
        cm = child_or_404(Countermeasure, data["countermeasure_id"], project.id,
                          within=f" in {project.key}")
    with naming("owner_id"):
        action = improve.add_action(acting_user(), cm, data["title"], data["owner_id"],
                                    data["due_date"])
    if data.get("status", action.status) != action.status:
        improve.set_action_status(acting_user(), action, data["status"], None)
    return item(action_body(action, project.key), 201,
                location=url_for(".get_action", key=project.key, action_id=action.id))


@bp.get("/projects/<key>/actions/<int:action_id>")
@guard(VIEW_ACTION)
def get_action(project: Project, action: ActionItem) -> Response:
    return item(action_body(action, project.key))


@bp.patch("/projects/<key>/actions/<int:action_id>")
@guard(EDIT_ACTION)
def update_action(project: Project, action: ActionItem) -> Response:
    found, version = changes(ACTION_EDIT)
    with naming("owner_id"):
        improve.edit_action(acting_user(), action, _dated(found), version)
    db.session.commit()
    return item(action_body(action, project.key))


@bp.delete("/projects/<key>/actions/<int:action_id>")
@guard(EDIT_ACTION)
def delete_action(project: Project, action: ActionItem) -> Response:
    check_version(action, delete_version(), "The action")
    improve.delete_action(acting_user(), action)
    db.session.commit()
    return no_content()


@bp.get("/me/actions")
@guard(SIGNED_IN)
def my_actions() -> Response:
    """The caller's open actions in every project, overdue first, then by due date."""
    user: User = acting_user()  # type: ignore[assignment]
    bodies = [action_body(action, improve.project_key(action.project_id))
              for action in improve.my_open_actions(user)]
    return listing(bodies, overdue=sum(1 for b in bodies if b["overdue"]))


# --- control plan ---------------------------------------------------------------------

def control_body(row: ControlPlanRow, key: str) -> dict[str, Any]:
    return {"id": row.id, **{name: getattr(row, name) for name in improve.CONTROL_FIELDS},
            "dataset_id": row.dataset_id, "owner": user_ref(row.owner),
            "version": row.version,
            "links": {"self": url_for("api.get_control_row", key=key, control_id=row.id)}}


@bp.get("/projects/<key>/control-plan")
@guard(VIEW)
def list_control_plan(project: Project) -> Response:
    return listing([control_body(r, project.key) for r in improve.control_rows(project.id)])


@bp.post("/projects/<key>/control-plan")
@guard(EDIT)
@idempotent
def create_control_row(project: Project) -> Response:
    data = new_item(CONTROL_FIELDS)
    row = improve.add_control_row(acting_user(), project, data, data.get("dataset_id"),
                                  data.get("owner_id"))
    return item(control_body(row, project.key), 201,
                location=url_for(".get_control_row", key=project.key, control_id=row.id))


@bp.get("/projects/<key>/control-plan/<int:control_id>")
@guard(VIEW_CONTROL)
def get_control_row(project: Project, control: ControlPlanRow) -> Response:
    return item(control_body(control, project.key))


@bp.patch("/projects/<key>/control-plan/<int:control_id>")
@guard(EDIT_CONTROL)
def update_control_row(project: Project, control: ControlPlanRow) -> Response:
    found, version = changes(CONTROL_EDIT)
    values = {name: getattr(control, name) for name in CONTROL_FIELDS} | found
    improve.update_control_row(acting_user(), control, values, values["dataset_id"],
                               values["owner_id"], version)
    db.session.commit()
    return item(control_body(control, project.key))


@bp.delete("/projects/<key>/control-plan/<int:control_id>")
@guard(EDIT_CONTROL)
def delete_control_row(project: Project, control: ControlPlanRow) -> Response:
    check_version(control, delete_version(), "The control plan row")
    improve.delete_control_row(acting_user(), control)
    db.session.commit()
    return no_content()
