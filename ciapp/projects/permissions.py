"""Who may do what with a project: plain functions of a user and a project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..auth.models import Role, User

if TYPE_CHECKING:
    from .models import Project

CREATORS = (Role.ADMIN, Role.COUNCIL, Role.BELT)
STATUS_DECIDERS = (Role.ADMIN, Role.COUNCIL)
SPONSOR_SETTERS = (Role.ADMIN, Role.COUNCIL)


def can_view_project(user: User, project: Project) -> bool:
    """Every signed-in user reads every project: improvement work is shared on purpose."""
    return True


def can_create_project(user: User) -> bool:
    return user.has_role(*CREATORS)


def can_edit_project(user: User, project: Project) -> bool:
    """The lead, the sponsor and the team edit a project; admins may fix anything."""
    if user.has_role(Role.VIEWER):
        return False
    if user.has_role(Role.ADMIN):
        return True
    return user.id in (project.lead_id, project.sponsor_id) or project.is_member(user)


def can_set_sponsor(user: User) -> bool:
    """The sponsor decides the project's gate reviews, so the council or an admin names
    them: a lead who could name themself would approve their own gates."""
    return user.has_role(*SPONSOR_SETTERS)


def can_change_status(user: User, project: Project) -> bool:
    """Hold, resume, cancel and reopen: the lead, the sponsor, council and admins."""
    if user.has_role(*STATUS_DECIDERS):
        return True
    return not user.has_role(Role.VIEWER) and user.id in (project.lead_id, project.sponsor_id)
