"""Gate reviews: live criteria, checklists, requests, decisions and phase moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import Conflict, DomainError, Forbidden, NotFound
from ..core.records import get_or_404
from ..core.time import utcnow
from ..extensions import db
from ..notifications import services as notifications
from ..projects.models import Project
from ..projects.phases import Phase, Status, next_phase, phase_label
from . import closing, permissions
from .criteria import CHECKLISTS, current_criteria
from .models import ChecklistTick, GateReview, ReviewStatus

MIN_OVERRIDE_REASON = 15
NOT_AVAILABLE = ("not available yet: ciapp cannot compute this criterion yet, so it does "
                 "not count as met")


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    met: bool
    detail: str
    # False: the gate expects this criterion but no area computes it yet; never met.
    available: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "met": self.met, "detail": self.detail,
                "available": self.available}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    by: str = ""


@dataclass(frozen=True)
class GateStatus:
    phase: Phase
    label: str
    next_label: str
    criteria: list[CriterionResult]
    checklist: list[ChecklistItem]
    pending: GateReview | None
    history: list[GateReview] = field(default_factory=list)

    @property
    def criteria_met(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def checklist_done(self) -> bool:
        return all(i.done for i in self.checklist)

    @property
    def ready(self) -> bool:
        return self.criteria_met and self.checklist_done


def evaluate_criteria(project: Project, phase: str | None = None) -> list[CriterionResult]:
    phase = Phase(phase or project.phase)
    results = []
    for crit in current_criteria().for_phase(phase):
        if crit.evaluate is None:
            results.append(CriterionResult(crit.key, crit.label, False, NOT_AVAILABLE,
                                           available=False))
            continue
        outcome = crit.evaluate(project)
        results.append(CriterionResult(crit.key, crit.label, outcome.met, outcome.detail))
    return results


def checklist(project: Project, phase: str | None = None) -> list[ChecklistItem]:
    phase = Phase(phase or project.phase)
    ticks = {t.item: t for t in db.session.scalars(
        select(ChecklistTick).where(ChecklistTick.project_id == project.id,
                                    ChecklistTick.phase == phase))}
    return [ChecklistItem(key, label, key in ticks,
                          ticks[key].ticked_by.name if key in ticks else "")
            for key, label in CHECKLISTS[phase].items()]


def pending_review(project: Project) -> GateReview | None:
    return db.session.scalar(select(GateReview).where(
        GateReview.project_id == project.id, GateReview.status == ReviewStatus.PENDING))


def reviews(project: Project) -> list[GateReview]:
    return list(db.session.scalars(
        select(GateReview).where(GateReview.project_id == project.id)
        .order_by(GateReview.requested_at.desc(), GateReview.id.desc())))


def gate_status(project: Project) -> GateStatus:
    phase = Phase(project.phase)
    after = next_phase(phase)
    return GateStatus(
        phase=phase,
        label=phase_label(project.methodology, phase),
        next_label=phase_label(project.methodology, after) if after else "Closed",
        criteria=evaluate_criteria(project),
        checklist=checklist(project),
        pending=pending_review(project),
        history=reviews(project),
    )


def get_review(review_id: int) -> GateReview:
    return get_or_404(GateReview, review_id, "Gate review")


def checklist_item(project: Project, item: str) -> str:
    """``item`` itself when it is on the checklist of the project's current gate."""
    phase = Phase(project.phase)
    if item not in CHECKLISTS[phase]:
        raise NotFound(f"{item!r} is not on the {phase_label(project.methodology, phase)} "
                       f"gate checklist of {project.key}.")
    return item


def set_tick(actor: User, project: Project, item: str, done: bool) -> None:
    phase = Phase(project.phase)
    if item not in CHECKLISTS[phase]:
        raise DomainError(f"{item!r} is not on the {phase_label(project.methodology, phase)} "
                          "gate checklist.", field="item")
    tick = db.session.scalar(select(ChecklistTick).where(
        ChecklistTick.project_id == project.id, ChecklistTick.phase == phase,
        ChecklistTick.item == item))
    if done and tick is None:
        db.session.add(ChecklistTick(project_id=project.id, phase=phase, item=item,
                                     ticked_by=actor))
    elif not done and tick is not None:
        db.session.delete(tick)
    else:
        return
    db.session.flush()
    audit.record(actor, "tick" if done else "untick", "checklist", project.id,
                 project_id=project.id,
                 summary=f"{'Ticked' if done else 'Unticked'}: {CHECKLISTS[phase][item]}")


