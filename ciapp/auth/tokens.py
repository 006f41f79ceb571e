"""Personal API tokens: named, expiring, revocable; only their SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, or_, select, update

from ..audit import services as audit
from ..core.errors import DomainError, NotFound
from ..core.time import utcnow
from ..extensions import db
from .models import ApiToken, User

TOKEN_PREFIX = "ciapp_"
NAME_MAX = 80
DEFAULT_DAYS = 90
MAX_DAYS = 365
# Writing last_used_at on every call made each API read a write transaction; the account
# page shows the last use to the nearest few minutes, which is all anyone needs.
TOUCH_INTERVAL = timedelta(minutes=5)

# Built once: every API call runs it, and building it cost more than running it. The
# owner is the one object loaded; of the token only what ``touch`` needs comes along
# (loading both objects cost a fifth more).
_LIVE_TOKEN = (select(User, ApiToken.id, ApiToken.last_used_at)
               .join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == bindparam("token_hash"),
                      ApiToken.revoked.is_(False), User.active.is_(True),
                      or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > bindparam("now"))))


class LiveToken(NamedTuple):
    """A live token as a request uses it: its owner, and what ``touch`` needs."""

    user: User
    id: int
    last_used_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Give the token a name, e.g. the script or tool that will use it.",
                          field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is longer than {NAME_MAX} characters.", field="name")
    return name


def issue_token(user: User, *, name: str = "API token", expires_days: int = DEFAULT_DAYS,
                actor: User | None = None) -> str:
    """Create a personal API token; the plain token is returned once and never stored."""
    name = clean_name(name)
    if isinstance(expires_days, bool) or not isinstance(expires_days, int) \
            or not 1 <= expires_days <= MAX_DAYS:
        raise DomainError(f"A token expires after 1 to {MAX_DAYS} days.", field="expires_days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(ApiToken(user=user, name=name, token_hash=_hash(token), prefix=token[:12],
                            created_at=now, expires_at=now + timedelta(days=expires_days)))
    db.session.flush()
    audit.record(actor or user, "issue_token", "user", user.id,
                 summary=f"API token “{name}” {token[:12]}…, expires in {expires_days} days")
    return token


def list_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that are not revoked, newest first (expired ones too, marked so)."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
    return list(db.session.scalars(stmt.order_by(ApiToken.created_at.desc(),
                                                 ApiToken.id.desc())))


def get_own_token(user: User, token_id: int) -> ApiToken:
    """One of ``user``'s tokens; someone else's is reported as not found, not forbidden,
    so ids tell nothing about other people's tokens."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked:
        raise NotFound(f"You have no API token with id {token_id}.")
    return row


def revoke_token(actor: User, row: ApiToken) -> None:
    row.revoked = True
    db.session.flush()
    audit.record(actor, "revoke_token", "user", row.user_id,
                 summary=f"Revoked API token “{row.name}” {row.prefix}…")


def revoke_all_tokens(actor: User | None, user: User) -> int:
    """Revoke every token of ``user``; return how many were still live."""
    result = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True).execution_options(synchronize_session="fetch"))
    revoked = result.rowcount or 0
    audit.record(actor, "revoke_tokens", "user", user.id,
                 summary=f"Revoked all {revoked} API token(s) of {user.email}")
    return revoked


def find_token(token: str, now: datetime | None = None) -> LiveToken | None:
    """The live token ``token`` of an active user, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = now or utcnow()
    row = db.session.execute(_LIVE_TOKEN, {"token_hash": _hash(token), "now": now}).first()
    return None if row is None else LiveToken(*row)


def touch(row: LiveToken | ApiToken, now: datetime | None = None) -> bool:
    """Note the token's use unless that was done in the last few minutes; True if written.

    The condition sits in the UPDATE, so parallel requests write it once between them."""
    now = now or utcnow()
    if row.last_used_at is not None and row.last_used_at > now - TOUCH_INTERVAL:
        return False
    result = db.session.execute(
        update(ApiToken).where(ApiToken.id == row.id, or_(
            ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOUCH_INTERVAL))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    return bool(result.rowcount)


def user_for_token(token: str) -> User | None:
    """The owner of a live token, noting its use (at most every few minutes)."""
    row = find_token(token)
    if row is None:
        return None
    touch(row)
    return row.user
