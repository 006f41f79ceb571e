"""Who may do what in the portfolio: everyone signed in reads it and submits ideas; the
lead reports a project's health; the council screens ideas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth.models import User
from ..core.access import Policy
from ..projects import permissions
from ..projects.access import on_project
from . import health, ideas
from .models import Idea


def on_idea(name: str, rule: Callable[[User, Idea], bool]) -> Policy:
    """Views of ``/ideas/<idea_id>``: the view gets the idea (404 when there is none)."""

    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        idea = ideas.get_idea(kwargs.pop("idea_id"))
        return {**kwargs, "idea": idea} if rule(user, idea) else None

    return Policy(f"idea: {name}", check)


VIEW_HEALTH = on_project("view health", permissions.can_view_project)
SET_HEALTH = on_project("set health", health.can_set_health)
VIEW_IDEA = on_idea("view", lambda user, idea: True)
DECIDE_IDEA = on_idea("score and decide", lambda user, idea: ideas.can_decide_ideas(user))
