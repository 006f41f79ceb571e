"""The HTML side's policies, refusing with a message an API client can act on."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..core.access import Policy, where
from ..core.errors import Forbidden
from ..gates import access as gate_access
from ..projects import access as project_access
from ..projects import permissions


def explained(policy: Policy, message: str) -> Policy:
    """``policy`` with its rule unchanged, but a refusal raises 403 with ``message``."""
    rule = policy.check

    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        allowed = kwargs if rule is None else rule(user, kwargs)
        if allowed is None:
            raise Forbidden(message)
        return allowed

    return Policy(policy.name, check, policy.public)


CREATE = explained(where("create projects", permissions.can_create_project),
                   "Only belts, council members and admins create projects.")
VIEW = project_access.VIEW
EDIT = explained(project_access.EDIT,
                 "Only the project's lead, sponsor, team or an admin edit its charter.")
SET_SPONSOR = explained(project_access.SET_SPONSOR,
                        "Only council members and admins name a project's sponsor: the "
                        "sponsor decides its gate reviews.")
REQUEST_REVIEW = explained(gate_access.REQUEST_REVIEW,
                           "Only the project lead can request a gate review.")
VIEW_REVIEW = gate_access.VIEW_REVIEW
DECIDE = explained(gate_access.DECIDE_BY_ID,
                   "Only a council member or the project's sponsor decides a gate review, and "
                   "not the person who asked for it.")
