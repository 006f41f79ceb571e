"""Countermeasures, action items, control plan rows and lessons: the rules. Services
flush, never commit; the route commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from ..audit.services import record
from ..auth.models import User
from ..core.errors import DomainError
from ..core.records import child_or_404, get_or_404
from ..core.time import utcnow
from ..core.versions import check_version
from ..datasets.models import Dataset
from ..extensions import db
from ..notifications.services import notify
from ..projects.models import Project
from ..rootcause.models import RootCause
from .models import (
    ACTION_STATUSES,
    CM_STATUSES,
    ActionItem,
    ControlPlanRow,
    Countermeasure,
    Lessons,
)

TEXT_MAX = 2000


def today() -> date:
    return utcnow().date()


def _text(value: str | None, field: str, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{label} is required.", field=field)
    if len(text) > TEXT_MAX:
        raise DomainError(f"{label} is longer than {TEXT_MAX} characters.", field=field)
    return text


def countermeasures(project_id: int) -> list[Countermeasure]:
    return list(db.session.scalars(select(Countermeasure).where(
        Countermeasure.project_id == project_id).order_by(Countermeasure.id)))


def root_causes(project_id: int) -> list[RootCause]:
    return list(db.session.scalars(select(RootCause).where(
        RootCause.project_id == project_id).order_by(RootCause.id)))


def _causes(project_id: int, ids: list[int]) -> list[RootCause]:
    return [child_or_404(RootCause, i, project_id, what="Root cause") for i in ids]


def create_countermeasure(actor: User, project: Project, title: str | None,
                          root_cause_ids: list[int], description: str | None = None
                          ) -> Countermeasure:
    cm = Countermeasure(project_id=project.id,
                        title=_text(title, "title", "The countermeasure"),
                        description=_text(description, "description", "The description",
                                          required=False),
                        root_causes=_causes(project.id, root_cause_ids))
    db.session.add(cm)
    db.session.flush()
    record(actor, "create", "countermeasure", cm.id, project_id=project.id,
           summary=f"Countermeasure '{cm.title}'")
    return cm


def update_countermeasure(actor: User, cm: Countermeasure, status: str | None,
                          root_cause_ids: list[int] | None, version: int | None,
                          title: str | None = None, description: str | None = None) -> None:
    """``title`` or ``description`` None keeps it as it is."""
    check_version(cm, version, "The countermeasure")
    if status not in CM_STATUSES:
        raise DomainError("Status must be one of: " + ", ".join(CM_STATUSES) + ".",
                          field="status")
    text = cm.title if title is None else _text(title, "title", "The countermeasure")
    about = (cm.description if description is None else
             _text(description, "description", "The description", required=False))
    changes = {k: [getattr(cm, k), v] for k, v in
               (("status", status), ("title", text), ("description", about))
               if getattr(cm, k) != v}
    cm.status, cm.title, cm.description = status, text, about
    if root_cause_ids is not None:
        before = sorted(r.id for r in cm.root_causes)
        cm.root_causes = _causes(cm.project_id, root_cause_ids)
        if before != sorted(set(root_cause_ids)):
            changes["root_causes"] = [before, sorted(set(root_cause_ids))]
            # The link table has no version: touch the row so its version moves on too,
            # and an editor holding the old set of causes gets a 409.
            flag_modified(cm, "title")
    db.session.flush()
    record(actor, "update", "countermeasure", cm.id, project_id=cm.project_id,
           summary=f"Countermeasure '{cm.title}'", changes=changes)


def delete_countermeasure(actor: User, cm: Countermeasure) -> None:
    """Remove a countermeasure with its actions (they were steps towards it)."""
    record(actor, "delete", "countermeasure", cm.id, project_id=cm.project_id,
           summary=f"Countermeasure '{cm.title}' and its {len(cm.actions)} action(s)")
    db.session.delete(cm)
    db.session.flush()


def _owner(owner_id: int | None) -> User:
    if owner_id is None:
        raise DomainError("Choose who owns the action.", field="owner_id")
    owner = get_or_404(User, owner_id, what="User")
    if not owner.active:
        raise DomainError(f"{owner.name} is no longer active; choose another owner.",
                          field="owner_id")
    return owner


def _due(due: date | None, created: date) -> date:
    if due is None:
        raise DomainError("The due date is required (YYYY-MM-DD).", field="due_date")
    if due < created:
        raise DomainError(f"The due date {due.isoformat()} is before the action was created "
                          f"({created.isoformat()}): an action cannot be due before it "
                          "is created.", field="due_date")
    return due


def _tell_owner(action: ActionItem, owner: User) -> None:
    project = db.session.get(Project, action.project_id)
    key = project.key if project is not None else ""
    notify([owner], f"{key}: you own the action '{action.title}', due "
           f"{action.due_date.isoformat()}.", project_id=action.project_id)


def add_action(actor: User, cm: Countermeasure, title: str | None, owner_id: int | None,
               due: date | None) -> ActionItem:
    text = _text(title, "title", "The action")
    owner = _owner(owner_id)
    due = _due(due, today())
    action = ActionItem(project_id=cm.project_id, countermeasure=cm, title=text,
                        owner_id=owner.id, due_date=due)
    db.session.add(action)
    db.session.flush()
    _tell_owner(action, owner)
    record(actor, "create", "action", action.id, project_id=cm.project_id,
           summary=f"Action '{text}' for {owner.name}, due {due.isoformat()}")
    return action


def update_action(actor: User, action: ActionItem, title: str | None,
                  owner_id: int | None, due: date | None, version: int | None) -> None:
    """Change what, who and when; a new owner is told, and a new due date clears the
    overdue reminder so a later slip is reminded again."""
    check_version(action, version, "The action")
    text = _text(title, "title", "The action")
    owner = _owner(owner_id)
    due = _due(due, action.created_at.date())
    changes = {k: [getattr(action, k), v] for k, v in
               (("title", text), ("owner_id", owner.id), ("due_date", due))
               if getattr(action, k) != v}
    new_owner = owner.id != action.owner_id
    if due != action.due_date:
        action.reminded_at = None
    action.title, action.owner_id, action.due_date = text, owner.id, due
    db.session.flush()
    if new_owner:
        _tell_owner(action, owner)
    record(actor, "update", "action", action.id, project_id=action.project_id,
           summary=f"Action '{text}'", changes=changes)


def set_action_status(actor: User, action: ActionItem, status: str | None,
                      version: int | None) -> None:
    check_version(action, version, "The action")
    if status not in ACTION_STATUSES:
        raise DomainError("Status must be one of: " + ", ".join(ACTION_STATUSES) + ".",
                          field="status")
    before = action.status
    action.status = status
    action.completed_on = today() if status == "done" else None
    db.session.flush()
    record(actor, "update", "action", action.id, project_id=action.project_id,
           summary=f"Action '{action.title}'", changes={"status": [before, status]})


def edit_action(actor: User, action: ActionItem, changes: dict[str, Any],
                version: int | None) -> None:
    """Change any of title, owner_id, due_date and status in one step, checked once against
    ``version``; what is not in ``changes`` keeps its value."""
    if changes.keys() & {"title", "owner_id", "due_date"}:
        update_action(actor, action, changes.get("title", action.title),
                      changes.get("owner_id", action.owner_id),
                      changes.get("due_date", action.due_date), version)
        version = None  # checked; the save above moved the version on
    if "status" in changes and changes["status"] == action.status:
        check_version(action, version, "The action")  # the completion date stays
    elif "status" in changes:
        set_action_status(actor, action, changes["status"], version)


def delete_action(actor: User, action: ActionItem) -> None:
    record(actor, "delete", "action", action.id, project_id=action.project_id,
           summary=f"Action '{action.title}'")
    action.countermeasure.actions.remove(action)
    db.session.flush()


def project_key(project_id: int) -> str:
    project = db.session.get(Project, project_id)  # from the session's map after the first
    return project.key if project is not None else ""


def my_open_actions(user: User) -> list[ActionItem]:
    """The user's open actions across projects, overdue first, then by due date."""
    rows = list(db.session.scalars(select(ActionItem).where(
        ActionItem.owner_id == user.id, ActionItem.status != "done")))
    now = today()
    return sorted(rows, key=lambda a: (not a.is_overdue(now), a.due_date, a.id))


