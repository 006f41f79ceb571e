"""What the start page shows, by role.

Belts and team members come for their own projects and the gate reviews they asked for;
the council for the reviews waiting for its decision and the portfolio by phase; viewers
(leadership) and finance for the portfolio, what is late and what closed lately; admins see
the council's view. Each part is one query, whatever the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ..auth.models import OrgUnit, Role, User
from ..extensions import db
from ..gates import waiting
from ..gates.models import GateReview
from ..projects.models import Project, TeamMember
from ..projects.phases import PHASES, Phase, Status

MINE_LIMIT = 20
LIST_LIMIT = 10
OPEN = (Status.ACTIVE, Status.ON_HOLD)


@dataclass(frozen=True)
class PhaseCount:
    phase: Phase
    active: int
    on_hold: int


@dataclass(frozen=True)
class StartPage:
    """The parts of the start page for one person; a part that is None is not shown."""

    heading: str
    waiting: list[GateReview] | None = None
    my_projects: list[Project] | None = None
    my_reviews: list[GateReview] | None = None
    by_phase: list[PhaseCount] | None = None
    late: list[Project] | None = None
    closed: list[Project] | None = None
    totals: dict[str, int] = field(default_factory=dict)


def start_page(user: User, today: date | None = None) -> StartPage:
    today = today or date.today()
    if user.has_role(Role.BELT, Role.MEMBER):
        reviews = waiting.waiting_for(user)  # a belt who sponsors a project decides its gates
        return StartPage("Your work", waiting=reviews or None, my_projects=my_projects(user),
                         my_reviews=waiting.requested_by(user, LIST_LIMIT))
    if user.has_role(Role.COUNCIL, Role.ADMIN):
        return StartPage("Council" if user.has_role(Role.COUNCIL) else "Portfolio",
                         waiting=waiting.waiting_for(user), by_phase=by_phase(),
                         late=late(today), totals=totals())
    return StartPage("Portfolio", by_phase=by_phase(), late=late(today),
                     closed=recently_closed(), totals=totals())


def _with_people(stmt: Select[tuple[Project]]) -> Select[tuple[Project]]:
    return stmt.options(joinedload(Project.lead),
                        joinedload(Project.org_unit).joinedload(OrgUnit.parent))


def my_projects(user: User) -> list[Project]:
    """Projects ``user`` leads, sponsors or is on the team of: open ones first, then by
    latest change."""
    on_team = select(TeamMember.project_id).where(TeamMember.user_id == user.id)
    stmt = (select(Project)
            .where(or_(Project.lead_id == user.id, Project.sponsor_id == user.id,
                       Project.id.in_(on_team)))
            .order_by(Project.status.not_in(OPEN), Project.updated_at.desc(), Project.id.desc())
            .limit(MINE_LIMIT))
    return list(db.session.scalars(_with_people(stmt)))


def by_phase() -> list[PhaseCount]:
    """Open projects per phase, active and on hold apart, every phase listed."""
    rows = db.session.execute(
        select(Project.phase, Project.status, func.count())
        .where(Project.status.in_(OPEN)).group_by(Project.phase, Project.status))
    counts = {(phase, status): n for phase, status, n in rows}
    return [PhaseCount(phase, counts.get((phase, Status.ACTIVE), 0),
                       counts.get((phase, Status.ON_HOLD), 0)) for phase in PHASES]


def totals() -> dict[str, int]:
    """Projects by status, every status present (0 when none)."""
    rows = db.session.execute(select(Project.status, func.count()).group_by(Project.status))
    found = dict(rows.all())
    return {status.value: int(found.get(status, 0)) for status in Status}


def late(today: date) -> list[Project]:
    """Active projects past their target date, the most overdue first."""
    stmt = (select(Project)
            .where(Project.status == Status.ACTIVE, Project.target_date < today)
            .order_by(Project.target_date, Project.id).limit(LIST_LIMIT))
    return list(db.session.scalars(_with_people(stmt)))


def recently_closed() -> list[Project]:
    stmt = (select(Project).where(Project.status == Status.CLOSED)
            .order_by(Project.closed_at.desc(), Project.id.desc()).limit(LIST_LIMIT))
    return list(db.session.scalars(_with_people(stmt)))
