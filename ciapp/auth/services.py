"""Accounts: creating and editing users, passwords, checking a sign-in."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import services as audit
from ..core.errors import DomainError
from ..core.records import get_or_404
from ..extensions import db
from . import sessions
from .models import BeltLevel, Role, User
from .tokens import issue_token, user_for_token

__all__ = ["issue_token", "user_for_token"]  # kept here for callers of the old home

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
    if allowed.get("active") is False:
        sessions.end_all(user)  # a deactivated user is signed out everywhere at once
    db.session.flush()
    if changes:
        audit.record(actor, "update", "user", user.id, summary=f"Edited user {user.email}",
                     changes=changes)


class WrongCredentials(DomainError):
    status = 401


@cache
def _dummy_hash() -> str:
    """A hash made the same way as real ones, checked against for unknown e-mails."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User:
    """Return the active user with this e-mail and password, or raise.

    An unknown e-mail costs the same password hash as a known one: answering ten times
    faster would tell an attacker which e-mails have an account. Throttling is the caller's
    (see ``throttle.reserve_attempt``)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = user.check_password(password) and user.active
    if not ok or user is None:
        raise WrongCredentials("Wrong e-mail or password, or the account is disabled.",
                               field="password")
    return user


def set_password(actor: User | None, user: User, password: str, *,
                 keep_session: object = None) -> None:
    """Give ``user`` a new password and end their sessions, except ``keep_session`` (the
    browser of a user changing their own password stays signed in)."""
    check_password_rules(password)
    user.set_password(password)
    sessions.end_all(user, keep=keep_session)
    db.session.flush()
    if actor is not None and actor.id == user.id:
        audit.record(actor, "change_password", "user", user.id,
                     summary="Changed their password; other sessions were signed out")
    else:
        audit.record(actor, "reset_password", "user", user.id,
                     summary=f"Set a new password for {user.email}")


def change_own_password(user: User, current: str, new: str, *, keep_session: object) -> None:
    if not user.check_password(current):
        raise DomainError("The current password is wrong.", field="current_password")
    if new == current:
        raise DomainError("Choose a password different from the current one.",
                          field="new_password")
    try:
        set_password(user, user, new, keep_session=keep_session)
    except DomainError as exc:
        raise DomainError(exc.message, field="new_password") from None