def request_review(actor: User, project: Project, note: str = "") -> GateReview:
    if not permissions.can_request_review(actor, project):
        raise Forbidden("Only the project lead can request a gate review.")
    if project.status != Status.ACTIVE:
        raise Conflict(f"{project.key} is {project.status.replace('_', ' ')}; "
                       "only an active project can go through a gate.")
    if pending_review(project) is not None:
        raise Conflict("A review of this gate is already waiting for a decision.")
    criteria = [c.to_dict() for c in evaluate_criteria(project)]
    review = GateReview(project=project, phase=project.phase, requested_by=actor,
                        request_note=note.strip(), criteria_at_request=criteria)
    db.session.add(review)
    db.session.flush()
    label = phase_label(project.methodology, project.phase)
    audit.record(actor, "gate_request", "gate_review", review.id, project_id=project.id,
                 summary=f"Requested the {label} gate review" + (f": {note.strip()}"
                                                                  if note.strip() else ""))
    deciders = notifications.council_members() + ([project.sponsor] if project.sponsor else [])
    notifications.notify(
        [u for u in deciders if u.id != actor.id],
        f"{actor.name} asks for the {label} gate review of {project.key} {project.title}.",
        project_id=project.id,
    )
    return review


def decide_review(actor: User, review: GateReview, decision: str, comment: str = "",
                  override_reason: str = "") -> GateReview:
    """Approve (advancing the phase) or send back a pending review.

    Approving while any live criterion is unmet needs a written override reason, which the
    review and the audit trail keep.
    """
    project = review.project
    if not permissions.can_decide_review(actor, project):
        raise Forbidden("Only council members or the project's sponsor decide gate reviews.")
    if review.requested_by_id == actor.id:
        raise Forbidden("You asked for this review; another council member must decide it.")
    if review.status != ReviewStatus.PENDING:
        raise Conflict(f"This review was already {review.status}.")
    if decision not in ("approve", "return"):
        raise DomainError("The decision must be 'approve' or 'return'.", field="decision")
    comment, override_reason = comment.strip(), override_reason.strip()
    criteria = evaluate_criteria(project, review.phase)
    unmet = [c.label for c in criteria if not c.met]
    if decision == "return" and not comment:
        raise DomainError("Say what must change before the gate can pass.", field="comment")
    if decision == "approve" and unmet and len(override_reason) < MIN_OVERRIDE_REASON:
        raise DomainError(
            f"{len(unmet)} criteria are unmet ({'; '.join(unmet)}). Approving anyway needs a "
            f"written override reason of at least {MIN_OVERRIDE_REASON} characters.",
            field="override_reason")
    review.status = ReviewStatus.APPROVED if decision == "approve" else ReviewStatus.RETURNED
    review.decided_by = actor
    review.decided_at = utcnow()
    review.decision_comment = comment
    review.override_reason = override_reason if decision == "approve" and unmet else ""
    review.criteria_at_decision = [c.to_dict() for c in criteria]
    changes = _advance(project) if decision == "approve" else {}
    db.session.flush()
    _record_decision(actor, review, changes)
    if changes.get("status"):  # the sustain gate closed the project
        closing.project_closed(project)
    elif changes.get("phase"):
        closing.phase_entered(project)
    return review


def _advance(project: Project) -> dict[str, list[Any]]:
    before_phase, before_status = project.phase, project.status
    after = next_phase(project.phase)
    if after is None:
        project.status = Status.CLOSED
        project.closed_at = utcnow()
        return {"status": [before_status, Status.CLOSED]}
    project.phase = after
    return {"phase": [before_phase, after]}


def _record_decision(actor: User, review: GateReview, changes: dict[str, list[Any]]) -> None:
    project = review.project
    label = phase_label(project.methodology, review.phase)
    verb = "approved" if review.status == ReviewStatus.APPROVED else "sent back"
    summary = f"{label} gate {verb}"
    if review.override_reason:
        summary += f" with override: {review.override_reason}"
    if review.decision_comment:
        summary += f" — {review.decision_comment}"
    audit.record(actor, f"gate_{review.status}", "gate_review", review.id,
                 project_id=project.id, summary=summary, changes=changes)
    if project.lead is not None:
        notifications.notify(
            [project.lead],
            f"{actor.name} {verb} the {label} gate of {project.key} {project.title}.",
            project_id=project.id,
        )
