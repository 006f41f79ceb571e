"""Benefits rolled up for leadership: projected, realized and finance-validated figures by
month, year, category and project, in two queries whatever the number of lines.

The sums are taken in SQL on whole cents (``ROUND(amount * 100)`` as a BIGINT): PostgreSQL's
NUMERIC would be exact anyway, but SQLite keeps amounts as doubles, and a SUM of doubles
drifts; a SUM of integers does not. A projected annual figure is spread over its twelve
months by the rule of ``calc.spread`` (whole cents of a twelfth, the remainder one cent each
to the first months), written in SQL as integer division and remainder, so that a month's
roll-up is exactly the sum of the lines' months and the months of a year add up to the year
to the cent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, and_, case, cast, func, select

from ..extensions import db
from ..projects.models import Project
from .calc import CENT, MONTHS, add_months
from .models import BenefitLine, BenefitMonth


@dataclass(frozen=True)
class Figures:
    """Amounts in whole cents; ``money(name)`` gives one as a Decimal."""

    projected: int = 0
    projected_validated: int = 0
    realized: int = 0
    realized_validated: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.projected + other.projected,
                       self.projected_validated + other.projected_validated,
                       self.realized + other.realized,
                       self.realized_validated + other.realized_validated)

    def money(self, name: str) -> Decimal:
        return Decimal(getattr(self, name)) * CENT

    def to_dict(self) -> dict[str, str]:
        return {name: str(self.money(name)) for name in
                ("projected", "projected_validated", "realized", "realized_validated")}


class Cell(NamedTuple):  # a tuple: tens of thousands are made per roll-up
    project_id: int
    category: str
    month: date
    figures: Figures


@dataclass(frozen=True)
class Claims:
    """The annual claims of a project and category: how much of the projection is backed
    by a significant before/after change."""

    lines: int = 0
    backed_lines: int = 0
    projected: int = 0
    backed: int = 0

    def __add__(self, other: Claims) -> Claims:
        return Claims(self.lines + other.lines, self.backed_lines + other.backed_lines,
                      self.projected + other.projected, self.backed + other.backed)


@dataclass(frozen=True)
class ProjectRef:
    id: int
    key: str
    title: str
    org_unit_id: int | None


@dataclass(frozen=True)
class Rollup:
    cells: tuple[Cell, ...]
    projects: dict[int, ProjectRef]
    claims: dict[tuple[int, str], Claims] = field(default_factory=dict)

    def _group(self, key: Callable[[Cell], Hashable], year: int | None) -> dict[Any, Figures]:
        out: dict[Any, Figures] = {}
        for cell in self.cells:
            if year is None or cell.month.year == year:
                k = key(cell)
                out[k] = out.get(k, Figures()) + cell.figures
        return dict(sorted(out.items(), key=lambda item: str(item[0])))

    def by_month(self, year: int | None = None) -> dict[date, Figures]:
        return self._group(lambda c: c.month, year)

    def by_year(self) -> dict[int, Figures]:
        return self._group(lambda c: c.month.year, None)

    def by_category(self, year: int | None = None) -> dict[str, Figures]:
        return self._group(lambda c: c.category, year)

    def by_project(self, year: int | None = None) -> dict[int, Figures]:
        return self._group(lambda c: c.project_id, year)

    def total(self, year: int | None = None) -> Figures:
        return sum((c.figures for c in self.cells if year is None or c.month.year == year),
                   Figures())

    def claims_by(self, part: int) -> dict[Any, Claims]:
        """Claims by project (``part=0``) or by category (``part=1``)."""
        out: dict[Any, Claims] = {}
        for key, claims in self.claims.items():
            out[key[part]] = out.get(key[part], Claims()) + claims
        return out


def _cents(column: Any) -> Any:
    return cast(func.round(column * 100), BigInteger)


def _projected_rows(where: list[Any]) -> Iterable[Any]:
    cents = _cents(BenefitLine.projected)
    validated = BenefitLine.projected_state == "approved"
    # Month k (0..11) of a line gets cents // 12, plus one cent while k < cents % 12.
    extra = [func.sum(case((cents % MONTHS > k, 1), else_=0)) for k in range(MONTHS - 1)]
    extra_ok = [func.sum(case((and_(validated, cents % MONTHS > k), 1), else_=0))
                for k in range(MONTHS - 1)]
    stmt = (select(Project.id, Project.key, Project.title, Project.org_unit_id,
                   BenefitLine.category, BenefitLine.start_month,
                   func.count(), func.sum(case((BenefitLine.backed, 1), else_=0)),
                   func.sum(cents), func.sum(case((BenefitLine.backed, cents), else_=0)),
                   func.sum(cents // MONTHS),
                   func.sum(case((validated, cents // MONTHS), else_=0)), *extra, *extra_ok)
            .join(Project, Project.id == BenefitLine.project_id).where(*where)
            .group_by(Project.id, Project.key, Project.title, Project.org_unit_id,
                      BenefitLine.category, BenefitLine.start_month))
    return db.session.execute(stmt)


def _realized_rows(where: list[Any]) -> Iterable[Any]:
    cents = _cents(BenefitMonth.amount)
    stmt = (select(Project.id, Project.key, Project.title, Project.org_unit_id,
                   BenefitLine.category, BenefitMonth.month, func.sum(cents),
                   func.sum(case((BenefitMonth.state == "approved", cents), else_=0)))
            .join(BenefitLine, BenefitLine.id == BenefitMonth.line_id)
            .join(Project, Project.id == BenefitLine.project_id).where(*where)
            .group_by(Project.id, Project.key, Project.title, Project.org_unit_id,
                      BenefitLine.category, BenefitMonth.month))
    return db.session.execute(stmt)


def rollup(*, org_unit_ids: Collection[int] | None = None,
           project_ids: Collection[int] | None = None,
           categories: Collection[str] | None = None, year: int | None = None) -> Rollup:
    """Every line's figures, optionally only of projects in ``org_unit_ids`` (give a site
    with its areas), of ``project_ids``, of ``categories``, or of the months of ``year``
    (the database then reads only the lines and months that reach into it). Two queries."""
    where: list[Any] = []
    projected_where: list[Any] = []
    realized_where: list[Any] = []
    if year is not None:
        # a line's twelve months reach into the year when it starts after January of the
        # year before and before the next year
        projected_where += [BenefitLine.start_month > date(year - 1, 1, 1),
                            BenefitLine.start_month < date(year + 1, 1, 1)]
        realized_where += [BenefitMonth.month >= date(year, 1, 1),
                           BenefitMonth.month < date(year + 1, 1, 1)]
    if org_unit_ids is not None:
        where.append(Project.org_unit_id.in_(list(org_unit_ids)))
    if project_ids is not None:
        where.append(Project.id.in_(list(project_ids)))
    if categories is not None:
        where.append(BenefitLine.category.in_(list(categories)))
    cells: dict[tuple[int, str, date], Figures] = {}
    projects: dict[int, ProjectRef] = {}
    claims: dict[tuple[int, str], Claims] = {}

    def add(key: tuple[int, str, date], figures: Figures) -> None:
        cells[key] = cells.get(key, Figures()) + figures

    for row in _projected_rows(where + projected_where):
        pid, key, title, unit, category, start, n, n_backed, total, backed, base, base_ok = \
            row[:12]
        extra, extra_ok = row[12:12 + MONTHS - 1], row[12 + MONTHS - 1:]
        projects[pid] = ProjectRef(pid, key, title, unit)
        claims[(pid, category)] = claims.get((pid, category), Claims()) + Claims(
            int(n), int(n_backed or 0), int(total or 0), int(backed or 0))
        for k in range(MONTHS):
            plus = int(extra[k]) if k < MONTHS - 1 else 0
            plus_ok = int(extra_ok[k]) if k < MONTHS - 1 else 0
            month = add_months(start, k)
            if year is None or month.year == year:
                add((pid, category, month), Figures(int(base) + plus, int(base_ok) + plus_ok))
    for pid, key, title, unit, category, month, realized, validated in _realized_rows(
            where + realized_where):
        projects[pid] = ProjectRef(pid, key, title, unit)
        add((pid, category, month), Figures(realized=int(realized or 0),
                                            realized_validated=int(validated or 0)))
    ordered = sorted(cells.items(), key=lambda item: (item[0][2], item[0][0], item[0][1]))
    return Rollup(tuple(Cell(p, c, m, f) for (p, c, m), f in ordered), projects, claims)


@dataclass(frozen=True)
class Year:
    """One year's figures as the leadership summary reads them: by project and category, by
    month, the projects named and their claims. Three queries; no row per month of a line
    leaves the database, so 50,000 realized months cost what 500 do."""

    totals: dict[tuple[int, str], Figures]
    months: dict[date, Figures]
    projects: dict[int, ProjectRef]
    claims: dict[tuple[int, str], Claims]


def year_figures(year: int, *, org_unit_ids: Collection[int] | None = None) -> Year:
    where: list[Any] = []
    if org_unit_ids is not None:
        where.append(Project.org_unit_id.in_(list(org_unit_ids)))
    totals: dict[tuple[int, str], list[int]] = {}
    months: dict[date, list[int]] = {}
    projects: dict[int, ProjectRef] = {}
    claims: dict[tuple[int, str], Claims] = {}
    running = [BenefitLine.start_month > date(year - 1, 1, 1),
               BenefitLine.start_month < date(year + 1, 1, 1)]
    for row in _projected_rows(where + running):
        pid, key, title, unit, category, start, n, n_backed, total, backed, base, base_ok = \
            row[:12]
        extra, extra_ok = row[12:12 + MONTHS - 1], row[12 + MONTHS - 1:]
        projects[pid] = ProjectRef(pid, key, title, unit)
        claims[(pid, category)] = claims.get((pid, category), Claims()) + Claims(
            int(n), int(n_backed or 0), int(total or 0), int(backed or 0))
        sums = totals.setdefault((pid, category), [0, 0, 0, 0])
        for k in range(MONTHS):
            month = add_months(start, k)
            if month.year != year:
                continue
            amount = int(base) + (int(extra[k]) if k < MONTHS - 1 else 0)
            amount_ok = int(base_ok) + (int(extra_ok[k]) if k < MONTHS - 1 else 0)
            sums[0] += amount
            sums[1] += amount_ok
            in_month = months.setdefault(month, [0, 0, 0, 0])
            in_month[0] += amount
            in_month[1] += amount_ok
    cents = _cents(BenefitMonth.amount)
    ok = func.sum(case((BenefitMonth.state == "approved", cents), else_=0))
    realized = (select(func.sum(cents), ok)
                .join(BenefitLine, BenefitLine.id == BenefitMonth.line_id)
                .join(Project, Project.id == BenefitLine.project_id)
                .where(*where, BenefitMonth.month >= date(year, 1, 1),
                       BenefitMonth.month < date(year + 1, 1, 1)))
    for pid, key, title, unit, category, amount, amount_ok in db.session.execute(
            realized.with_only_columns(Project.id, Project.key, Project.title, Project.org_unit_id,
                               BenefitLine.category, func.sum(cents), ok)
            .group_by(Project.id, Project.key, Project.title, Project.org_unit_id,
                      BenefitLine.category)):
        projects[pid] = ProjectRef(pid, key, title, unit)
        sums = totals.setdefault((pid, category), [0, 0, 0, 0])
        sums[2] += int(amount or 0)
        sums[3] += int(amount_ok or 0)
    for month, amount, amount_ok in db.session.execute(
            realized.with_only_columns(BenefitMonth.month, func.sum(cents), ok)
            .group_by(BenefitMonth.month)):
        in_month = months.setdefault(month, [0, 0, 0, 0])
        in_month[2] += int(amount or 0)
        in_month[3] += int(amount_ok or 0)
    return Year({k: Figures(*v) for k, v in totals.items()},
                {k: Figures(*v) for k, v in months.items()}, projects, claims)
