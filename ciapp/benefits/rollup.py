"""Benefits rolled up for leadership: one calendar year's projected, realized and
finance-validated figures, grouped by site or area, methodology, lead's belt and category,
by month, and the top projects, in three statements whatever the number of lines: the
database adds up, and only the groups (a few dozen rows) leave it, never a row per project,
line or month.

The sums are whole cents: SQLite keeps amounts as doubles, and a SUM of doubles drifts, so
each amount is rounded to cents (``ROUND(amount * 100)`` as a BIGINT) before it is added;
PostgreSQL's NUMERIC adds exactly, so there the sum is rounded once (``_sum_cents``). A
projected annual figure is spread over its twelve months by the rule of ``calc.spread``
(whole cents of a twelfth, the remainder one cent each to the first months), written in SQL
as integer division and remainder, so that a month's roll-up is exactly the sum of the
lines' months and the months of a year add up to the year to the cent.

The part of a line's projection that falls in the year is computed per line in SQL too: a
line starting in month ``m`` of the year has its months ``k = 0 .. 12 - m`` in it, one that
started in month ``m`` of the year before its months ``k = 13 - m .. 11``; of the remainder
cents (given to ``k < remainder``) each range holds what it overlaps.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from ..auth.models import User
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


@dataclass(frozen=True)
class Group:
    """The year's figures and claims of one site or area, methodology, lead's belt and
    category: every breakdown the leadership summary shows is a sum of these."""

    org_unit_id: int | None
    methodology: str
    belt: str | None
    category: str
    figures: Figures
    claims: Claims


@dataclass(frozen=True)
class Year:
    """One year's figures: in groups, by month, and the projects that realized most."""

    year: int
    groups: tuple[Group, ...]
    months: dict[date, Figures]
    top: tuple[tuple[ProjectRef, Figures], ...]

    def by(self, key: Callable[[Group], Hashable]) -> dict[Hashable, Figures]:
        out: dict[Hashable, Figures] = {}
        for group in self.groups:
            k = key(group)
            out[k] = out.get(k, Figures()) + group.figures
        return out

    def by_category(self) -> dict[str, Figures]:
        return self.by(lambda g: g.category)  # type: ignore[return-value]

    def total(self) -> Figures:
        return sum((g.figures for g in self.groups), Figures())

    def claims(self, category: str | None = None) -> Claims:
        """The annual claims of the lines running in the year (of ``category``)."""
        return sum((g.claims for g in self.groups if category in (None, g.category)),
                   Claims())


def _cents(column: Any) -> Any:
    return cast(func.round(column * 100), BigInteger)


def _sum_cents(column: Any, when: Any = None) -> Any:
    """SUM of an amount column (where ``when``) in whole cents. PostgreSQL's NUMERIC adds
    exactly, so it rounds the sum once: per-row NUMERIC arithmetic over 50,000 months costs
    more than the whole rest of the summary there. SQLite's doubles are rounded to cents
    row by row, as integers never drift."""
    if db.session.get_bind().dialect.name == "postgresql":
        value = column if when is None else case((when, column), else_=0)
        return cast(func.round(func.sum(value) * 100), BigInteger)
    cents = _cents(column)
    return func.sum(cents if when is None else case((when, cents), else_=0))


def _scope(org_unit_ids: Collection[int] | None, project_ids: Collection[int] | None
           ) -> list[Any]:
    """Conditions on ``BenefitLine.project_id``, as subqueries (no list of ids is sent)."""
    where: list[Any] = []
    if org_unit_ids is not None:
        where.append(BenefitLine.project_id.in_(
            select(Project.id).where(Project.org_unit_id.in_(list(org_unit_ids)))))
    if project_ids is not None:
        where.append(BenefitLine.project_id.in_(list(project_ids)))
    return where


def _running(year: int) -> list[Any]:
    # a line's twelve months reach into the year when it starts after January of the year
    # before and before the next year
    return [BenefitLine.start_month > date(year - 1, 1, 1),
            BenefitLine.start_month < date(year + 1, 1, 1)]


