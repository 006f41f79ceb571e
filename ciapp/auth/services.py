"""Accounts, sign-in with a failure limit, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..audit import services as audit
from ..core.errors import DomainError
from ..core.records import get_or_404
from ..core.time import utcnow
from ..extensions import db
from .models import ApiToken, BeltLevel, LoginAttempt, Role, User

TOKEN_PREFIX = "ciapp_"
MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(user_id: int) -> User:
    return get_or_404(User, user_id)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_email(email: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError(f"{email!r} is not a valid e-mail address: {exc}",
                          field="email") from None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"The password needs at least {MIN_PASSWORD} characters.",
                          field="password")


def create_user(actor: User | None, *, email: str, name: str, role: str, password: str,
                belt_level: str = BeltLevel.NONE, org_unit_id: int | None = None) -> User:
    check_email(email)
    email = normalise_email(email)
    if role not in set(Role):
        raise DomainError(f"Unknown role {role!r}; use one of: {', '.join(Role)}.",
                          field="role")
    if belt_level not in set(BeltLevel):
        raise DomainError(f"Unknown belt level {belt_level!r}.", field="belt_level")
    if not name.strip():
        raise DomainError("The name is empty.", field="name")
    if find_by_email(email) is not None:
        raise DomainError(f"A user with e-mail {email} already exists.", field="email")
    check_password_rules(password)
    user = User(email=email, name=name.strip(), role=role, belt_level=belt_level,
                org_unit_id=org_unit_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", "user", user.id, summary=f"Created user {email} ({role})")
    return user


def update_user(actor: User, user: User, values: dict[str, object]) -> None:
    allowed = {k: v for k, v in values.items()
               if k in ("name", "role", "belt_level", "org_unit_id", "active")}
    if "role" in allowed and allowed["role"] not in set(Role):
        raise DomainError(f"Unknown role {allowed['role']!r}.", field="role")
    if user.id == actor.id and (allowed.get("role", user.role) != Role.ADMIN
                                or allowed.get("active") is False):
        raise DomainError("You cannot remove your own admin rights or deactivate yourself.",
                          field="role")
    changes = audit.diff(user, allowed)
    for field in changes:
        setattr(user, field, allowed[field])
    db.session.flush()
    if changes:
        audit.record(actor, "update", "user", user.id, summary=f"Edited user {user.email}",
                     changes=changes)


def authenticate(email: str, password: str, *, max_failures: int,
                 lockout: timedelta) -> User:
    """Return the user, or raise; too many recent failures lock the e-mail for a while."""
    email = normalise_email(email)
    since = utcnow() - lockout
    failures = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email, LoginAttempt.at >= since)) or 0
    if failures >= max_failures:
        minutes = int(lockout.total_seconds() // 60)
        raise DomainError(f"Too many failed sign-ins for this e-mail; try again in {minutes} "
                          "minutes.", field="email")
    user = find_by_email(email)
    if user is None or not user.check_password(password) or not user.active:
        db.session.add(LoginAttempt(email=email))
        db.session.flush()
        raise DomainError("Wrong e-mail or password, or the account is disabled.",
                          field="password")
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """Create a personal API token; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_hash_token(token), prefix=token[:12]))
    db.session.flush()
    audit.record(user, "issue_token", "user", user.id, summary=f"API token {token[:12]}…")
    return token


def user_for_token(token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token),
                                                   ApiToken.revoked.is_(False)))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user
