"""Gate reviews waiting for a decision, as one person sees them: the council's work queue.

Who may decide follows ``permissions.may_decide``: a council member decides any pending
review someone else asked for, a sponsor the reviews of the projects they sponsor, a viewer
none. The queries say the same thing in SQL, so the list and its count in the top bar never
offer a review the decide button would then refuse.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, false, func, select
from sqlalchemy.orm import joinedload

from ..auth.models import Role, User
from ..extensions import db
from ..projects.models import Project
from .models import GateReview, ReviewStatus


def _pending_not_by(user_id: Any) -> Select[tuple[GateReview]]:
    return (select(GateReview).join(GateReview.project)
            .where(GateReview.status == ReviewStatus.PENDING,
                   GateReview.requested_by_id != user_id))


def _waiting(user: User) -> Select[tuple[GateReview]]:
    stmt = _pending_not_by(user.id)
    if user.has_role(Role.VIEWER):
        return stmt.where(false())
    if not user.has_role(Role.COUNCIL):
        stmt = stmt.where(Project.sponsor_id == user.id)
    return stmt


def waiting_for(user: User) -> list[GateReview]:
    """Pending reviews ``user`` may decide, the longest-waiting first, each with its
    project, lead and requester loaded for the list."""
    stmt = _waiting(user).options(
        joinedload(GateReview.project).joinedload(Project.lead),
        joinedload(GateReview.requested_by),
    ).order_by(GateReview.requested_at, GateReview.id)
    return list(db.session.scalars(stmt))


# How many reviews wait for a council member, of the bind parameter "user_id": the top
# bar's badge, counted with the other badges in one statement (ciapp/core/topbar.py).
COUNCIL_COUNT = select(func.count()).select_from(
    _pending_not_by(bindparam("user_id")).subquery())


def requested_by(user: User, limit: int = 10) -> list[GateReview]:
    """The reviews ``user`` asked for, newest first: pending ones and recent decisions."""
    stmt = (select(GateReview).where(GateReview.requested_by_id == user.id)
            .options(joinedload(GateReview.project), joinedload(GateReview.decided_by))
            .order_by(GateReview.requested_at.desc(), GateReview.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))
