"""Server-side sign-in sessions.

Flask's session is a signed cookie: on its own, signing out only asks the browser to forget
it, and a copy taken before still works until it expires. So each sign-in also gets a row in
``user_sessions``; the cookie carries a random token for it (only its hash is stored) and the
user loader accepts the cookie only while the row exists and has not expired.

Why a table rather than a per-user generation number in the cookie: a generation can only
end *all* of a user's sessions at once, so signing out of one browser would sign the user
out of every other. A row per sign-in ends exactly the one signed out of, and a password
change or a deactivation still ends all of them with one DELETE. The cost is one indexed
lookup per page, joined with the user row the loader reads anyway.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select

from ..core.time import utcnow
from ..extensions import db
from .models import User, UserSession

# Key of the session token inside Flask's session cookie.
SESSION_KEY = "_sid"

# Built once: this runs on every page, and building the statement cost several times
# more than running it (SQLAlchemy caches the compiled SQL, not the Python object).
_SIGNED_IN_USER = (select(User).join(UserSession, UserSession.user_id == User.id)
                   .where(UserSession.token_hash == bindparam("token_hash"),
                          User.id == bindparam("user_id"),
                          UserSession.expires_at > bindparam("now"), User.active.is_(True)))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, lifetime: timedelta) -> str:
    """Record a new signed-in session for ``user``; return the token for the cookie.

    The session ends ``lifetime`` after sign-in at the latest, however long the browser
    keeps its cookie."""
    now = utcnow()
    # Expired rows of this user go now, so the table does not grow with every sign-in.
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token), created_at=now,
                               expires_at=now + lifetime))
    db.session.flush()
    return token


def user_for(user_id: str, token: object) -> User | None:
    """The active user signed in by this session cookie, or None if it was signed out,
    expired, ended by a password change, or its user was deactivated."""
    if not isinstance(token, str) or not token or not user_id.isdigit() \
            or len(user_id) > 18:  # beyond 64 bits the database would refuse the number
        return None
    return db.session.scalar(_SIGNED_IN_USER, {"token_hash": _hash(token),
                                               "user_id": int(user_id), "now": utcnow()})


def end(token: object) -> None:
    """End the session of this cookie token (signing out)."""
    if isinstance(token, str) and token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _hash(token)))


def end_all(user: User, *, keep: object = None) -> int:
    """End every session of ``user`` except the one of token ``keep``; return how many."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if isinstance(keep, str) and keep:
        stmt = stmt.where(UserSession.token_hash != _hash(keep))
    return db.session.execute(stmt).rowcount or 0


def count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.expires_at > utcnow())) or 0