def remind_overdue(now: datetime | None = None) -> int:
    """Notify each owner once per action that fell overdue; returns how many were sent."""
    moment = now or utcnow()
    rows = db.session.scalars(select(ActionItem).where(
        ActionItem.status != "done", ActionItem.due_date < moment.date(),
        ActionItem.reminded_at.is_(None)).order_by(ActionItem.id))
    sent = 0
    for action in rows:
        project = db.session.get(Project, action.project_id)
        key = project.key if project is not None else ""
        notify([action.owner], f"{key}: the action '{action.title}' was due "
               f"{action.due_date.isoformat()} and is overdue.", project_id=action.project_id)
        action.reminded_at = moment
        sent += 1
    db.session.flush()
    return sent


CONTROL_FIELDS = {"process_step": "The process step", "characteristic": "The characteristic",
                  "specification": "The specification", "measurement": "The measurement method",
                  "sample_size": "The sample size", "frequency": "The frequency",
                  "control_method": "The control method", "reaction_plan": "The reaction plan"}
CONTROL_REQUIRED = {"process_step", "characteristic", "reaction_plan"}


def _control_fields(values: dict[str, str | None]) -> dict[str, str]:
    fields = {name: _text(values.get(name), name, label, required=name in CONTROL_REQUIRED)
              for name, label in CONTROL_FIELDS.items()}
    for name in ("sample_size", "frequency"):
        if len(fields[name]) > 200:
            raise DomainError(f"{CONTROL_FIELDS[name]} is longer than 200 characters.",
                              field=name)
    return fields


