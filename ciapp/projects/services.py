"""The rules of projects: creation with a key, charter edits, team, status moves, listing.

Services flush and never commit; the route or CLI command that calls them commits once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, selectinload

from ..audit import services as audit
from ..auth.models import OrgUnit, User
from ..core.errors import Conflict, DomainError, Forbidden, NotFound
from ..core.time import utcnow
from ..core.versions import check_version
from ..extensions import db
from . import permissions

# The list lives in listing.py; these names are its way in for routes, the API and tests.
from .listing import (  # noqa: F401
    ProjectFilters,
    list_projects,
    list_records,
    person_choices,
    project_query,
    unit_choices,
)
from .models import KeyCounter, Project, TeamMember
from .phases import Methodology, Phase, Status

CHARTER_FIELDS: tuple[str, ...] = (
    "title", "methodology", "problem", "goal", "in_scope", "out_of_scope", "business_case",
    "sponsor_id", "lead_id", "org_unit_id", "start_date", "target_date",
    "metric_name", "metric_unit", "metric_better", "lsl", "usl", "target", "alpha",
)


# A project's people and place, read with the project: the project page shows them all, and
# the permission rules ask about the lead, sponsor and team of every project they guard.
WITH_PEOPLE = (joinedload(Project.lead), joinedload(Project.sponsor),
               joinedload(Project.org_unit).joinedload(OrgUnit.parent),
               selectinload(Project.team).joinedload(TeamMember.user))


def get_project(key: str) -> Project:
    project = db.session.scalar(select(Project).where(Project.key == key).options(*WITH_PEOPLE))
    if project is None:
        raise NotFound(f"Project {key} was not found.")
    return project


def next_key(year: int) -> str:
    """Hand out the next key of ``year``, e.g. CI-2026-0042.

    The year's counter row is created with INSERT .. ON CONFLICT DO NOTHING and then read
    FOR UPDATE, so two app servers creating the first projects of a year at once wait for
    each other instead of one failing on the primary key.
    """
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[
        db.session.get_bind().dialect.name]
    db.session.execute(insert(KeyCounter).values(year=year, last=0).on_conflict_do_nothing())
    counter = db.session.get(KeyCounter, year, with_for_update=True, populate_existing=True)
    assert counter is not None
    counter.last += 1
    db.session.flush()
    return f"CI-{year}-{counter.last:04d}"


def check_charter(values: dict[str, Any]) -> None:
    """Rules across fields that a single field cannot check. Every broken rule is named at
    once, each on its field, in one DomainError: a person fixes them all in one go rather
    than meeting them one per submit."""
    errors: dict[str, list[str]] = {}
    lsl, usl, target = values.get("lsl"), values.get("usl"), values.get("target")
    if lsl is not None and usl is not None and lsl >= usl:
        errors["lsl"] = [f"LSL ({lsl:g}) must be below USL ({usl:g})."]
    if target is not None and ((lsl is not None and target < lsl)
                               or (usl is not None and target > usl)):
        errors["target"] = ["The target must lie between the specification limits."]
    start, end = values.get("start_date"), values.get("target_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["target_date"] = ["The target date cannot be before the start date."]
    alpha = values.get("alpha")
    if alpha is not None and not 0 < alpha < 0.5:
        errors["alpha"] = ["Alpha must be between 0 and 0.5 (0.05 is usual)."]
    for field, model in (("sponsor_id", User), ("lead_id", User), ("org_unit_id", OrgUnit)):
        ref = values.get(field)
        if ref is not None and db.session.get(model, ref) is None:
            errors[field] = [f"No {field.removesuffix('_id').replace('_', ' ')} with id {ref}."]
    if errors:
        raise DomainError(" ".join(m for messages in errors.values() for m in messages),
                          fields=errors)


def check_sponsor(actor: User, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Only council members and admins choose the sponsor, and the sponsor is never the
    lead: the sponsor decides the lead's gate reviews. Checked only when the sponsor or
    the lead changes, so an older project that breaks the rule can still be edited."""
    sponsor = after.get("sponsor_id")
    if sponsor != before.get("sponsor_id") and not permissions.can_set_sponsor(actor):
        raise Forbidden("Sponsor: only council members and admins choose a project's "
                        "sponsor; leave it as it is and ask the CI council.",
                        field="sponsor_id")
    people_changed = any(after.get(f) != before.get(f) for f in ("sponsor_id", "lead_id"))
    if people_changed and sponsor is not None and sponsor == after.get("lead_id"):
        raise DomainError("Sponsor: the project's lead cannot also be its sponsor, who "
                          "decides the lead's gate reviews; choose someone else.",
                          field="sponsor_id")


