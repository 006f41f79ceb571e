"""Loading the demo into a database through the real services.

Projects, teams, checklist ticks, gate reviews and status moves all go through the services
the web pages use, so the audit trail, the notifications and the gate snapshots are the
ones a real project would have. Afterwards each step's rows are dated back along the
project's timeline, so histories read like months of work rather than one second.

The demo is recognised by its users' e-mail domain: a second run finds them and adds
nothing. Functions flush, never commit; the CLI command commits once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, inspect, select, update
from werkzeug.security import generate_password_hash

from ..audit import services as audit
from ..audit.models import AuditEvent
from ..auth.models import ROLE_LABELS, BeltLevel, OrgUnit, Role, User
from ..core.errors import DomainError
from ..core.time import utcnow
from ..extensions import db
from ..gates import closing
from ..gates import services as gates
from ..gates.criteria import CHECKLISTS
from ..gates.models import ChecklistTick, GateReview
from ..notifications.models import Notification
from ..orgunits import services as orgunits
from ..projects import services as projects
from ..projects.models import Project
from ..projects.phases import Phase, Status
from . import benefits as demo_benefits
from . import data
from . import datasets as demo_datasets
from . import kpis as demo_kpis
from . import portfolio as demo_portfolio
from .data import (
    DEMO_DOMAIN,
    AddMember,
    Cancel,
    DemoProject,
    Hold,
    Pass,
    Pending,
    SendBack,
    Step,
    Tick,
)

# Used only when a gate gains data criteria the demo has no data for (data sets are not
# part of the demo); the demo's own override is written in data.py.
DECISION_DELAY = timedelta(days=1, hours=5)
FALLBACK_OVERRIDE = ("Evidence presented at the council meeting from the site's own records; "
                     "the demo data set does not include the measurements.")


@dataclass(frozen=True)
class Login:
    email: str
    role: str
    name: str


@dataclass(frozen=True)
class SeedResult:
    loaded: bool
    message: str
    logins: tuple[Login, ...] = ()


def demo_user_count() -> int:
    stmt = select(func.count()).select_from(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))
    return int(db.session.scalar(stmt) or 0)


def other_user_count() -> int:
    stmt = select(func.count()).select_from(User).where(~User.email.like(f"%@{DEMO_DOMAIN}"))
    return int(db.session.scalar(stmt) or 0)


def load_demo(*, force: bool = False) -> SeedResult:
    """Load the demo, or say why not: already loaded, or (without ``force``) not empty."""
    if not inspect(db.engine).has_table(User.__tablename__):
        raise DomainError("The database has no tables yet: run `flask --app ciapp db upgrade` "
                          "first.")
    found = demo_user_count()
    if found:
        # The sign-ins again: whoever runs `make run` a second time needs them as much.
        return SeedResult(False, f"The demo is already loaded ({found} demo users found); "
                                 "nothing was added.", demo_logins())
    others = other_user_count()
    if others and not force:
        raise DomainError(
            f"This database already has {others} user{'s' if others != 1 else ''} of its own; "
            "the demo is meant for an empty database. Run with --force to add it alongside "
            "them (nothing existing is changed).")
    users, units = _people()
    made = [_project(spec, users, units) for spec in data.PROJECTS]
    demo_datasets.add(made)
    demo_portfolio.add(made, users, units)
    demo_benefits.add(made, next(u for u in users.values() if u.role == Role.FINANCE))
    demo_kpis.add(users, units)
    for project in made:
        # The stories close projects before their data sets and benefits are added: run the
        # closing listeners again, so the A3 frozen at closing shows the closed project's data.
        if project.status == Status.CLOSED:
            closing.project_closed(project)
    logins = tuple(Login(u.email, _role_text(u), u.name) for u in users.values())
    return SeedResult(True, f"Loaded the demo: {len(data.SITES)} sites, {len(users)} users, "
                            f"{len(data.PROJECTS)} projects.", logins)


def demo_logins() -> tuple[Login, ...]:
    """The demo accounts in the database, in the order they were made."""
    users = db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))
                               .order_by(User.id))
    return tuple(Login(u.email, _role_text(u), u.name) for u in users)


def _role_text(user: User) -> str:
    role = ROLE_LABELS[Role(user.role)]
    return role if user.belt_level == BeltLevel.NONE else f"{role}, {user.belt_label.lower()}"


# --- people and places ------------------------------------------------------------------

Units = dict[tuple[str, str | None], OrgUnit]


def _people() -> tuple[dict[str, User], Units]:
    """Every demo person, sharing one password hash (hashing is slow on purpose)."""
    password_hash = generate_password_hash(data.DEMO_PASSWORD)
    first, *rest = data.PEOPLE
    users = {first.key: _user(None, first, None, password_hash)}
    units = _org_units(users[first.key])
    for person in rest:
        unit = units.get((person.site, person.area)) if person.site else None
        users[person.key] = _user(users[first.key], person, unit, password_hash)
    return users, units


def _user(actor: User | None, person: data.Person, unit: OrgUnit | None,
          password_hash: str) -> User:
    user = User(email=person.email, name=person.name, role=person.role,
                belt_level=person.belt, org_unit=unit, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", "user", user.id,
                 summary=f"Created user {user.email} ({user.role}) for the demo")
    return user


def _org_units(actor: User) -> Units:
    """The demo's sites and areas, reusing any that already exist by name (``--force``)."""
    units: Units = {}
    for site_name, areas in data.SITES.items():
        site = db.session.scalar(select(OrgUnit).where(OrgUnit.name == site_name,
                                                       OrgUnit.parent_id.is_(None)))
        site = site or orgunits.create_site(actor, site_name)
        units[(site_name, None)] = site
        existing = {a.name: a for a in site.children}
        for area_name in areas:
            units[(site_name, area_name)] = existing.get(area_name) or orgunits.create_area(
                actor, site.id, area_name)
    return units


