"""The pipeline: projects by phase as a board and as a sortable table, under one set of
filters, each row with its health (the lead's and the data's suggestion).

Everything a row shows comes from one statement: the project joined to its lead and site /
area, and to per-project aggregates computed in SQL (the last gate passed, overdue actions,
open sustain signals, a pending review, the newest health report). The board is two
statements (the count per column and the first cards of each, picked by a window function),
the table one (its page, with the total as a window count), whatever the number of
projects; ``tests/portfolio/test_queries.py`` counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
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
# Status filter values: the statuses themselves, "open" (active or on hold, the default) and
# "all".
STATUS_CHOICES = ("open", "all", *(s.value for s in Status))
CLOSED_COLUMN = "closed"
COLUMNS: tuple[str, ...] = (*(p.value for p in PHASES), CLOSED_COLUMN)
PER_COLUMN = 20
MAX_PER_COLUMN = 100
TABLE_PER_PAGE = 50


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


def _aggregates(today: date) -> dict[str, Subquery]:
    """Per-project figures, each a GROUP BY over its table, joined to the projects."""
    return {
        "passed": select(_G.c.project_id, func.max(_G.c.decided_at).label("at"))
        .where(_G.c.status == ReviewStatus.APPROVED).group_by(_G.c.project_id)
        .subquery("passed"),
        "pending": select(_G.c.project_id, func.min(_G.c.requested_at).label("since"))
        .where(_G.c.status == ReviewStatus.PENDING).group_by(_G.c.project_id)
        .subquery("pending"),
        "overdue": select(_A.c.project_id, func.count().label("n"))
        .where(_A.c.status != "done", _A.c.due_date < today).group_by(_A.c.project_id)
        .subquery("overdue"),
        "signals": select(_F.c.project_id, func.count().label("n"))
        .where(_F.c.cleared_at.is_(None)).group_by(_F.c.project_id).subquery("signals"),
        "health": select(_H.c.project_id, _H.c.health, _H.c.reason, _H.c.set_at)
        .where(_H.c.id.in_(select(func.max(_H.c.id)).group_by(_H.c.project_id)))
        .subquery("health"),
    }


def rows_statement(filters: PortfolioFilters, today: date,
                   extra: tuple[Any, ...] = ()) -> tuple[Select[Any], dict[str, Any]]:
    """The rows of the filtered projects, every column a row shows, and the named
    expressions (for ordering and windows)."""
    agg = _aggregates(today)
    since = func.coalesce(agg["passed"].c.at, _P.c.created_at)
    column = case((_P.c.status == Status.CLOSED, CLOSED_COLUMN), else_=_P.c.phase)
    named = {"since": since, "column": column, "key": _P.c.key, "title": _P.c.title,
             "phase": _P.c.phase, "status": _P.c.status, "lead": _USERS.c.name,
             "unit": _UNITS.c.name, "target_date": _P.c.target_date,
             "overdue": func.coalesce(agg["overdue"].c.n, 0),
             "health": agg["health"].c.health, "waiting": agg["pending"].c.since,
             "signals": func.coalesce(agg["signals"].c.n, 0), "id": _P.c.id}
    stmt = (select(_P.c.id, _P.c.key, _P.c.title, _P.c.methodology, _P.c.phase, _P.c.status,
                   _P.c.target_date, _USERS.c.id, _USERS.c.name, _UNITS.c.id, _UNITS.c.name,
                   _SITES.c.name, since.label("since"), named["overdue"].label("overdue"),
                   named["signals"].label("signals"), agg["pending"].c.since,
                   agg["health"].c.health, agg["health"].c.reason, agg["health"].c.set_at,
                   column.label("column"), *extra)
            .select_from(
                _P.outerjoin(_USERS, _P.c.lead_id == _USERS.c.id)
                .outerjoin(_UNITS, _P.c.org_unit_id == _UNITS.c.id)
                .outerjoin(_SITES, _UNITS.c.parent_id == _SITES.c.id)
                .outerjoin(agg["passed"], agg["passed"].c.project_id == _P.c.id)
                .outerjoin(agg["pending"], agg["pending"].c.project_id == _P.c.id)
                .outerjoin(agg["overdue"], agg["overdue"].c.project_id == _P.c.id)
                .outerjoin(agg["signals"], agg["signals"].c.project_id == _P.c.id)
                .outerjoin(agg["health"], agg["health"].c.project_id == _P.c.id))
            .where(*conditions(filters)))
    return stmt, named


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
    first. Two statements."""
    stmt, named = rows_statement(filters, clock.today)
    inner = stmt.subquery("rows")
    counts = dict(db.session.execute(
        select(inner.c.column, func.count()).group_by(inner.c.column)).all())
    ranked = stmt.add_columns(func.row_number().over(
        partition_by=named["column"], order_by=(named["since"], _P.c.id)).label("rn"))
    ranked_sq = ranked.subquery("ranked")
    cards: dict[str, list[PortfolioRow]] = {}
    for row in db.session.execute(select(ranked_sq).where(ranked_sq.c.rn <= per_column)
                                  .order_by(ranked_sq.c.rn)):
        cards.setdefault(row.column, []).append(make_row(row, clock))
    shown = [key for key in COLUMNS if key != CLOSED_COLUMN
             or filters.status in ("all", Status.CLOSED) or counts.get(key)]
    if filters.status == Status.CLOSED:
        shown = [CLOSED_COLUMN]
    return [Column(key, column_label(key), int(counts.get(key, 0)), cards.get(key, []))
            for key in shown]


