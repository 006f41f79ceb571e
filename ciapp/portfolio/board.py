"""The pipeline: projects by phase as a board (the table is in ``table.py``), under one
set of filters, each row with its health (the lead's and the data's suggestion).

Every list here is read in two steps whatever the number of projects: a first statement
chooses the projects to show (a window over the projects for the board, a page for the
table), then one statement reads everything their rows show: each project joined to its
lead and site / area, and to per-project aggregates computed in SQL over those projects'
rows only (the last gate passed, overdue actions, open sustain signals, a pending review,
the newest health report). ``tests/portfolio/test_queries.py`` counts the statements and
``bench/portfolio_bench.py`` times them on 5,000 projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, and_, bindparam, case, func, or_, select
from sqlalchemy.sql import Subquery

from ..analyses.models import SustainFlag
from ..auth.models import OrgUnit, User
from ..extensions import db
from ..gates.models import GateReview, ReviewStatus
from ..improve.models import ActionItem
from ..projects.listing import PersonRef, UnitRef
from ..projects.models import Project
from ..projects.phases import PHASE_LABELS, PHASES, Status, phase_label
from .health import Suggestion, suggest
from .models import HealthUpdate

_P = Project.__table__
_USERS = User.__table__
_UNITS = OrgUnit.__table__
_SITES = _UNITS.alias("site")
_G = GateReview.__table__
_A = ActionItem.__table__
_F = SustainFlag.__table__
_H = HealthUpdate.__table__

OPEN = (Status.ACTIVE, Status.ON_HOLD)
CLOSED_COLUMN = "closed"
COLUMNS: tuple[str, ...] = (*(p.value for p in PHASES), CLOSED_COLUMN)
PER_COLUMN = 20
MAX_PER_COLUMN = 100


def column_label(key: str) -> str:
    if key == CLOSED_COLUMN:
        return "Closed"
    return " / ".join(dict.fromkeys(labels[key] for labels in PHASE_LABELS.values()))


@dataclass(frozen=True)
class PortfolioFilters:
    site_id: int | None = None
    area_id: int | None = None
    methodology: str | None = None
    lead_id: int | None = None
    status: str = "open"
    year: int | None = None
    phase: str | None = None


def conditions(filters: PortfolioFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.site_id:
        areas = select(_UNITS.c.id).where(_UNITS.c.parent_id == filters.site_id)
        where.append(or_(_P.c.org_unit_id == filters.site_id, _P.c.org_unit_id.in_(areas)))
    if filters.area_id:
        where.append(_P.c.org_unit_id == filters.area_id)
    if filters.methodology:
        where.append(_P.c.methodology == filters.methodology)
    if filters.lead_id:
        where.append(_P.c.lead_id == filters.lead_id)
    if filters.status == "open":
        where.append(_P.c.status.in_(OPEN))
    elif filters.status != "all":
        where.append(_P.c.status == filters.status)
    if filters.year:
        # The year the project was opened (its key's year), as a range the index can serve.
        start = datetime(filters.year, 1, 1, tzinfo=UTC)
        where.append(and_(_P.c.created_at >= start,
                          _P.c.created_at < start.replace(year=filters.year + 1)))
    if filters.phase:
        where.append(_P.c.phase == filters.phase)
    return where


# The pipeline column of a project: its phase, or "closed".
COLUMN = case((_P.c.status == Status.CLOSED, CLOSED_COLUMN), else_=_P.c.phase)


# Bound at execution: today's date (for overdue actions) and the projects a list shows.
TODAY = bindparam("today", type_=Date())
IDS = bindparam("ids", expanding=True)


def _aggregates(restricted: bool) -> dict[str, Subquery]:
    """Per-project figures, each a GROUP BY over its table, to join to the projects;
    ``restricted`` to the projects ``IDS`` (a page or a board reads a few dozen).
    Built once at import (below), so a request only binds its values."""

    def only(stmt: Select[Any], table: Any) -> Select[Any]:
        return stmt.where(table.c.project_id.in_(IDS)) if restricted else stmt

    newest = only(select(func.max(_H.c.id).label("id")), _H).group_by(
        _H.c.project_id).subquery("newest")
    return {
        "passed": only(select(_G.c.project_id, func.max(_G.c.decided_at).label("at"))
                       .where(_G.c.status == ReviewStatus.APPROVED), _G)
        .group_by(_G.c.project_id).subquery("passed"),
        "pending": only(select(_G.c.project_id, func.min(_G.c.requested_at).label("since"))
                        .where(_G.c.status == ReviewStatus.PENDING), _G)
        .group_by(_G.c.project_id).subquery("pending"),
        "overdue": only(select(_A.c.project_id, func.count().label("n"))
                        .where(_A.c.status != "done", _A.c.due_date < TODAY), _A)
        .group_by(_A.c.project_id).subquery("overdue"),
        "signals": only(select(_F.c.project_id, func.count().label("n"))
                        .where(_F.c.cleared_at.is_(None)), _F)
        .group_by(_F.c.project_id).subquery("signals"),
        # The newest report per project, joined on max(id): as "id IN (SELECT max(id) ...)"
        # SQLite took seconds on 5,000 projects (the IN list was looked up row by row).
        "health": select(_H.c.project_id, _H.c.health, _H.c.reason, _H.c.set_at)
        .join(newest, newest.c.id == _H.c.id).subquery("health"),
    }


def since_of(passed: Subquery) -> Any:
    """When the project entered its phase: the last gate passed, or its opening."""
    return func.coalesce(passed.c.at, _P.c.created_at)


def _joined(agg: Subquery, base: Any) -> Any:
    return base.outerjoin(agg, agg.c.project_id == _P.c.id)


# Over every project: what the first step of a list orders or filters by.
AGG = _aggregates(restricted=False)
# When each project entered its phase, for ordering and the stalled test: a correlated
# max() that the index (status, project_id, decided_at) answers per project without reading
# a row; on 5,000 projects half the time of joining the grouped reviews (bench).
SINCE = func.coalesce(
    select(func.max(_G.c.decided_at))
    .where(_G.c.status == ReviewStatus.APPROVED, _G.c.project_id == _P.c.id)
    .correlate(_P).scalar_subquery(), _P.c.created_at)


def _rows_statement() -> Select[Any]:
    """Every column a row shows, for the projects ``IDS``: the second step of every list
    here, after a first statement has chosen (and ordered) the few projects to show, so
    the aggregates run over those projects' rows only."""
    agg = _aggregates(restricted=True)
    base = (_P.outerjoin(_USERS, _P.c.lead_id == _USERS.c.id)
            .outerjoin(_UNITS, _P.c.org_unit_id == _UNITS.c.id)
            .outerjoin(_SITES, _UNITS.c.parent_id == _SITES.c.id))
    for name in ("passed", "pending", "overdue", "signals", "health"):
        base = _joined(agg[name], base)
    return (select(_P.c.id, _P.c.key, _P.c.title, _P.c.methodology, _P.c.phase, _P.c.status,
                   _P.c.target_date, _USERS.c.id, _USERS.c.name, _UNITS.c.id, _UNITS.c.name,
                   _SITES.c.name, since_of(agg["passed"]).label("since"),
                   func.coalesce(agg["overdue"].c.n, 0), func.coalesce(agg["signals"].c.n, 0),
                   agg["pending"].c.since, agg["health"].c.health, agg["health"].c.reason,
                   agg["health"].c.set_at)
            .select_from(base).where(_P.c.id.in_(IDS)))


