"""Idea intake: anyone submits an idea; the council scores its effort and impact (the PICK
chart: Possible, Implement, Challenge, Kill) and turns it into a project, whose charter the
idea fills in, or a quick win, or declines it. Functions flush, never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from ..audit import services as audit
from ..auth.models import OrgUnit, Role, User
from ..core.errors import Conflict, DomainError, Forbidden
from ..core.records import get_or_404
from ..core.time import utcnow
from ..core.versions import check_version
from ..extensions import db
from ..notifications import services as notifications
from ..projects import services as projects
from ..projects.models import Project
from ..projects.phases import Methodology
from .models import IDEA_STATUSES, Idea

TITLE_MAX, TEXT_MAX, NOTE_MAX = 200, 5000, 2000
SCORE_MIN, SCORE_MAX = 1, 10
# Scores of 6 to 10 are high, 1 to 5 low: the chart's dividing lines sit at 5.5, so no idea
# lies on a line and each falls in exactly one quadrant.
HIGH_FROM = 6
PICK_LABELS = {"implement": "Implement", "challenge": "Challenge", "possible": "Possible",
               "kill": "Kill"}
PICK_MEANING = {
    "implement": "high impact, low effort: do it",
    "challenge": "high impact, high effort: a project worth planning",
    "possible": "low impact, low effort: when there is room",
    "kill": "low impact, high effort: not worth it",
}
OUTCOMES = {"quick_win": "Quick win", "declined": "Declined"}


def pick(effort: int | None, impact: int | None) -> str | None:
    """The PICK quadrant of a scored idea, None when it is not scored yet."""
    if effort is None or impact is None:
        return None
    if impact >= HIGH_FROM:
        return "challenge" if effort >= HIGH_FROM else "implement"
    return "kill" if effort >= HIGH_FROM else "possible"


def can_decide_ideas(user: User) -> bool:
    """The CI council screens ideas: scores them and decides what becomes of them."""
    return user.has_role(Role.COUNCIL)


def get_idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, "Idea")


def list_ideas(status: str | None = None, limit: int = 500) -> list[Idea]:
    """Ideas with who submitted them, their place and project; new ones first, then the
    newest. One statement."""
    stmt = (select(Idea).options(joinedload(Idea.submitted_by), joinedload(Idea.project),
                                 joinedload(Idea.org_unit).joinedload(OrgUnit.parent))
            .order_by(case((Idea.status == "new", 0), else_=1), Idea.submitted_at.desc(),
                      Idea.id.desc()).limit(limit))
    if status:
        stmt = stmt.where(Idea.status == status)
    return list(db.session.scalars(stmt))


def _text(values: dict[str, Any], name: str, label: str, limit: int,
          errors: dict[str, list[str]], *, required: bool = False) -> str:
    text = (values.get(name) or "").strip()
    if required and not text:
        errors[name] = [f"{label}: this field is required."]
    elif len(text) > limit:
        errors[name] = [f"{label}: at most {limit} characters."]
    return text


def submit(actor: User, values: dict[str, Any]) -> Idea:
    """Anyone's idea: a title, what the problem is, the benefit they expect, where."""
    errors: dict[str, list[str]] = {}
    title = _text(values, "title", "Title", TITLE_MAX, errors, required=True)
    description = _text(values, "description", "The problem", TEXT_MAX, errors)
    benefit = _text(values, "benefit", "Expected benefit", TEXT_MAX, errors)
    unit = values.get("org_unit_id")
    if unit is not None and db.session.get(OrgUnit, unit) is None:
        errors["org_unit_id"] = [f"No site or area with id {unit}."]
    if errors:
        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    idea = Idea(title=title, description=description, benefit=benefit, org_unit_id=unit,
                submitted_by=actor)
    db.session.add(idea)
    db.session.flush()
    audit.record(actor, "submit", "idea", idea.id, summary=f"Submitted idea: {title}")
    notifications.notify([u for u in notifications.council_members() if u.id != actor.id],
                         f"New idea #{idea.id} from {actor.name}: {title}")
    return idea


