"""What needs the council's attention: gate reviews waiting, overdue actions, projects
stalled in a phase, and closed projects whose sustain monitoring raised a signal.

Each part is one or two statements whatever the size of the portfolio (the stalled
projects and the overdue actions: their ids, then their rows): its first rows, the most
urgent first, with the part's total counted by a window over the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select

from ..auth.models import Role, User
from ..extensions import db
from ..gates.models import ReviewStatus
from ..projects.phases import Status, phase_label
from .board import (
    _A,
    _F,
    _G,
    _P,
    _USERS,
    SINCE,
    Clock,
    PortfolioFilters,
    PortfolioRow,
    conditions,
    rows_of,
    stalled_cutoff,
)

T = TypeVar("T")
LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class Part(Generic[T]):
    items: list[T]
    total: int


@dataclass(frozen=True, slots=True)
class ReviewWaiting:
    id: int
    key: str
    title: str
    methodology: str
    phase: str
    requested_by: str
    requested_at: datetime
    days: int
    yours: bool  # the person looking may decide it

    @property
    def phase_label(self) -> str:
        return phase_label(self.methodology, self.phase)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "project": self.key, "title": self.title, "phase": self.phase,
                "phase_label": self.phase_label, "requested_by": self.requested_by,
                "requested_at": self.requested_at.isoformat(), "days_waiting": self.days,
                "yours_to_decide": self.yours}


@dataclass(frozen=True, slots=True)
class OverdueAction:
    id: int
    title: str
    owner: str
    due_date: date
    days_late: int
    key: str
    project_title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "owner": self.owner,
                "due_date": self.due_date.isoformat(), "days_late": self.days_late,
                "project": self.key, "project_title": self.project_title}


@dataclass(frozen=True, slots=True)
class Signal:
    id: int
    key: str
    title: str
    message: str
    raised_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "project": self.key, "title": self.title,
                "message": self.message, "raised_at": self.raised_at.isoformat()}


@dataclass(frozen=True)
class Attention:
    reviews: Part[ReviewWaiting]
    overdue: Part[OverdueAction]
    stalled: Part[PortfolioRow]
    signals: Part[Signal]
    stalled_days: int

    @property
    def total(self) -> int:
        return (self.reviews.total + self.overdue.total + self.stalled.total
                + self.signals.total)


def _where(filters: PortfolioFilters, *status: str) -> list[Any]:
    """The filters of place, people, method and year; each part says which statuses it
    concerns."""
    where = conditions(replace(filters, status="all", phase=None))
    return [*where, _P.c.status.in_(status)] if status else where


def _total(rows: list[Any]) -> int:
    return int(rows[0].total) if rows else 0


def reviews(user: User, filters: PortfolioFilters, clock: Clock,
            limit: int = LIMIT) -> Part[ReviewWaiting]:
    rows = list(db.session.execute(
        select(_G.c.id, _P.c.key, _P.c.title, _P.c.methodology, _G.c.phase, _USERS.c.name,
               _G.c.requested_at, _G.c.requested_by_id, _P.c.sponsor_id,
               func.count().over().label("total"))
        .select_from(_G.join(_P, _G.c.project_id == _P.c.id)
                     .join(_USERS, _G.c.requested_by_id == _USERS.c.id))
        .where(_G.c.status == ReviewStatus.PENDING, *_where(filters))
        .order_by(_G.c.requested_at, _G.c.id).limit(limit)))
    council = user.has_role(Role.COUNCIL) and not user.has_role(Role.VIEWER)
    items = [ReviewWaiting(r.id, r.key, r.title, r.methodology, r.phase, r.name,
                           r.requested_at, max((clock.now - r.requested_at).days, 0),
                           r.requested_by_id != user.id
                           and (council or r.sponsor_id == user.id)
                           and not user.has_role(Role.VIEWER))
             for r in rows]
    return Part(items, _total(rows))


def overdue_actions(filters: PortfolioFilters, clock: Clock,
                    limit: int = LIMIT) -> Part[OverdueAction]:
    """Open actions past their due date, of projects not cancelled, the most overdue
    first: the page's ids with the total, then their details."""
    where = _where(filters)
    if where:
        of_projects = _A.c.project_id.in_(select(_P.c.id).where(
            *where, _P.c.status != Status.CANCELLED))
    else:
        # Written as "not of a cancelled project" rather than "of a project not cancelled":
        # SQLite then reads the actions from the (due_date, status, project_id) index, five
        # times faster on 20,000 actions than through their projects (bench).
        of_projects = _A.c.project_id.not_in(select(_P.c.id).where(
            _P.c.status == Status.CANCELLED))
    picked = db.session.execute(
        select(_A.c.id, func.count().over().label("total"))
        .where(_A.c.status != "done", _A.c.due_date < clock.today, of_projects)
        .order_by(_A.c.due_date, _A.c.id).limit(limit)).all()
    order = {row.id: n for n, row in enumerate(picked)}
    rows = db.session.execute(
        select(_A.c.id, _A.c.title, _USERS.c.name, _A.c.due_date, _P.c.key,
               _P.c.title.label("project_title"))
        .select_from(_A.join(_P, _A.c.project_id == _P.c.id)
                     .join(_USERS, _A.c.owner_id == _USERS.c.id))
        .where(_A.c.id.in_(list(order)))).all() if order else []
    items = sorted((OverdueAction(r.id, r.title, r.name, r.due_date,
                                  (clock.today - r.due_date).days, r.key, r.project_title)
                    for r in rows), key=lambda a: order[a.id])
    return Part(items, _total(picked))


def stalled(filters: PortfolioFilters, clock: Clock, limit: int = LIMIT
            ) -> Part[PortfolioRow]:
    """Active projects longer than the threshold in their phase, the longest first: the
    ids with their total, then their rows."""
    picked = db.session.execute(
        select(_P.c.id, func.count().over().label("total"))
        .select_from(_P)
        .where(*conditions(replace(filters, status=Status.ACTIVE, phase=None)),
               stalled_cutoff(clock) > SINCE)
        .order_by(SINCE, _P.c.id).limit(limit)).all()
    return Part(rows_of([row.id for row in picked], clock), _total(picked))


def signals(filters: PortfolioFilters, limit: int = LIMIT) -> Part[Signal]:
    """Open sustain flags of closed projects, the newest first."""
    rows = list(db.session.execute(
        select(_F.c.id, _P.c.key, _P.c.title, _F.c.message, _F.c.raised_at,
               func.count().over().label("total"))
        .select_from(_F.join(_P, _F.c.project_id == _P.c.id))
        .where(_F.c.cleared_at.is_(None), *_where(filters, Status.CLOSED))
        .order_by(_F.c.raised_at.desc(), _F.c.id.desc()).limit(limit)))
    return Part([Signal(r.id, r.key, r.title, r.message, r.raised_at) for r in rows],
                _total(rows))


def attention(user: User, filters: PortfolioFilters, clock: Clock,
              limit: int = LIMIT) -> Attention:
    """The four parts; six statements."""
    return Attention(reviews(user, filters, clock, limit),
                     overdue_actions(filters, clock, limit),
                     stalled(filters, clock, limit), signals(filters, limit),
                     clock.stalled_days)
