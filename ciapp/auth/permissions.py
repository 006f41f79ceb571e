"""Who may do what: plain functions of a user and, where it matters, a project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role, User

if TYPE_CHECKING:
    from ..gates.models import GateReview
    from ..projects.models import Project

CREATORS = (Role.ADMIN, Role.COUNCIL, Role.BELT)
STATUS_DECIDERS = (Role.ADMIN, Role.COUNCIL)


def can_create_project(user: User) -> bool:
    return user.has_role(*CREATORS)


def can_edit_project(user: User, project: Project) -> bool:
    """The lead, the sponsor and the team edit a project; admins may fix anything."""
    if user.has_role(Role.VIEWER):
        return False
    if user.has_role(Role.ADMIN):
        return True
    return user.id in (project.lead_id, project.sponsor_id) or project.is_member(user)


def can_request_review(user: User, project: Project) -> bool:
    return project.lead_id == user.id and not user.has_role(Role.VIEWER)


def can_decide_review(user: User, project: Project) -> bool:
    """Council members decide gates; so does the project's sponsor."""
    if user.has_role(Role.VIEWER):
        return False
    return user.has_role(Role.COUNCIL) or project.sponsor_id == user.id


def can_change_status(user: User, project: Project) -> bool:
    """Hold, resume, cancel and reopen: the lead, the sponsor, council and admins."""
    if user.has_role(*STATUS_DECIDERS):
        return True
    return not user.has_role(Role.VIEWER) and user.id in (project.lead_id, project.sponsor_id)


def can_tick_checklist(user: User, project: Project) -> bool:
    return can_edit_project(user, project) or can_decide_review(user, project)


def may_decide(user: User, review: GateReview) -> bool:
    """Deciding a review also needs someone other than who asked for it."""
    return can_decide_review(user, review.project) and review.requested_by_id != user.id
