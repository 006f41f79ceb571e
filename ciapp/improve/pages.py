"""What the improve templates show: one context builder per page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..datasets.models import Dataset
from ..extensions import db
from ..projects import permissions
from ..projects.models import Project
from . import services
from .models import ACTION_STATUSES, CM_STATUSES


def _people() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True))
                                   .order_by(User.name)))


def index_context(user: Any, project: Project, problem: Any = None) -> dict[str, Any]:
    return {
        "project": project,
        "can_edit": permissions.can_edit_project(user, project),
        "countermeasures": services.countermeasures(project.id),
        "root_causes": services.root_causes(project.id),
        "controls": services.control_rows(project.id),
        "lessons": services.lessons_of(project.id),
        "datasets": list(db.session.scalars(select(Dataset).where(
            Dataset.project_id == project.id).order_by(Dataset.name))),
        "people": _people(),
        "cm_statuses": CM_STATUSES,
        "action_statuses": ACTION_STATUSES,
        "today": services.today(),
        "problem": problem,
        "form": request_form(),
    }


def request_form() -> dict[str, str]:
    from flask import request

    return request.form.to_dict() if request.method == "POST" else {}


def mine_context(user: Any) -> dict[str, Any]:
    actions = services.my_open_actions(user)
    projects = {p.id: p for p in db.session.scalars(select(Project).where(
        Project.id.in_({a.project_id for a in actions})))}
    return {"actions": actions, "projects": projects, "today": services.today(),
            "action_statuses": ACTION_STATUSES}