ROWS = _rows_statement()


def rows_of(ids: list[int], clock: Clock) -> list[PortfolioRow]:
    """The rows of ``ids``, in that order; one statement (none for no ids)."""
    if not ids:
        return []
    found = {row.id: make_row(row, clock) for row in db.session.execute(
        ROWS, {"ids": ids, "today": clock.today})}
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One project as the board and the table show it."""

    id: int
    key: str
    title: str
    methodology: str
    phase: str
    status: str
    target_date: date | None
    lead: PersonRef | None
    org_unit: UnitRef | None
    phase_since: datetime
    days_in_phase: int
    overdue: int
    signals: int
    waiting_since: datetime | None
    health: str | None
    health_reason: str
    health_set_at: datetime | None
    suggested: Suggestion

    @property
    def phase_label(self) -> str:
        return phase_label(self.methodology, self.phase)

    @property
    def differs(self) -> bool:
        """The lead's report and the data disagree (or the lead has not reported)."""
        return self.health != self.suggested.health

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "methodology": self.methodology,
            "phase": self.phase, "phase_label": self.phase_label, "status": self.status,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "lead": self.lead._asdict() if self.lead else None,
            "org_unit": self.org_unit._asdict() if self.org_unit else None,
            "phase_since": self.phase_since.isoformat(), "days_in_phase": self.days_in_phase,
            "overdue_actions": self.overdue, "signals": self.signals,
            "review_waiting_since": (self.waiting_since.isoformat()
                                     if self.waiting_since else None),
            "health": None if self.health is None else {
                "value": self.health, "reason": self.health_reason,
                "set_at": self.health_set_at.isoformat() if self.health_set_at else None},
            "suggested_health": {"value": self.suggested.health,
                                 "reasons": list(self.suggested.reasons)},
        }


