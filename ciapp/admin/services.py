"""Administration of people.

Account rules (roles, unique e-mail, password length) live in ``ciapp.auth.services`` and
the org-unit tree in ``ciapp.orgunits.services``; this module adds what the admin pages need
around them: the org unit must exist, names are tidied, and every change goes into the
audit trail. Functions flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth import services as accounts
from ..auth.models import BeltLevel, OrgUnit, User
from ..core.errors import DomainError
from ..extensions import db
from ..orgunits import services as orgunits


def list_users() -> list[User]:
    stmt = select(User).options(selectinload(User.org_unit).selectinload(OrgUnit.parent))
    return list(db.session.scalars(stmt.order_by(func.lower(User.name), User.id)))


def create_user(actor: User, values: dict[str, Any]) -> User:
    orgunits.check_exists(values.get("org_unit_id"))
    return accounts.create_user(
        actor, email=values["email"], name=values["name"], role=values["role"],
        password=values["password"], belt_level=values["belt_level"],
        org_unit_id=values.get("org_unit_id"))


def edit_user(actor: User, user: User, values: dict[str, Any]) -> None:
    """Name, role, belt, org unit and active flag; e-mail and password are not edited here."""
    values = dict(values)
    if "name" in values:
        values["name"] = orgunits.clean_name(values["name"])
    if "belt_level" in values and values["belt_level"] not in set(BeltLevel):
        raise DomainError(f"Unknown belt level {values['belt_level']!r}.", field="belt_level")
    orgunits.check_exists(values.get("org_unit_id"))
    accounts.update_user(actor, user, values)


def reset_password(actor: User, user: User, password: str) -> None:
    """A new password, which also signs the user out everywhere (accounts.set_password)."""
    accounts.set_password(actor, user, password)