def _open_for_decision(actor: User, idea: Idea, version: int | None) -> None:
    if not can_decide_ideas(actor):
        raise Forbidden("Only the CI council scores ideas and decides what becomes of them.")
    check_version(idea, version, f"Idea {idea.id}")
    if idea.status != "new":
        raise Conflict(f"This idea was already decided: {IDEA_STATUSES[idea.status]}.")


def score(actor: User, idea: Idea, effort: int | None, impact: int | None,
          version: int | None) -> None:
    _open_for_decision(actor, idea, version)
    errors = {name: [f"{name.capitalize()}: a whole number from {SCORE_MIN} to {SCORE_MAX}."]
              for name, value in (("effort", effort), ("impact", impact))
              if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX}
    if errors:
        raise DomainError(" ".join(m for ms in errors.values() for m in ms), fields=errors)
    changes = audit.diff(idea, {"effort": effort, "impact": impact})
    idea.effort, idea.impact = effort, impact
    idea.scored_by, idea.scored_at = actor, utcnow()
    db.session.flush()
    audit.record(actor, "score", "idea", idea.id,
                 summary=f"Scored idea {idea.id}: effort {effort}, impact {impact} "
                         f"({PICK_LABELS[pick(effort, impact) or 'possible']})",
                 changes=changes)


def _decided(actor: User, idea: Idea, status: str, note: str) -> None:
    idea.status, idea.decision_note = status, note
    idea.decided_by, idea.decided_at = actor, utcnow()


def to_project(actor: User, idea: Idea, lead_id: int | None, methodology: str | None,
               version: int | None) -> Project:
    """A project whose charter the idea fills in (title, problem, business case, site /
    area), led by ``lead_id`` and sponsored by the council member who decides, with the
    idea's author on the team."""
    _open_for_decision(actor, idea, version)
    if not idea.scored:
        raise Conflict("Score the idea's effort and impact first: the PICK chart is how the "
                       "council compares ideas.")
    if lead_id is None:
        raise DomainError("Lead: choose who leads the project.", field="lead_id")
    values = {"title": idea.title, "problem": idea.description,
              "business_case": idea.benefit, "org_unit_id": idea.org_unit_id,
              "lead_id": lead_id, "methodology": methodology or Methodology.DMAIC,
              "sponsor_id": actor.id if actor.id != lead_id else None}
    author = idea.submitted_by_id
    team = [] if author in (lead_id, actor.id) else [(author, "Idea author")]
    project = projects.create_project(actor, values, team=team)
    idea.project_id = project.id
    _decided(actor, idea, "project", f"Became {project.key}")
    db.session.flush()
    audit.record(actor, "to_project", "idea", idea.id, project_id=project.id,
                 summary=f"Idea {idea.id} “{idea.title}” became {project.key}")
    notifications.notify([idea.submitted_by],
                         f"Your idea “{idea.title}” became project {project.key}.",
                         project_id=project.id)
    return project


def decide(actor: User, idea: Idea, outcome: str | None, note: str | None,
           version: int | None) -> None:
    """A quick win (done without a project: the note says what and who) or declined (the
    note says why, for the person who had the idea)."""
    _open_for_decision(actor, idea, version)
    if outcome not in OUTCOMES:
        raise DomainError("Outcome: choose quick win or declined.", field="outcome")
    note = (note or "").strip()
    if not note:
        raise DomainError("Note: say " + ("what is to be done and by whom."
                                          if outcome == "quick_win" else
                                          "why, for the person who had the idea."),
                          field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(f"Note: at most {NOTE_MAX} characters.", field="note")
    _decided(actor, idea, outcome, note)
    db.session.flush()
    audit.record(actor, outcome, "idea", idea.id,
                 summary=f"Idea {idea.id} “{idea.title}”: {OUTCOMES[outcome]} — {note}")
    notifications.notify([idea.submitted_by],
                         f"Your idea “{idea.title}”: {OUTCOMES[outcome].lower()}. {note}")
