"""Who may read and change KPIs. Every signed-in person reads the board and every KPI (the
operation's numbers are everyone's business); belts, council members and admins create
KPIs; a KPI's owner or an admin enters its values, corrects them and re-bases its limits."""

from __future__ import annotations

from typing import Any

from ..core.access import Policy, User, roles
from ..core.errors import Forbidden
from ..projects import permissions as project_permissions
from ..projects.access import on_project
from . import services

CREATORS = ("admin", "council", "belt")


def can_edit(user: User, owner_id: int | None) -> bool:
    return user.has_role("admin") or owner_id == user.id


def _load(name: str, *, edit: bool, message: str = "", creators: bool = False) -> Policy:
    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        kpi = services.get_kpi(kwargs.pop("kpi_id"))
        if creators and not user.has_role(*CREATORS):
            return None
        if edit and not can_edit(user, kpi.owner_id):
            if message:
                raise Forbidden(message)
            return None
        return {**kwargs, "kpi": kpi}

    return Policy(name, check)


CREATE = roles(*CREATORS)
VIEW = _load("view KPI", edit=False)
EDIT = _load("edit KPI (owner or admin)", edit=True)
EDITORS = "Only the KPI's owner or an admin add, correct or re-base its values."
# whoever may start a project may start one from any KPI
IMPROVE = _load("start an improvement (belts, council, admins)", edit=False, creators=True)
API_EDIT = _load("edit KPI (owner or admin)", edit=True, message=EDITORS)
# a KPI-linked project's lead and team say when its change took effect
PROJECT_EDIT = on_project("set the day its KPI change took effect",
                          project_permissions.can_edit_project)
