"""Gate reviews and the ticks of the manual checklists."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from ..projects.models import Project


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class GateReview(db.Model):
    """A request to leave ``phase``, and the council's decision on it."""

    __tablename__ = "gate_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    project: Mapped[Project] = relationship()
    phase: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.PENDING, index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    request_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # The criteria and checklist as they stood when the review was requested and decided.
    criteria_at_request: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    criteria_at_decision: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class ChecklistTick(db.Model):
    """One ticked item of a gate's manual checklist on one project."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("project_id", "phase", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(60))
    ticked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ticked_by: Mapped[User] = relationship()
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
