"""The HTML side's policies, refusing with a message an API client can act on."""

from __future__ import annotations

from typing import Any

from ..auth import permissions
from ..auth.models import User
from ..core.access import Policy, where
from ..core.errors import Forbidden
from ..gates import services as gates
from ..gates.routes import DECIDE as HTML_DECIDE
from ..projects import access as project_access


def explained(policy: Policy, message: str) -> Policy:
    """``policy`` with its rule unchanged, but a refusal raises 403 with ``message``."""
    rule = policy.check

    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        allowed = kwargs if rule is None else rule(user, kwargs)
        if allowed is None:
            raise Forbidden(message)
        return allowed

    return Policy(policy.name, check, policy.public)


def _review(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    review = gates.get_review(kwargs.pop("review_id"))
    return {**kwargs, "review": review}


CREATE = explained(where("create projects", permissions.can_create_project),
                   "Only belts, council members and admins create projects.")
VIEW = project_access.VIEW
EDIT = explained(project_access.EDIT,
                 "Only the project's lead, sponsor, team or an admin edit its charter.")
REQUEST_REVIEW = explained(project_access.REQUEST_REVIEW,
                           "Only the project lead can request a gate review.")
VIEW_REVIEW = Policy("review: view", _review)
DECIDE = explained(HTML_DECIDE, "Only a council member or the project's sponsor decides a gate "
                                "review, and not the person who asked for it.")