def _control_refs(project: Project | None, dataset_id: int | None,
                  owner_id: int | None) -> None:
    assert project is not None
    if dataset_id is not None:
        child_or_404(Dataset, dataset_id, project.id, what="Data set",
                     within=f" in {project.key}")
    if owner_id is not None:
        get_or_404(User, owner_id, what="User")


def add_control_row(actor: User, project: Project, values: dict[str, str | None],
                    dataset_id: int | None, owner_id: int | None) -> ControlPlanRow:
    fields = _control_fields(values)
    _control_refs(project, dataset_id, owner_id)
    row = ControlPlanRow(project_id=project.id, dataset_id=dataset_id, owner_id=owner_id,
                         **fields)
    db.session.add(row)
    db.session.flush()
    record(actor, "create", "control_plan_row", row.id, project_id=project.id,
           summary=f"Control plan: {row.process_step} / {row.characteristic}")
    return row


def update_control_row(actor: User, row: ControlPlanRow, values: dict[str, str | None],
                       dataset_id: int | None, owner_id: int | None,
                       expected: int | None) -> ControlPlanRow:
    """Replace the row's fields with ``values`` (all of them: send the unchanged ones too),
    checked as a new row's are, against the version the editor read."""
    check_version(row, expected, "The control plan row")
    fields = _control_fields(values)
    _control_refs(db.session.get(Project, row.project_id), dataset_id, owner_id)
    new = fields | {"dataset_id": dataset_id, "owner_id": owner_id}
    changes = {k: [getattr(row, k), v] for k, v in new.items() if getattr(row, k) != v}
    if changes:
        for name, value in new.items():
            setattr(row, name, value)
        db.session.flush()
        record(actor, "update", "control_plan_row", row.id, project_id=row.project_id,
               summary=f"Control plan: {row.process_step} / {row.characteristic}",
               changes=changes)
    return row


def delete_control_row(actor: User, row: ControlPlanRow) -> None:
    record(actor, "delete", "control_plan_row", row.id, project_id=row.project_id,
           summary=f"Control plan: {row.process_step} / {row.characteristic}")
    db.session.delete(row)
    db.session.flush()


def control_rows(project_id: int) -> list[ControlPlanRow]:
    return list(db.session.scalars(select(ControlPlanRow).where(
        ControlPlanRow.project_id == project_id).order_by(ControlPlanRow.id)))


def lessons_of(project_id: int) -> Lessons | None:
    return db.session.scalar(select(Lessons).where(Lessons.project_id == project_id))


def save_lessons(actor: User, project: Project, text: str | None) -> Lessons:
    body = (text or "").strip()
    if len(body) > 20000:
        raise DomainError("The lessons learned are longer than 20,000 characters.",
                          field="text")
    lessons = lessons_of(project.id)
    if lessons is None:
        # Version 1 is the empty lessons the page shows before the first save; the row is
        # inserted at 1 and this save's update moves it to 2, so a second editor who also
        # opened the empty lessons gets a 409 instead of overwriting the first.
        lessons = Lessons(project_id=project.id)
        db.session.add(lessons)
        db.session.flush()
    lessons.text = body
    lessons.updated_at = utcnow()
    flag_modified(lessons, "text")  # every save is an update, even of the same text
    db.session.flush()
    record(actor, "update", "lessons", lessons.id, project_id=project.id,
           summary="Lessons learned")
    return lessons


@dataclass(frozen=True)
class _NothingSaved:
    """The lessons before their first save (there is no row yet)."""

    version: int = 1


def lessons_version(lessons: Lessons | None) -> int:
    return (lessons or _NothingSaved()).version


def edit_lessons(actor: User, project: Project, text: str | None,
                 expected: int | None) -> Lessons:
    """``save_lessons`` for an editor that read version ``expected``: 409 when someone
    saved the lessons since; the version column catches a save racing this one."""
    check_version(lessons_of(project.id) or _NothingSaved(), expected, "The lessons learned")
    return save_lessons(actor, project, text)
