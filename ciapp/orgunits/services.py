"""The org-unit tree: sites and their areas, created and renamed with their names unique
among siblings (the database cannot enforce that for sites, whose parent is NULL), every
change in the audit trail. Functions flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..audit import services as audit
from ..core.errors import DomainError
from ..core.records import get_or_404
from ..extensions import db
from .models import AREA, SITE, OrgUnit

if TYPE_CHECKING:
    from ..auth.models import User

NAME_MAX = 120


@dataclass(frozen=True)
class SiteNode:
    site: OrgUnit
    areas: list[OrgUnit]


def site_tree() -> list[SiteNode]:
    """Every site with its areas, both sorted by name."""
    stmt = select(OrgUnit).where(OrgUnit.parent_id.is_(None)).options(
        selectinload(OrgUnit.children))
    sites = sorted(db.session.scalars(stmt), key=lambda s: s.name.lower())
    return [SiteNode(s, sorted(s.children, key=lambda a: a.name.lower())) for s in sites]


def choices() -> list[tuple[int, str]]:
    """Sites, each followed by its areas, labelled 'Site > Area'."""
    return [(unit.id, unit.label) for node in site_tree() for unit in (node.site, *node.areas)]


def get_org_unit(unit_id: int) -> OrgUnit:
    return get_or_404(OrgUnit, unit_id)


def check_exists(org_unit_id: int | None) -> None:
    """Refuse an org unit id that names no site or area (None is fine: no unit)."""
    if org_unit_id is not None and db.session.get(OrgUnit, org_unit_id) is None:
        raise DomainError(f"No site or area with id {org_unit_id}.", field="org_unit_id")


def clean_name(name: str) -> str:
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
    name = clean_name(name)
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
    name = clean_name(name)
    _check_unique_name(name, site.id)
    area = OrgUnit(name=name, kind=AREA, parent=site)
    db.session.add(area)
    db.session.flush()
    audit.record(actor, "create", "org_unit", area.id, summary=f"Created area {area.label}")
    return area


def rename_org_unit(actor: User, unit: OrgUnit, name: str) -> None:
    name = clean_name(name)
    if name == unit.name:
        return
    _check_unique_name(name, unit.parent_id, exclude=unit.id)
    before = unit.name
    unit.name = name
    db.session.flush()
    audit.record(actor, "rename", "org_unit", unit.id, summary=f"Renamed {before} to {name}",
                 changes={"name": [before, name]})
