"""The improve page's records edited in place, one field at a time (see ``core.inline``):
a countermeasure, an action, a control plan row, the lessons learned.

Each kind is described once (its fields, its form as saved, the service that stores it,
its version); the routes only name the kind. A save builds the record's form as saved with
the one field sent laid over it, so the service gets every value and a field not on screen
is never blanked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import Form

from ..auth.models import User
from ..core import inline
from ..core.access import acting_user
from ..core.validators import version_from
from ..datasets.models import Dataset
from ..extensions import db
from ..projects import permissions
from ..projects.models import Project
from . import services
from .forms import ActionForm, ControlRowForm, CountermeasureForm, LessonsForm
from .models import ActionItem, ControlPlanRow, Countermeasure

CONTROL_TEXTS = ("process_step", "characteristic", "specification", "measurement",
                 "sample_size", "frequency", "control_method", "reaction_plan")


@dataclass(frozen=True)
class Kind:
    """One kind of record: ``values`` gives the form data as saved, ``store`` saves a
    validated form on the version the editor read."""

    name: str
    id_arg: str | None
    fields: tuple[str, ...]
    form_class: type[Form]
    version: Callable[[Project, Any], int]
    values: Callable[[Any], dict[str, Any]]
    choices: Callable[[Project, Any, Form], None]
    store: Callable[[User, Project, Any, Form, str, int], Any]
    oob: tuple[str, ...] = ()

    def endpoint(self) -> str:
        return f"improve.{self.name}_field"

    def prefix(self, record: Any) -> str:
        """The record's part of the page's ids: ``action-7`` (its row), ``action-7-title``."""
        return f"{self.name}-{record.id}" if self.id_arg else self.name

    def input_prefix(self, record: Any) -> str:
        """Its inputs' names and ids, ``f-action-7-title``: unique on a page of many
        actions, and never the id of the form around them (``action-7-title``)."""
        return "f-" + self.prefix(record)


def _once(key: str, load: Callable[[], list[Any]]) -> list[Any]:
    """``load()`` once per request: a page of 40 actions builds 40 owner selects."""
    cache = g.setdefault("improve_choices", {})
    if key not in cache:
        cache[key] = load()
    return list(cache[key])


def people() -> list[User]:
    return _once("people", lambda: list(db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.name))))


def datasets(project_id: int) -> list[Dataset]:
    return _once(f"datasets-{project_id}", lambda: list(db.session.scalars(
        select(Dataset).where(Dataset.project_id == project_id).order_by(Dataset.name))))


def _cm_choices(project: Project, cm: Countermeasure, form: Form) -> None:
    causes = _once(f"causes-{project.id}", lambda: services.root_causes(project.id))
    form.root_cause_ids.choices = [(r.id, r.statement) for r in causes]


def _people_choices(current: User | None, *, optional: bool) -> list[tuple[Any, str]]:
    found = people()
    if current is not None and current not in found:
        found.append(current)  # shown by name; the service says why it cannot stay
    return [("", "None")] * optional + [(u.id, u.name) for u in found]


def _action_choices(project: Project, action: ActionItem, form: Form) -> None:
    form.owner_id.choices = _people_choices(action.owner, optional=False)


def _control_choices(project: Project, row: ControlPlanRow, form: Form) -> None:
    form.owner_id.choices = _people_choices(row.owner, optional=True)
    form.dataset_id.choices = [("", "None")] + [(d.id, d.name)
                                                for d in datasets(project.id)]


def _store_action(user: User, project: Project, action: ActionItem, form: Form, field: str,
                  version: int) -> None:
    if field == "status":  # done sets the completion date, reopening clears it
        services.set_action_status(user, action, form.status.data, version)
    else:
        services.update_action(user, action, form.title.data, form.owner_id.data,
                               form.due_date.data, version)


COUNTERMEASURE = Kind(
    "countermeasure", "countermeasure_id",
    ("title", "description", "status", "root_cause_ids"),
    CountermeasureForm, lambda project, cm: cm.version,
    lambda cm: {"title": cm.title, "description": cm.description, "status": cm.status,
                "root_cause_ids": [r.id for r in cm.root_causes]},
    _cm_choices,
    lambda user, project, cm, form, field, version: services.update_countermeasure(
        user, cm, form.status.data, form.root_cause_ids.data, version,
        title=form.title.data, description=form.description.data))

ACTION = Kind(
    "action", "action_id", ("title", "owner_id", "due_date", "status"), ActionForm,
    lambda project, action: action.version,
    lambda a: {"title": a.title, "owner_id": a.owner_id, "due_date": a.due_date.isoformat(),
               "status": a.status},
    _action_choices, _store_action, oob=("improve/_action_state.html",))

CONTROL = Kind(
    "control", "control_id", (*CONTROL_TEXTS, "dataset_id", "owner_id"), ControlRowForm,
    lambda project, row: row.version,
    lambda row: {**{name: getattr(row, name) for name in CONTROL_TEXTS},
                 "dataset_id": row.dataset_id or "", "owner_id": row.owner_id or ""},
    _control_choices,
    lambda user, project, row, form, field, version: services.update_control_row(
        user, row, {name: form[name].data for name in CONTROL_TEXTS},
        form.dataset_id.data, form.owner_id.data, version))

LESSONS = Kind(
    "lessons", None, ("text",), LessonsForm,
    lambda project, lessons: services.lessons_version(lessons),
    lambda lessons: {"text": lessons.text if lessons else ""},
    lambda project, lessons, form: None,
    lambda user, project, lessons, form, field, version: services.edit_lessons(
        user, project, form.text.data, version))


def editor(kind: Kind, project: Project, record: Any, can_edit: bool) -> inline.Inline:
    args = {"key": project.key, **({kind.id_arg: record.id} if kind.id_arg else {})}
    return inline.Inline(
        prefix=kind.prefix(record), endpoint=kind.endpoint(), url_args=args,
        fields=kind.fields, version=kind.version(project, record),
        version_class=f"version-{kind.prefix(record)}", can_edit=can_edit,
        back_url=url_for("improve.index", key=project.key) + f"#{kind.prefix(record)}",
        back_label=f"Improve and sustain · {project.key}")


def form(kind: Kind, project: Project, record: Any,
         sent: MultiDict[str, Any] | None = None) -> Form:
    """The record's form as saved, with the fields in ``sent`` laid over it."""
    prefix = kind.input_prefix(record)
    data: MultiDict[str, Any] = MultiDict()
    for name, value in kind.values(record).items():
        data.setlist(f"{prefix}-{name}", value if isinstance(value, list) else [value])
    for name, values in (sent or MultiDict()).lists():
        data.setlist(name, values)
    built = kind.form_class(formdata=data, prefix=prefix)
    kind.choices(project, record, built)
    return built


