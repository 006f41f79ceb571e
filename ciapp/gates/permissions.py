"""Who may request, decide and tick gate reviews: plain functions of a user and a project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..auth.models import Role, User
from ..projects.permissions import can_edit_project

if TYPE_CHECKING:
    from ..projects.models import Project
    from .models import GateReview


def can_request_review(user: User, project: Project) -> bool:
    return project.lead_id == user.id and not user.has_role(Role.VIEWER)


def can_decide_review(user: User, project: Project) -> bool:
    """Council members decide gates; so does the project's sponsor."""
    if user.has_role(Role.VIEWER):
        return False
    return user.has_role(Role.COUNCIL) or project.sponsor_id == user.id


def can_tick_checklist(user: User, project: Project) -> bool:
    return can_edit_project(user, project) or can_decide_review(user, project)


def may_decide(user: User, review: GateReview) -> bool:
    """Deciding a review also needs someone other than who asked for it."""
    return can_decide_review(user, review.project) and review.requested_by_id != user.id