def _in_year(year: int) -> tuple[Any, Any]:
    """The cents of a line's projection that fall in ``year``, and of the validated one."""
    cents = _cents(BenefitLine.projected)
    base, rest = cents // MONTHS, cents % MONTHS
    month = cast(extract("month", BenefitLine.start_month), Integer)
    this_year = BenefitLine.start_month >= date(year, 1, 1)
    first = case((this_year, 0), else_=13 - month)  # the line's first month index in it
    count = case((this_year, 13 - month), else_=month - 1)  # how many of its months
    extra = case((this_year, case((rest < count, rest), else_=count)),
                 else_=case((rest > first, rest - first), else_=0))
    share = count * base + extra
    return share, case((BenefitLine.projected_state == "approved", share), else_=0)


def _parts(year: int, where: list[Any]) -> Any:
    """One row per project and category (twice when it has both): the claims, the year's
    projected and realized cents. Aggregated in the database; only groups leave it."""
    share, share_ok = _in_year(year)
    zero = literal_column("0")  # inline: PostgreSQL types a UNION's columns from it
    projected = (select(BenefitLine.project_id.label("pid"),
                        BenefitLine.category.label("category"),
                        func.count().label("n"),
                        func.sum(case((BenefitLine.backed, 1), else_=0)).label("nb"),
                        _sum_cents(BenefitLine.projected).label("claimed"),
                        _sum_cents(BenefitLine.projected, BenefitLine.backed).label("backed"),
                        func.sum(share).label("p"), func.sum(share_ok).label("pv"),
                        zero.label("r"), zero.label("rv"))
                 .where(*where, *_running(year))
                 .group_by(BenefitLine.project_id, BenefitLine.category))
    approved = BenefitMonth.state == "approved"
    realized = (select(BenefitLine.project_id, BenefitLine.category, zero, zero, zero, zero,
                       zero, zero, _sum_cents(BenefitMonth.amount),
                       _sum_cents(BenefitMonth.amount, approved))
                .join(BenefitLine, BenefitLine.id == BenefitMonth.line_id)
                .where(*where, BenefitMonth.month >= date(year, 1, 1),
                       BenefitMonth.month < date(year + 1, 1, 1))
                .group_by(BenefitLine.project_id, BenefitLine.category))
    return union_all(projected, realized).cte("parts")


def _sums(parts: Any) -> list[Any]:
    return [func.sum(parts.c[name]) for name in ("p", "pv", "r", "rv")]


def _figures(values: Iterable[Any]) -> Figures:
    return Figures(*(int(v or 0) for v in values))


def _groups_and_top(parts: Any, limit: int
                    ) -> tuple[tuple[Group, ...], tuple[tuple[ProjectRef, Figures], ...]]:
    """The groups and the ``limit`` projects that realized most in the year (then
    projected most), in one statement: both read ``parts`` (a CTE the database computes
    once), the top projects' rows in the groups' columns (id, key, title, no category)."""
    claims = [func.sum(parts.c[name]) for name in ("n", "nb", "claimed", "backed")]
    p, pv, r, rv = _sums(parts)
    keys = (Project.org_unit_id, Project.methodology, User.belt_level, parts.c.category)
    groups = (select(literal_column("'g'").label("kind"), *keys, *claims, p, pv, r, rv)
              .join(parts, parts.c.pid == Project.id)
              .outerjoin(User, User.id == Project.lead_id).group_by(*keys))
    zero = literal_column("0")
    best = (select(literal_column("'t'").label("kind"), Project.id, Project.key, Project.title,
                  cast(null(), String).label("category"),
                  *(zero.label(name) for name in ("n", "nb", "claimed", "backed")),
                  p.label("p"), pv.label("pv"), r.label("r"), rv.label("rv"))
           .join(parts, parts.c.pid == Project.id)
           .group_by(Project.id, Project.key, Project.title)
           .order_by(r.desc(), p.desc(), Project.key).limit(limit).subquery("best"))
    found: list[Group] = []
    chosen: list[tuple[ProjectRef, Figures]] = []
    for kind, a, b, c, category, *numbers in db.session.execute(
            union_all(groups, select(*best.c))):
        if kind == "g":
            found.append(Group(a, str(b), None if c is None else str(c), category,
                               _figures(numbers[4:]),
                               Claims(*(int(v or 0) for v in numbers[:4]))))
        else:
            chosen.append((ProjectRef(a, b, c), _figures(numbers[4:])))
    return tuple(found), tuple(chosen)


