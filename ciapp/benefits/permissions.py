"""Who may do what with benefits: the team edits, finance validates, everyone reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..auth.models import Role, User
from ..projects import permissions as project_permissions

if TYPE_CHECKING:
    from ..projects.models import Project

QUEUE_READERS = (Role.FINANCE, Role.ADMIN)


def can_edit_benefits(user: User, project: Project) -> bool:
    return project_permissions.can_edit_project(user, project)


def has_part(user: User, project: Project) -> bool:
    return user.id in (project.lead_id, project.sponsor_id) or project.is_member(user)


def can_validate(user: User, project: Project) -> bool:
    """Finance validates; nobody validates their own project's lines (the lead, the sponsor
    and the team claim the benefits, so they cannot also sign them off). Admins do not
    validate either: a sign-off is finance's word, not an administrator's."""
    return user.has_role(Role.FINANCE) and not has_part(user, project)


def can_see_queue(user: User) -> bool:
    return user.has_role(*QUEUE_READERS)
