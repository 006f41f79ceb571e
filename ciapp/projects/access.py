"""Policies for views that act on one project, loaded from the ``key`` in the URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth import permissions
from ..auth.models import User
from ..core.access import Policy
from . import services
from .models import Project


def on_project(name: str, rule: Callable[[User, Project], bool]) -> Policy:
    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        project = services.get_project(kwargs.pop("key"))
        return {**kwargs, "project": project} if rule(user, project) else None

    return Policy(f"project: {name}", check)


VIEW = on_project("view", lambda user, project: True)
EDIT = on_project("edit", permissions.can_edit_project)
STATUS = on_project("status", permissions.can_change_status)
REQUEST_REVIEW = on_project("request review", permissions.can_request_review)
TICK = on_project("tick checklist", permissions.can_tick_checklist)
