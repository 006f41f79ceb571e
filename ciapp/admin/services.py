"""Administration: people and the org-unit tree (site > area).

Account rules (roles, unique e-mail, password length) live in ``ciapp.auth.services``; this
module adds what the admin pages need around them: the org unit must exist, names are unique
among siblings (the database cannot enforce that for sites, whose parent is NULL), and every
change goes into the audit trail. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import services as audit
from ..auth import services as accounts
from ..auth.models import BeltLevel, OrgUnit, User
from ..core.errors import DomainError
from ..core.records import get_or_404
from ..extensions import db

NAME_MAX = 120
SITE, AREA = "site", "area"


@dataclass(frozen=True)
class SiteNode:
    site: OrgUnit
    areas: list[OrgUnit]


def list_users() -> list[User]:
    stmt = select(User).options(selectinload(User.org_unit).selectinload(OrgUnit.parent))
    return list(db.session.scalars(stmt.order_by(func.lower(User.name), User.id)))


def site_tree() -> list[SiteNode]:
    """Every site with its areas, both sorted by name."""
    stmt = select(OrgUnit).where(OrgUnit.parent_id.is_(None)).options(
        selectinload(OrgUnit.children))
    sites = sorted(db.session.scalars(stmt), key=lambda s: s.name.lower())
    return [SiteNode(s, sorted(s.children, key=lambda a: a.name.lower())) for s in sites]


def org_unit_choices() -> list[tuple[int, str]]:
    """Sites, each followed by its areas, labelled 'Site > Area'."""
    return [(unit.id, unit.label) for node in site_tree() for unit in (node.site, *node.areas)]


def get_org_unit(unit_id: int) -> OrgUnit:
    return get_or_404(OrgUnit, unit_id)


def _check_org_unit_id(org_unit_id: int | None) -> None:
    if org_unit_id is not None and db.session.get(OrgUnit, org_unit_id) is None:
        raise DomainError(f"No site or area with id {org_unit_id}.", field="org_unit_id")


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("The name is empty.", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is longer than {NAME_MAX} characters.", field="name")
    return name


def _check_unique_name(name: str, parent_id: int | None, *, exclude: int | None = None) -> None:
    stmt = select(OrgUnit.id).where(func.lower(OrgUnit.name) == name.lower())
    stmt = stmt.where(OrgUnit.parent_id.is_(None) if parent_id is None
                      else OrgUnit.parent_id == parent_id)
    if exclude is not None:
        stmt = stmt.where(OrgUnit.id != exclude)
    if db.session.scalar(stmt.limit(1)) is not None:
        what = "a site" if parent_id is None else "an area of this site"
        raise DomainError(f"There is already {what} named “{name}”.", field="name")


def create_site(actor: User | None, name: str) -> OrgUnit:
    name = _clean_name(name)
    _check_unique_name(name, None)
    site = OrgUnit(name=name, kind=SITE)
    db.session.add(site)
    db.session.flush()
    audit.record(actor, "create", "org_unit", site.id, summary=f"Created site {name}")
    return site


def create_area(actor: User | None, site_id: int | None, name: str) -> OrgUnit:
    site = db.session.get(OrgUnit, site_id) if site_id is not None else None
    if site is None or site.kind != SITE:
        raise DomainError("Choose the site the area belongs to.", field="site_id")
    name = _clean_name(name)
    _check_unique_name(name, site.id)
    area = OrgUnit(name=name, kind=AREA, parent=site)
    db.session.add(area)
    db.session.flush()
    audit.record(actor, "create", "org_unit", area.id, summary=f"Created area {area.label}")
    return area


def rename_org_unit(actor: User, unit: OrgUnit, name: str) -> None:
    name = _clean_name(name)
    if name == unit.name:
        return
    _check_unique_name(name, unit.parent_id, exclude=unit.id)
    before = unit.name
    unit.name = name
    db.session.flush()
    audit.record(actor, "rename", "org_unit", unit.id, summary=f"Renamed {before} to {name}",
                 changes={"name": [before, name]})


def create_user(actor: User, values: dict[str, Any]) -> User:
    _check_org_unit_id(values.get("org_unit_id"))
    return accounts.create_user(
        actor, email=values["email"], name=values["name"], role=values["role"],
        password=values["password"], belt_level=values["belt_level"],
        org_unit_id=values.get("org_unit_id"))


def edit_user(actor: User, user: User, values: dict[str, Any]) -> None:
    """Name, role, belt, org unit and active flag; e-mail and password are not edited here."""
    values = dict(values)
    if "name" in values:
        values["name"] = _clean_name(values["name"])
    if "belt_level" in values and values["belt_level"] not in set(BeltLevel):
        raise DomainError(f"Unknown belt level {values['belt_level']!r}.", field="belt_level")
    _check_org_unit_id(values.get("org_unit_id"))
    accounts.update_user(actor, user, values)


def reset_password(actor: User, user: User, password: str) -> None:
    """A new password, which also signs the user out everywhere (accounts.set_password)."""
    accounts.set_password(actor, user, password)
