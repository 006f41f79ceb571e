"""The portfolio's own records: each project's health as its lead reports it (every report
kept, the newest in force) and the improvement ideas anyone submits for the council."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import OrgUnit, User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from ..gates.models import GateReview
from ..improve.models import ActionItem
from ..projects.models import Project

HEALTH_LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
IDEA_STATUSES = {"new": "New", "project": "Project", "quick_win": "Quick win",
                 "declined": "Declined"}


class HealthUpdate(db.Model):
    """One health report on a project. Never edited: a new report supersedes the last, so
    the rows are the history and the newest is the project's health."""

    __tablename__ = "health_updates"
    __table_args__ = (
        CheckConstraint("health IN ('on_track', 'at_risk', 'off_track')", name="health"),
        # The board reads the newest report of every project: max(id) per project_id.
        Index("ix_health_updates_project_id_id", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    health: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_by: Mapped[User] = relationship()
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def label(self) -> str:
        return HEALTH_LABELS[self.health]


class Idea(db.Model):
    """An improvement idea: submitted by anyone, scored by the council on effort and impact
    (1 to 10 each), then turned into a project or a quick win, or declined."""

    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'project', 'quick_win', 'declined')",
                        name="status"),
        CheckConstraint("effort IS NULL OR (effort BETWEEN 1 AND 10)", name="effort_range"),
        CheckConstraint("impact IS NULL OR (impact BETWEEN 1 AND 10)", name="impact_range"),
        Index("ix_ideas_status_submitted_at", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    benefit: Mapped[str] = mapped_column(Text, default="")
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    org_unit: Mapped[OrgUnit | None] = relationship()
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    effort: Mapped[int | None]
    impact: Mapped[int | None]
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scored_by: Mapped[User | None] = relationship(foreign_keys=[scored_by_id])
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="new")
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"))
    project: Mapped[Project | None] = relationship()
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return IDEA_STATUSES[self.status]

    @property
    def scored(self) -> bool:
        return self.effort is not None and self.impact is not None


# Indexes on other areas' tables that only the portfolio's reading needs, declared here
# beside that need. The board and the attention list read, for every project, when its
# last gate passed (max decided_at of its approved reviews) and its overdue actions (not
# done, due before today): with these both come from an index, without a sort.
Index("ix_gate_reviews_status_project_id_decided_at",
      GateReview.status, GateReview.project_id, GateReview.decided_at)
Index("ix_action_items_due_date_status_project_id",
      ActionItem.due_date, ActionItem.status, ActionItem.project_id)
