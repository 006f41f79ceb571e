"""Finance's validation of benefit lines: the team submits, finance approves or returns
with a comment, the team reopens a validated figure to change it. Projected and realized
figures are validated separately. Everything goes to the audit trail.

Who may decide is the policy's business (``permissions.can_validate``); the rule that
nobody validates their own project's lines is checked here again, so a service called from
elsewhere cannot skip it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..core.errors import Conflict, DomainError, Forbidden
from ..core.time import utcnow
from ..core.versions import check_version
from ..extensions import db
from ..projects.models import Project
from . import permissions
from .models import BenefitLine, BenefitMonth
from .services import audit_line, touch

PARTS = {"projected": "projected figure", "realized": "realized months"}
DECISIONS = ("approve", "return")
COMMENT_MAX = 2000
QUEUE_LIMIT = 200


def _part(part: str | None) -> str:
    if part not in PARTS:
        raise DomainError("Say which part: projected or realized.", field="part")
    return part


def submit(actor: User, line: BenefitLine, part: str | None, version: int | None) -> None:
    """Put the projected figure, or the realized months not yet validated, in finance's
    queue."""
    check_version(line, version, "The benefit line")
    if _part(part) == "projected":
        if line.projected_state not in ("draft", "returned"):
            raise Conflict(f"The projected figure is already {_state_words(line)}.",
                           field="part")
        line.projected_state = "pending"
        summary = f"projected {line.projected} a year submitted to finance"
    else:
        months = [m for m in line.months if m.state in ("draft", "returned")]
        if not months:
            raise Conflict("There is no realized month to submit: enter the amounts first, "
                           "or they are already with finance.", field="part")
        for month in months:
            month.state = "pending"
        summary = "realized " + ", ".join(f"{m.month:%Y-%m}" for m in months) + \
            " submitted to finance"
    touch(line)
    db.session.flush()
    audit_line(actor, "submit", line, summary)


def _state_words(line: BenefitLine) -> str:
    return {"pending": "waiting for finance", "approved": "validated"}.get(
        line.projected_state, line.projected_state)


def decide(actor: User, project: Project, line: BenefitLine, part: str | None,
           decision: str | None, comment: str | None, version: int | None) -> None:
    """Approve (locks) or return (with a comment) what the team submitted. ``version`` is
    the line finance looked at: a line changed since is refused, so finance never signs off
    a figure it did not see."""
    if not permissions.can_validate(actor, project):
        raise Forbidden("Only finance validates benefits, and never on a project they lead, "
                        "sponsor or work on.")
    check_version(line, version, "The benefit line")
    part = _part(part)
    if decision not in DECISIONS:
        raise DomainError("Decide approve or return.", field="decision")
    text = (comment or "").strip()
    if decision == "return" and not text:
        raise DomainError("Say why you return it: the team needs to know what to change.",
                          field="comment")
    if len(text) > COMMENT_MAX:
        raise DomainError(f"The comment is longer than {COMMENT_MAX} characters.",
                          field="comment")
    state = "approved" if decision == "approve" else "returned"
    now = utcnow()
    if part == "projected":
        if line.projected_state != "pending":
            raise Conflict("The projected figure is not waiting for validation.", field="part")
        line.projected_state, line.projected_comment = state, text
        line.projected_by_id, line.projected_at = actor.id, now
        what = f"projected {line.projected} a year"
    else:
        months = [m for m in line.months if m.state == "pending"]
        if not months:
            raise Conflict("No realized month is waiting for validation.", field="part")
        for month in months:
            month.state, month.comment = state, text
            month.validated_by_id, month.validated_at = actor.id, now
        what = "realized " + ", ".join(f"{m.month:%Y-%m} {m.amount}" for m in months)
    touch(line)
    db.session.flush()
    verb = "approved" if decision == "approve" else "returned"
    audit_line(actor, verb, line, f"{what} {verb} by finance" + (f": {text}" if text else ""),
           {f"{part} state": ["pending", state]})


def reopen(actor: User, line: BenefitLine, part: str | None, month: date | None,
           version: int | None) -> None:
    """Take a validation away so the figure can change; it then needs a new one."""
    check_version(line, version, "The benefit line")
    if _part(part) == "projected":
        if line.projected_state != "approved":
            raise Conflict("The projected figure is not validated; change it directly.",
                           field="part")
        line.projected_state = "draft"
        summary = f"validated projection {line.projected} reopened for a change"
    else:
        if month is None:
            raise DomainError("Say which month to reopen (YYYY-MM).", field="month")
        row = next((m for m in line.months if m.month == month.replace(day=1)), None)
        if row is None or row.state != "approved":
            raise Conflict(f"{month:%Y-%m} is not a validated month of this line.",
                           field="month")
        row.state = "draft"
        summary = f"validated realized {row.month:%Y-%m} ({row.amount}) reopened for a change"
    touch(line)
    db.session.flush()
    audit_line(actor, "reopen", line, summary)


def _waiting() -> object:
    pending_month = exists().where(BenefitMonth.line_id == BenefitLine.id,
                                   BenefitMonth.state == "pending")
    return or_(BenefitLine.projected_state == "pending", pending_month)


def queue(limit: int = QUEUE_LIMIT) -> list[BenefitLine]:
    """Lines with something waiting for finance, the longest waiting first."""
    stmt = (select(BenefitLine).where(_waiting())  # type: ignore[arg-type]
            .options(selectinload(BenefitLine.months),
                     joinedload(BenefitLine.project).selectinload(Project.team))
            .order_by(BenefitLine.updated_at, BenefitLine.id).limit(limit))
    return list(db.session.scalars(stmt))


def queue_count() -> int:
    stmt = select(func.count()).select_from(BenefitLine).where(_waiting())  # type: ignore[arg-type]
    return int(db.session.scalar(stmt) or 0)