def project_figures(year: int, *, project_ids: Collection[int] | None = None
                    ) -> dict[int, Figures]:
    """The year's figures of every project (of ``project_ids``) with any: one statement,
    one row per project (the exports list them)."""
    parts = _parts(year, _scope(None, project_ids))
    rows = db.session.execute(select(parts.c.pid, *_sums(parts)).group_by(parts.c.pid))
    return {pid: _figures(sums) for pid, *sums in rows}


def _projected_months(year: int, where: list[Any]) -> dict[date, list[int]]:
    """The year's projected cents by month: the lines grouped by their first month (at
    most 23 groups), each group spread by the twelfths rule."""
    cents = _cents(BenefitLine.projected)
    validated = BenefitLine.projected_state == "approved"
    # Month k (0..11) of a line gets cents // 12, plus one cent while k < cents % 12.
    extra = [func.sum(case((cents % MONTHS > k, 1), else_=0)) for k in range(MONTHS - 1)]
    extra_ok = [func.sum(case((and_(validated, cents % MONTHS > k), 1), else_=0))
                for k in range(MONTHS - 1)]
    stmt = (select(BenefitLine.start_month, func.sum(cents // MONTHS),
                   func.sum(case((validated, cents // MONTHS), else_=0)), *extra, *extra_ok)
            .where(*where, *_running(year)).group_by(BenefitLine.start_month))
    months: dict[date, list[int]] = {}
    for start, base, base_ok, *rest in db.session.execute(stmt):
        plus, plus_ok = [*rest[:MONTHS - 1], 0], [*rest[MONTHS - 1:], 0]
        for k in range(MONTHS):
            month = add_months(start, k)
            if month.year == year:
                sums = months.setdefault(month, [0, 0, 0, 0])
                sums[0] += int(base or 0) + int(plus[k] or 0)
                sums[1] += int(base_ok or 0) + int(plus_ok[k] or 0)
    return months


def year_figures(year: int, *, org_unit_ids: Collection[int] | None = None,
                 project_ids: Collection[int] | None = None, top: int = 10) -> Year:
    """The figures of ``year``, optionally only of projects in ``org_unit_ids`` (give a
    site with its areas) or of ``project_ids``. Three statements, whose answers hold a row
    per group, per month and per top project: never one per project, line or month."""
    where = _scope(org_unit_ids, project_ids)
    parts = _parts(year, where)
    months = _projected_months(year, where)
    realized = (select(BenefitMonth.month, _sum_cents(BenefitMonth.amount),
                       _sum_cents(BenefitMonth.amount, BenefitMonth.state == "approved"))
                .where(BenefitMonth.month >= date(year, 1, 1),
                       BenefitMonth.month < date(year + 1, 1, 1))
                .group_by(BenefitMonth.month))
    if where:  # the lines say whose months they are; the whole programme needs no join
        realized = realized.join(BenefitLine, BenefitLine.id == BenefitMonth.line_id).where(
            *where)
    for month, cents, validated in db.session.execute(realized):
        sums = months.setdefault(month, [0, 0, 0, 0])
        sums[2] += int(cents or 0)
        sums[3] += int(validated or 0)
    groups, best = _groups_and_top(parts, top)
    return Year(year, groups, {k: Figures(*v) for k, v in sorted(months.items())}, best)
