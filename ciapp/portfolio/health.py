"""Project health: what the lead reports (with a reason, every report kept and audited) and
what the data suggest (overdue actions, a late gate, a sustain signal), side by side.

The suggestion is a plain function of a few counts, so the board can compute it for every
row it already read, without a query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..audit import services as audit
from ..auth.models import Role, User
from ..core.errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..projects.models import Project
from ..projects.phases import Status
from .models import HEALTH_LABELS, HealthUpdate

REASON_MAX = 2000
# This many overdue actions at once, or a sustain signal, suggest "off track"; fewer
# overdue actions, a late gate or a missed target date suggest "at risk".
OFF_TRACK_OVERDUE = 3


@dataclass(frozen=True)
class Suggestion:
    health: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return HEALTH_LABELS[self.health]


def suggest(*, status: str, overdue: int, signals: int, days_in_phase: int,
            stalled: bool, stalled_days: int, phase_label: str, target_date: date | None,
            today: date) -> Suggestion:
    """The health the data suggest, with the reasons in words (worst first).

    ``stalled``: longer than ``stalled_days`` in the phase (the attention list's test, so
    both say the same). A sustain signal counts whatever the status (a closed project's
    gain may not have held); the gate and the target date count only for an active project
    (on hold is a decision, not a delay); a cancelled project gets no suggestion beyond
    "on track".
    """
    if status == Status.CANCELLED:
        return Suggestion("on_track", ())
    off: list[str] = []
    risk: list[str] = []
    if signals:
        off.append(f"sustain monitoring raised {_n(signals, 'signal')}: did the gain hold?")
    if overdue >= OFF_TRACK_OVERDUE:
        off.append(f"{_n(overdue, 'overdue action')}")
    elif overdue:
        risk.append(f"{_n(overdue, 'overdue action')}")
    if status == Status.ACTIVE:
        if stalled:
            risk.append(f"gate late: {days_in_phase} days in {phase_label} "
                        f"(more than {stalled_days})")
        if target_date is not None and target_date < today:
            risk.append(f"past its target date ({target_date.isoformat()})")
    health = "off_track" if off else "at_risk" if risk else "on_track"
    return Suggestion(health, tuple(off + risk))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def can_set_health(user: User, project: Project) -> bool:
    """The lead reports the health of their project."""
    return project.lead_id == user.id and not user.has_role(Role.VIEWER)


def latest_id(project_id: int) -> int:
    return int(db.session.scalar(select(func.max(HealthUpdate.id))
                                 .where(HealthUpdate.project_id == project_id)) or 0)


def history(project_id: int) -> list[HealthUpdate]:
    """Every report on the project, newest first, with who made it."""
    return list(db.session.scalars(
        select(HealthUpdate).where(HealthUpdate.project_id == project_id)
        .options(joinedload(HealthUpdate.set_by))
        .order_by(HealthUpdate.id.desc())))


def set_health(actor: User, project: Project, health: str | None, reason: str | None,
               *, seen: int | None = None) -> HealthUpdate:
    """Record the lead's report. ``seen`` is the newest report's id the lead was looking at
    (0: none); when another report came in since, nothing is saved (409), so two people
    never overwrite each other's judgement unseen."""
    if not can_set_health(actor, project):
        raise Forbidden("Only the project's lead reports its health.")
    if health not in HEALTH_LABELS:
        raise DomainError("Health: choose on track, at risk or off track.", field="health")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Reason: say why the project is "
                          f"{HEALTH_LABELS[health].lower()}; the council reads it.",
                          field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"Reason: at most {REASON_MAX} characters.", field="reason")
    before = db.session.scalar(select(HealthUpdate).where(
        HealthUpdate.project_id == project.id).order_by(HealthUpdate.id.desc()).limit(1))
    if seen is not None and (before.id if before else 0) != seen:
        raise Conflict("The health was reported again since you loaded the page "
                       f"({HEALTH_LABELS[before.health].lower() if before else 'cleared'}); "
                       "read it and try again.", field="health")
    update = HealthUpdate(project_id=project.id, health=health, reason=reason, set_by=actor)
    db.session.add(update)
    db.session.flush()
    audit.record(actor, "health", "project", project.id, project_id=project.id,
                 summary=f"Health: {HEALTH_LABELS[health]} — {reason}",
                 changes={"health": [before.health if before else None, health]})
    return update
