"""Projects (DMAIC projects and Kaizen events), their teams and key counters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import OrgUnit, User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from .phases import Methodology, Phase, Status, phase_label


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("lsl IS NULL OR usl IS NULL OR lsl < usl", name="lsl_below_usl"),
        CheckConstraint("alpha > 0 AND alpha < 0.5", name="alpha_range"),
        # The list's order (newest first): read backwards, an index hands out a page without
        # sorting; with phase or status in front, so does a page of one phase or status.
        Index("ix_projects_created_at_id", "created_at", "id"),
        Index("ix_projects_phase_created_at_id", "phase", "created_at", "id"),
        Index("ix_projects_status_created_at_id", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(20), unique=True)
    methodology: Mapped[str] = mapped_column(String(10), default=Methodology.DMAIC)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(20), default=Phase.SCOPE)
    status: Mapped[str] = mapped_column(String(20), default=Status.ACTIVE)

    problem: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    in_scope: Mapped[str] = mapped_column(Text, default="")
    out_of_scope: Mapped[str] = mapped_column(Text, default="")
    business_case: Mapped[str] = mapped_column(Text, default="")

    sponsor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    sponsor: Mapped[User | None] = relationship(foreign_keys=[sponsor_id])
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    org_unit: Mapped[OrgUnit | None] = relationship()

    start_date: Mapped[date | None]
    target_date: Mapped[date | None]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    metric_name: Mapped[str] = mapped_column(String(120), default="")
    metric_unit: Mapped[str] = mapped_column(String(40), default="")
    metric_better: Mapped[str] = mapped_column(String(10), default="lower")
    lsl: Mapped[float | None] = mapped_column(Float)
    usl: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    alpha: Mapped[float] = mapped_column(Float, default=0.05)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    team: Mapped[list[TeamMember]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="TeamMember.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def phase_label(self) -> str:
        return phase_label(self.methodology, self.phase)

    @property
    def team_members(self) -> list[TeamMember]:
        """The team besides the lead and the sponsor, who have their own lines: what the
        team card lists under them and what the scope gate's "team member" counts."""
        return [m for m in self.team if m.user_id not in (self.lead_id, self.sponsor_id)]

    def is_member(self, user: User) -> bool:
        return any(m.user_id == user.id for m in self.team)


class TeamMember(db.Model):
    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    project: Mapped[Project] = relationship(back_populates="team")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user: Mapped[User] = relationship()
    role: Mapped[str] = mapped_column(String(80), default="Team member")


class KeyCounter(db.Model):
    """The last project number handed out per year, for keys like CI-2026-0042."""

    __tablename__ = "key_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
