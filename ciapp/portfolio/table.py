"""The portfolio as a sortable table: a page of projects in the order a column asks for.

Two statements: the page's project ids in order, with the total as a window count (joined
only to what the order needs: one aggregate at most), then their rows (``board.rows_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from ..extensions import db
from ..projects.phases import PHASES
from .board import (
    _P,
    _UNITS,
    _USERS,
    AGG,
    SINCE,
    Clock,
    PortfolioFilters,
    PortfolioRow,
    _joined,
    conditions,
    rows_of,
)

PER_PAGE = 50
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


def _order(sort: str) -> tuple[Any, Any]:
    """The expression to sort by, and the FROM clause it needs."""
    base = (_P.outerjoin(_USERS, _P.c.lead_id == _USERS.c.id)
            .outerjoin(_UNITS, _P.c.org_unit_id == _UNITS.c.id))
    plain = {"key": _P.c.key, "title": _P.c.title, "status": _P.c.status,
             "target_date": _P.c.target_date, "lead": _USERS.c.name, "unit": _UNITS.c.name,
             "phase": case(PHASE_RANK, value=_P.c.phase, else_=99)}
    if sort in plain:
        return plain[sort], base
    if sort == "overdue":
        return func.coalesce(AGG["overdue"].c.n, 0), _joined(AGG["overdue"], base)
    if sort == "health":
        return (case(HEALTH_RANK, value=AGG["health"].c.health, else_=0),
                _joined(AGG["health"], base))
    if sort == "waiting":
        return AGG["pending"].c.since, _joined(AGG["pending"], base)
    return SINCE, base


def table(filters: PortfolioFilters, clock: Clock, *, sort: str = "since",
          direction: str = "asc", page: int = 1, per_page: int = PER_PAGE) -> TablePage:
    """A page of the table in the chosen order, ties broken by key."""
    expression, base = _order(sort if sort in SORTS else "since")
    ordered = expression.desc() if direction == "desc" else expression.asc()
    where = conditions(filters)
    picked = db.session.execute(
        select(_P.c.id, func.count().over().label("total")).select_from(base).where(*where)
        .order_by(ordered.nulls_last(), _P.c.key)
        .limit(per_page).offset((page - 1) * per_page), {"today": clock.today}).all()
    if picked:
        total = int(picked[0].total)
    else:  # past the last page: say how many there are
        total = int(db.session.scalar(select(func.count()).select_from(_P).where(*where)) or 0)
    return TablePage(rows_of([row.id for row in picked], clock), page, per_page, total)