SORTS: dict[str, str] = {
    "key": "Key", "title": "Title", "phase": "Phase", "status": "Status", "lead": "Lead",
    "unit": "Site / area", "health": "Health", "since": "Days in phase",
    "overdue": "Overdue actions", "waiting": "Review waiting", "target_date": "Target date",
}
# The order a person expects on the first click: the worst first where there is a worst.
DEFAULT_DIRECTION = {"since": "asc", "overdue": "desc", "health": "desc", "waiting": "asc"}
HEALTH_RANK = {"on_track": 1, "at_risk": 2, "off_track": 3}
PHASE_RANK = {p.value: i for i, p in enumerate(PHASES)}


@dataclass(frozen=True)
class TablePage:
    rows: list[PortfolioRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(-(-self.total // self.per_page), 1)


def _sort_expression(sort: str, named: dict[str, Any]) -> Any:
    if sort == "health":
        return case(HEALTH_RANK, value=named["health"], else_=0)
    if sort == "phase":
        return case(PHASE_RANK, value=named["phase"], else_=99)
    return named[sort]


def table(filters: PortfolioFilters, clock: Clock, *, sort: str = "since",
          direction: str = "asc", page: int = 1, per_page: int = TABLE_PER_PAGE
          ) -> TablePage:
    """A page of the table in the chosen order (ties broken by key); one statement, the
    total counted by a window over the same rows."""
    stmt, named = rows_statement(filters, clock.today, (func.count().over().label("total"),))
    expression = _sort_expression(sort if sort in SORTS else "since", named)
    ordered = expression.desc() if direction == "desc" else expression.asc()
    rows = list(db.session.execute(stmt.order_by(ordered.nulls_last(), _P.c.key)
                                   .limit(per_page).offset((page - 1) * per_page)))
    if rows:
        total = int(rows[0].total)
    elif page > 1:
        total = int(db.session.scalar(select(func.count()).select_from(
            stmt.subquery())) or 0)
    else:
        total = 0
    return TablePage([make_row(row, clock) for row in rows], page, per_page, total)


def project_row(project_id: int, clock: Clock) -> PortfolioRow | None:
    """One project's row (its health page shows the suggestion)."""
    stmt, _ = rows_statement(PortfolioFilters(status="all"), clock.today)
    row = db.session.execute(stmt.where(_P.c.id == project_id)).first()
    return None if row is None else make_row(row, clock)


def clock_for(stalled_days: int, now: datetime | None = None) -> Clock:
    return Clock(now or datetime.now(UTC), stalled_days)


STALLED_MIN, STALLED_MAX = 1, 3650


def stalled_cutoff(clock: Clock) -> datetime:
    return clock.now - timedelta(days=clock.stalled_days)