def create_project(actor: User, values: dict[str, Any],
                   team: list[tuple[int, str]] | None = None) -> Project:
    values = {k: v for k, v in values.items() if k in CHARTER_FIELDS}
    values.setdefault("methodology", Methodology.DMAIC)
    if values.get("lead_id") is None:
        values["lead_id"] = actor.id
    check_charter(values)
    check_sponsor(actor, {}, values)
    project = Project(key=next_key(utcnow().year), **values)
    db.session.add(project)
    db.session.flush()
    for user_id, role in team or []:
        add_member(actor, project, user_id, role, record=False)
    audit.record(actor, "create", "project", project.id, project_id=project.id,
                 summary=f"Created {project.key} {project.title}",
                 changes={k: [None, v] for k, v in values.items() if v not in (None, "")})
    return project


def update_project(actor: User, project: Project, values: dict[str, Any],
                   expected_version: int | None = None) -> dict[str, list[Any]]:
    """Apply charter changes; refuse when the project changed since ``expected_version``."""
    check_version(project, expected_version, project.key)
    values = {k: v for k, v in values.items() if k in CHARTER_FIELDS}
    current = {f: getattr(project, f) for f in CHARTER_FIELDS}
    merged = current | values
    check_charter(merged)
    check_sponsor(actor, current, merged)
    changes = audit.diff(project, values)
    if not changes:
        return changes
    for field in changes:
        setattr(project, field, values[field])
    db.session.flush()
    audit.record(actor, "update", "project", project.id, project_id=project.id,
                 summary="Edited " + ", ".join(sorted(changes)), changes=changes)
    return changes


def add_member(actor: User, project: Project, user_id: int, role: str,
               *, record: bool = True) -> TeamMember:
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError(f"No user with id {user_id}.", field="user_id")
    if project.is_member(user):
        raise DomainError(f"{user.name} is already on the team.", field="user_id")
    if user.id in (project.lead_id, project.sponsor_id):
        what = "leads" if user.id == project.lead_id else "sponsors"
        raise DomainError(f"{user.name} {what} this project, so is on the team card already; "
                          "add the people who work with them.", field="user_id")
    member = TeamMember(project=project, user=user, role=role.strip() or "Team member")
    db.session.add(member)
    db.session.flush()
    if record:
        audit.record(actor, "add_member", "project", project.id, project_id=project.id,
                     summary=f"Added {user.name} to the team as {member.role}")
    return member


def remove_member(actor: User, project: Project, member: TeamMember) -> None:
    """Take ``member`` (loaded within ``project`` by the route's policy) off the team."""
    if member.project_id != project.id or member not in project.team:
        raise NotFound(f"Team member {member.id} is not on {project.key}.")
    name = member.user.name
    project.team.remove(member)
    db.session.flush()
    audit.record(actor, "remove_member", "project", project.id, project_id=project.id,
                 summary=f"Removed {name} from the team")


# Status moves: (action) -> (allowed from, to, reason required)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, bool]] = {
    "hold": ((Status.ACTIVE,), Status.ON_HOLD, True),
    "resume": ((Status.ON_HOLD,), Status.ACTIVE, False),
    "cancel": ((Status.ACTIVE, Status.ON_HOLD), Status.CANCELLED, True),
    "reopen": ((Status.CANCELLED, Status.CLOSED), Status.ACTIVE, True),
}

TRANSITION_LABELS = {"hold": "Put on hold", "resume": "Resume", "cancel": "Cancel",
                     "reopen": "Reopen"}
# What the action makes of a project, for messages: "cannot be resumed".
TRANSITION_PAST = {"hold": "put on hold", "resume": "resumed", "cancel": "cancelled",
                   "reopen": "reopened"}


def status_actions(project: Project) -> list[str]:
    """The status moves that apply to ``project`` as it is now, in menu order."""
    return [action for action, (allowed_from, _, _) in TRANSITIONS.items()
            if project.status in allowed_from]


def change_status(actor: User, project: Project, action: str, reason: str = "") -> None:
    if action not in TRANSITIONS:
        raise DomainError(f"Unknown action {action!r}.", field="action")
    allowed_from, to, needs_reason = TRANSITIONS[action]
    if project.status not in allowed_from:
        raise Conflict(f"A project that is {project.status.replace('_', ' ')} cannot be "
                       f"{TRANSITION_PAST[action]}.", field="action")
    reason = reason.strip()
    if needs_reason and not reason:
        raise DomainError("Give a reason: it goes into the project's history.", field="reason")
    before = project.status
    project.status = to
    if action == "reopen" and before == Status.CLOSED:
        # Reopening a closed project takes it back into its last phase.
        project.closed_at = None
        project.phase = Phase.SUSTAIN
    db.session.flush()
    audit.record(actor, action, "project", project.id, project_id=project.id,
                 summary=f"{action.capitalize()}: {reason}" if reason else action.capitalize(),
                 changes={"status": [before, to]})
