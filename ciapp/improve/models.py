"""Improve and sustain: countermeasures answering root causes, their action items, the
control plan that holds the gain, and the lessons learned at close."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..datasets.models import Dataset
from ..extensions import db
from ..rootcause.models import RootCause

CM_STATUSES = {"planned": "Planned", "in_progress": "In progress", "done": "Done"}
ACTION_STATUSES = {"open": "Open", "in_progress": "In progress", "done": "Done"}

# A countermeasure may answer several root causes and a root cause may need several.
countermeasure_causes = Table(
    "countermeasure_causes", db.metadata,
    Column("countermeasure_id", ForeignKey("countermeasures.id", ondelete="CASCADE"),
           primary_key=True),
    Column("root_cause_id", ForeignKey("root_causes.id", ondelete="CASCADE"),
           primary_key=True),
)


class Countermeasure(db.Model):
    __tablename__ = "countermeasures"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    root_causes: Mapped[list[RootCause]] = relationship(secondary=countermeasure_causes)
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="countermeasure", cascade="all, delete-orphan",
        order_by="(ActionItem.due_date, ActionItem.id)", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return CM_STATUSES.get(self.status, self.status)


class ActionItem(db.Model):
    """One thing someone must do by a date to put a countermeasure in place.
    ``reminded_at`` records the one overdue reminder, so the daily job sends it once."""

    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'done')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    countermeasure_id: Mapped[int] = mapped_column(
        ForeignKey("countermeasures.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[User] = relationship()
    countermeasure: Mapped[Countermeasure] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)

    def is_overdue(self, today: date) -> bool:
        return self.status != "done" and self.due_date < today


class ControlPlanRow(db.Model):
    """One line of the control plan: what is watched, how, how often, and what to do when
    it goes wrong. ``dataset_id`` is the project's data set the chart runs on."""

    __tablename__ = "control_plan_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    process_step: Mapped[str] = mapped_column(Text)
    characteristic: Mapped[str] = mapped_column(Text)
    specification: Mapped[str] = mapped_column(Text, default="")
    measurement: Mapped[str] = mapped_column(Text, default="")
    sample_size: Mapped[str] = mapped_column(String(200), default="")
    frequency: Mapped[str] = mapped_column(String(200), default="")
    control_method: Mapped[str] = mapped_column(Text, default="")
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"))
    reaction_plan: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    dataset: Mapped[Dataset | None] = relationship()
    owner: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Lessons(db.Model):
    """The lessons learned, one text per project, written at close. Before the first save
    there is no row; the pages call that version 1, so the first save leaves version 2
    (see ``services.save_lessons``)."""

    __tablename__ = "project_lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
