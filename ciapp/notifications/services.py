"""Creating and reading in-app notifications."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, select

from ..auth.models import Role, User
from ..core.records import child_or_404
from ..core.time import utcnow
from ..extensions import db
from .models import Notification


def notify(users: Iterable[User], message: str, *, project_id: int | None = None) -> None:
    seen: set[int] = set()
    for user in users:
        if user.id in seen or not user.active:
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, message=message, project_id=project_id))


def council_members() -> list[User]:
    stmt = select(User).where(User.role == Role.COUNCIL, User.active.is_(True))
    return list(db.session.scalars(stmt))


def for_user(user: User, limit: int = 100) -> list[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


# Built once: the top bar of every page counts these (ciapp/core/topbar.py).
UNREAD = select(func.count()).select_from(Notification).where(
    Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_count(user: User) -> int:
    return int(db.session.scalar(UNREAD, {"user_id": user.id}) or 0)


def mark_read(user: User, notification_id: int | None = None) -> None:
    """Mark one notification (or, with no id, all of them) read for ``user``."""
    stmt = select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        child_or_404(Notification, notification_id, user.id, parent="user_id")
        stmt = stmt.where(Notification.id == notification_id)
    for note in db.session.scalars(stmt):
        note.read_at = utcnow()
    db.session.flush()
