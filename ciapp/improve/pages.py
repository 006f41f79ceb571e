"""What the improve templates show: one context builder per page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from sqlalchemy import select
from wtforms import Form

from ..core.inline import Inline
from ..extensions import db
from ..projects import permissions
from ..projects.models import Project
from . import editing, services
from .models import ACTION_STATUSES

KINDS = {kind.name: kind for kind in (editing.COUNTERMEASURE, editing.ACTION,
                                      editing.CONTROL, editing.LESSONS)}


def editors(project: Project, can_edit: bool) -> Callable[[str, Any], tuple[Inline, Form]]:
    """For the template: a record's inline editor and its form, by kind name."""

    def of(kind: str, record: Any) -> tuple[Inline, Form]:
        chosen = KINDS[kind]
        return (editing.editor(chosen, project, record, can_edit),
                editing.form(chosen, project, record))

    return of


def index_context(user: Any, project: Project, problem: Any = None,
                  problem_at: str = "") -> dict[str, Any]:
    """``problem`` is a refused create, shown in the card ``problem_at`` (its DOM id) above
    the form, with what was typed still in it."""
    can_edit = permissions.can_edit_project(user, project)
    return {
        "project": project,
        "can_edit": can_edit,
        "countermeasures": services.countermeasures(project.id),
        "root_causes": services.root_causes(project.id),
        "controls": services.control_rows(project.id),
        "lessons": services.lessons_of(project.id),
        "datasets": editing.datasets(project.id),
        "people": editing.people(),
        "today": services.today(),
        "problem": problem,
        "problem_at": problem_at,
        "form": request.form.to_dict() if request.method == "POST" else {},
        "edit": editors(project, can_edit),
    }


def mine_context(user: Any) -> dict[str, Any]:
    """The user's open actions; the status of each is edited in place where the user may
    edit its project (a done action leaves the list on the next visit)."""
    actions = services.my_open_actions(user)
    projects = {p.id: p for p in db.session.scalars(select(Project).where(
        Project.id.in_({a.project_id for a in actions})))}
    can_edit = {key: permissions.can_edit_project(user, p) for key, p in projects.items()}

    def edit(action: Any) -> tuple[Inline, Form]:
        project = projects[action.project_id]
        return (editing.editor(editing.ACTION, project, action, can_edit[project.id]),
                editing.form(editing.ACTION, project, action))

    return {"actions": actions, "projects": projects, "today": services.today(),
            "action_statuses": ACTION_STATUSES, "edit": edit}
