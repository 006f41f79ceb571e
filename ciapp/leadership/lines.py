"""The benefit lines behind a figure of the summary: a figure's link carries its filters here
(year, site, area, category, methodology, belt, project, month), and this lists the lines it
sums, with the year's projected and realized amounts of each. Also the rows of the benefits
export. Two queries whatever the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, cast, func, or_, select
from sqlalchemy.orm import aliased

from ..auth.models import BeltLevel, User
from ..benefits.calc import CENT, add_months, spread
from ..benefits.models import CATEGORIES, BenefitLine, BenefitMonth
from ..core.errors import DomainError
from ..extensions import db
from ..orgunits.models import OrgUnit
from ..projects.models import Project
from ..projects.phases import Methodology


@dataclass(frozen=True)
class LineFilters:
    year: int
    site: int | None = None  # a site, its areas included
    unit: int | None = None
    category: str | None = None
    methodology: str | None = None
    belt: str | None = None
    project: int | None = None
    month: int | None = None  # 1..12 of ``year``
    none: tuple[str, ...] = ()  # filters asking for "no site" / "no area"

    def to_args(self) -> dict[str, Any]:
        args = {k: v for k, v in self.__dict__.items() if v is not None and k != "none"}
        args.update({name: "none" for name in self.none})
        return args


def _whole(raw: str | None, name: str, low: int, high: int) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise DomainError(f"'{name}' must be a whole number from {low} to {high}.",
                          field=name)
    return int(raw)


def parse(args: Any, today: date) -> LineFilters:
    """The filters from a query string, each checked with a message naming it."""
    none = tuple(n for n in ("site", "unit") if args.get(n) == "none")
    category, methodology, belt = (args.get(n) or None for n in ("category", "methodology",
                                                                 "belt"))
    if category is not None and category not in CATEGORIES:
        raise DomainError(f"'category' must be one of {', '.join(CATEGORIES)}.",
                          field="category")
    if methodology is not None and methodology not in {m.value for m in Methodology}:
        raise DomainError("'methodology' must be dmaic or kaizen.", field="methodology")
    if belt is not None and belt not in {b.value for b in BeltLevel}:
        raise DomainError(f"'belt' must be one of {', '.join(b.value for b in BeltLevel)}.",
                          field="belt")
    year = _whole(args.get("year"), "year", 2000, 2100) or today.year
    return LineFilters(
        year=year,
        site=None if "site" in none else _whole(args.get("site"), "site", 1, 2**31 - 1),
        unit=None if "unit" in none else _whole(args.get("unit"), "unit", 1, 2**31 - 1),
        category=category, methodology=methodology, belt=belt,
        project=_whole(args.get("project"), "project", 1, 2**31 - 1),
        month=_whole(args.get("month"), "month", 1, 12), none=none)


@dataclass(frozen=True)
class LineRow:
    id: int
    project_id: int
    project_key: str
    project_title: str
    unit: str
    category: str
    description: str
    method: str
    quantity: Decimal
    quantity_unit: str
    unit_value: Decimal
    projected_annual: Decimal
    projected_state: str
    backed: bool
    projected_in_period: Decimal  # of the year (or the month asked for)
    realized_in_period: Decimal
    realized_validated: Decimal

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


def _period(filters: LineFilters) -> tuple[date, date]:
    if filters.month:
        start = date(filters.year, filters.month, 1)
        return start, add_months(start, 1)
    return date(filters.year, 1, 1), date(filters.year + 1, 1, 1)


def lines(filters: LineFilters) -> list[LineRow]:
    """The lines with an amount in the period that match the filters, largest first."""
    start, end = _period(filters)
    site = aliased(OrgUnit)
    cents = cast(func.round(BenefitMonth.amount * 100), BigInteger)  # exact sums on SQLite
    realized = (select(BenefitMonth.line_id, func.sum(cents).label("amount"),
                       func.sum(cents).filter(BenefitMonth.state == "approved")
                       .label("validated"))
                .where(BenefitMonth.month >= start, BenefitMonth.month < end)
                .group_by(BenefitMonth.line_id).subquery())
    # a projected line runs for twelve months from its start: it overlaps the period when
    # it starts before the period ends and less than a year before the period starts
    runs = and_(BenefitLine.start_month < end,
                BenefitLine.start_month > date(start.year - 1, start.month, 1))
    stmt = (select(BenefitLine, Project.key, Project.title, OrgUnit.name, site.name,
                   realized.c.amount, realized.c.validated)
            .join(Project, Project.id == BenefitLine.project_id)
            .outerjoin(User, User.id == Project.lead_id)
            .outerjoin(OrgUnit, OrgUnit.id == Project.org_unit_id)
            .outerjoin(site, site.id == OrgUnit.parent_id)
            .outerjoin(realized, realized.c.line_id == BenefitLine.id)
            .where(or_(runs, realized.c.line_id.is_not(None))))
    if "site" in filters.none or "unit" in filters.none:
        stmt = stmt.where(Project.org_unit_id.is_(None))
    if filters.site is not None:
        stmt = stmt.where(or_(OrgUnit.id == filters.site, OrgUnit.parent_id == filters.site))
    if filters.unit is not None:
        stmt = stmt.where(Project.org_unit_id == filters.unit)
    if filters.category:
        stmt = stmt.where(BenefitLine.category == filters.category)
    if filters.methodology:
        stmt = stmt.where(Project.methodology == filters.methodology)
    if filters.belt:
        belt = User.belt_level == filters.belt
        stmt = stmt.where(or_(belt, User.id.is_(None)) if filters.belt == BeltLevel.NONE
                          else belt)
    if filters.project is not None:
        stmt = stmt.where(Project.id == filters.project)
    out = []
    for line, key, title, unit, site_name, amount, validated in db.session.execute(stmt):
        in_period = sum((a for m, a in spread(line.projected, line.start_month)
                         if start <= m < end), Decimal("0.00"))
        out.append(LineRow(
            line.id, line.project_id, key, title,
            "" if unit is None else (f"{site_name} > {unit}" if site_name else unit),
            line.category, line.description, line.method, line.quantity,
            line.quantity_unit, line.unit_value, line.projected, line.projected_state,
            line.backed, in_period, Decimal(int(amount or 0)) * CENT,
            Decimal(int(validated or 0)) * CENT))
    return sorted(out, key=lambda r: (-r.projected_in_period, -r.realized_in_period,
                                      r.project_key, r.id))