# --- projects and their stories ---------------------------------------------------------

def _project(spec: DemoProject, users: dict[str, User], units: Units) -> Project:
    lead = users[spec.lead]
    start = date.today() - timedelta(weeks=spec.started_weeks_ago)
    sponsor = users[spec.sponsor]
    values = {**spec.charter, "title": spec.title, "methodology": spec.methodology,
              "lead_id": lead.id,
              "org_unit_id": units[(spec.site, spec.area)].id, "start_date": start,
              "target_date": start + timedelta(weeks=spec.weeks)}
    timeline = _timeline(start, len(spec.story))
    with _dated(timeline[0]):
        project = projects.create_project(
            lead, values, team=[(users[key].id, role) for key, role in spec.team])
        # The council names the sponsor, as in real use: a lead cannot.
        projects.update_project(sponsor, project, {"sponsor_id": sponsor.id})
        project.created_at = timeline[0]
    for step, when in zip(spec.story, timeline[1:], strict=True):
        _play(step, project, users, when)
    if project.status == Status.CLOSED:
        project.closed_at = timeline[-1] + DECISION_DELAY
    db.session.flush()
    return project


def _play(step: Step, project: Project, users: dict[str, User], when: datetime) -> None:
    """Replay one step; a gate decision is dated a day after its request."""
    lead, sponsor = project.lead, project.sponsor
    assert lead is not None and sponsor is not None
    decider = users[step.by] if isinstance(step, Pass | SendBack) and step.by else sponsor
    with _dated(when):
        match step:
            case Pass() | SendBack() | Pending():
                _tick_all(lead, project)
                review = gates.request_review(lead, project, step.note)
            case Tick():
                gates.set_tick(lead, project, step.item, True)
            case AddMember():
                projects.add_member(lead, project, users[step.person].id, step.role)
            case Hold():
                projects.change_status(lead, project, "hold", step.reason)
            case Cancel():
                projects.change_status(sponsor, project, "cancel", step.reason)
    with _dated(when + DECISION_DELAY):
        match step:
            case Pass():
                gates.decide_review(decider, review, "approve", step.comment,
                                    step.override or FALLBACK_OVERRIDE)
            case SendBack():
                gates.decide_review(decider, review, "return", step.comment)


def _tick_all(actor: User, project: Project) -> None:
    for item in CHECKLISTS[Phase(project.phase)]:
        gates.set_tick(actor, project, item, True)


# --- dating the history back ------------------------------------------------------------

@dataclass(frozen=True)
class _Marks:
    audit: int
    notification: int
    tick: int
    review: int
    wall: datetime


def _max_id(model: type[Any]) -> int:
    return int(db.session.scalar(select(func.max(model.id))) or 0)


def _marks() -> _Marks:
    db.session.flush()
    return _Marks(_max_id(AuditEvent), _max_id(Notification), _max_id(ChecklistTick),
                  _max_id(GateReview), utcnow())


def _timeline(start: date, steps: int) -> list[datetime]:
    """Creation on the start day, then one working morning per step, the last two days ago
    (so its decision, a day later, is still in the past)."""
    last = date.today() - timedelta(days=2)
    days = [start + (last - start) * k / max(steps, 1) for k in range(steps + 1)]
    return [datetime.combine(d, time(9, 30) if k == 0 else time(10, 0), tzinfo=UTC)
            for k, d in enumerate(days)]


@contextmanager
def _dated(when: datetime) -> Iterator[None]:
    """Date every row the block writes (audit, notifications, ticks, reviews) at ``when``."""
    marks = _marks()
    yield
    _stamp(marks, when)


def _stamp(marks: _Marks, when: datetime) -> None:
    db.session.flush()
    for stmt in (
        update(AuditEvent).where(AuditEvent.id > marks.audit).values(at=when),
        update(Notification).where(Notification.id > marks.notification).values(at=when),
        update(ChecklistTick).where(ChecklistTick.id > marks.tick).values(ticked_at=when),
        update(GateReview).where(GateReview.id > marks.review).values(requested_at=when),
        update(GateReview).where(GateReview.decided_at >= marks.wall).values(decided_at=when),
    ):
        db.session.execute(stmt.execution_options(synchronize_session=False))