def _can_edit(project: Project) -> bool:
    return permissions.can_edit_project(acting_user(), project)


def show(kind: Kind, project: Project, record: Any, field: str) -> Response:
    return inline.show(editor(kind, project, record, _can_edit(project)),
                       form(kind, project, record), field)


def edit(kind: Kind, project: Project, record: Any, field: str) -> Response:
    return inline.edit(editor(kind, project, record, _can_edit(project)),
                       form(kind, project, record), field)


def save(kind: Kind, project: Project, record: Any, field: str) -> Response:
    """The one field sent, validated with the rest as saved, stored by the kind's service;
    a refusal is the form again with the message, nothing saved."""
    field = editor(kind, project, record, True).check(field)
    prefix, user = kind.input_prefix(record), acting_user()
    name = f"{prefix}-{field}"
    # The inputs' names carry the record's prefix (two actions' "title" on one page), the
    # CSRF field's too; the page sends the token as every form does, under "csrf_token".
    sent: MultiDict[str, Any] = MultiDict({f"{prefix}-csrf_token":
                                           request.form.get("csrf_token", "")})
    sent.setlist(name, request.form.getlist(name))
    sent_form = form(kind, project, record, sent)

    def reload() -> tuple[inline.Inline, Form]:
        fresh = services.lessons_of(project.id) if kind.id_arg is None else record
        return editor(kind, project, fresh, True), form(kind, project, fresh)

    return inline.save(
        editor(kind, project, record, True), sent_form, field,
        version_from(request.form.get("version")),
        store=lambda version: kind.store(user, project, record, sent_form, field, version),
        reload=reload,
        after=lambda: inline.Saved(kind.oob, {"project": project, "record": record,
                                              "today": services.today()}))