@dataclass(frozen=True)
class Clock:
    """Now, and the stalled threshold, as one request sees them."""

    now: datetime
    stalled_days: int

    @property
    def today(self) -> date:
        return self.now.date()


def make_row(row: Any, clock: Clock) -> PortfolioRow:
    (id_, key, title, methodology, phase, status, target, lead_id, lead, unit_id, unit, site,
     since, overdue, signals, waiting, health, reason, set_at) = tuple(row)[:19]
    days = max((clock.now - since).days, 0)
    label = phase_label(methodology, phase)
    return PortfolioRow(
        id_, key, title, methodology, phase, status, target,
        None if lead_id is None else PersonRef(lead_id, lead),
        None if unit_id is None else UnitRef(unit_id, f"{site} > {unit}" if site else unit),
        since, days, int(overdue), int(signals), waiting, health, reason or "", set_at,
        suggest(status=status, overdue=int(overdue), signals=int(signals), days_in_phase=days,
                stalled=since < stalled_cutoff(clock), stalled_days=clock.stalled_days,
                phase_label=label, target_date=target, today=clock.today))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    count: int
    rows: list[PortfolioRow] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def board(filters: PortfolioFilters, clock: Clock, per_column: int = PER_COLUMN
          ) -> list[Column]:
    """Every column of the pipeline (the phases, then Closed when closed projects are
    shown) with its count and its first ``per_column`` cards, the longest in the phase
    first. Two statements: the cards chosen by a window over the projects (with each
    column's count, a window too), then those cards' rows."""
    ranked = (select(_P.c.id, COLUMN.label("column"),
                     func.row_number().over(partition_by=COLUMN,
                                            order_by=(SINCE, _P.c.id)).label("rn"),
                     func.count().over(partition_by=COLUMN).label("n"))
              .select_from(_P).where(*conditions(filters)).subquery("ranked"))
    picked = db.session.execute(select(ranked.c.id, ranked.c.column, ranked.c.n)
                                .where(ranked.c.rn <= per_column)
                                .order_by(ranked.c.rn)).all()
    counts = {row.column: row.n for row in picked}  # a column with no card has none
    ids = [row.id for row in picked]
    cards: dict[str, list[PortfolioRow]] = {}
    for row in rows_of(ids, clock):
        cards.setdefault(CLOSED_COLUMN if row.status == Status.CLOSED else row.phase,
                         []).append(row)
    shown = [key for key in COLUMNS if key != CLOSED_COLUMN
             or filters.status in ("all", Status.CLOSED) or counts.get(key)]
    if filters.status == Status.CLOSED:
        shown = [CLOSED_COLUMN]
    return [Column(key, column_label(key), int(counts.get(key, 0)), cards.get(key, []))
            for key in shown]


def project_row(project_id: int, clock: Clock) -> PortfolioRow | None:
    """One project's row (its health page shows the suggestion)."""
    found = rows_of([project_id], clock)
    return found[0] if found else None


def clock_for(stalled_days: int, now: datetime | None = None) -> Clock:
    return Clock(now or datetime.now(UTC), stalled_days)


STALLED_MIN, STALLED_MAX = 1, 3650


def stalled_cutoff(clock: Clock) -> datetime:
    return clock.now - timedelta(days=clock.stalled_days)
