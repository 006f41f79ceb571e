"""Operational KPIs: the KPI, its values (one per period), and its governed limits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from ..orgunits.models import OrgUnit

FREQUENCIES = ("daily", "weekly", "monthly")
# The chart of each KPI; the value it is entered as is in ``VALUE_TEXT`` (kpis.periods).
CHARTS = ("i", "p", "u", "c", "g", "t")
SOURCES = ("typed", "upload", "api")
BETTER = ("higher", "lower")


class Kpi(db.Model):
    """One operational number, read as a process behaviour chart against a target.

    ``summary`` holds the board's view of the KPI (status, recent points, limits), computed
    by ``kpis.summary.refresh`` whenever its values, limits or target change, so that a
    board of hundreds of KPIs reads one row each instead of charting every history.
    """

    __tablename__ = "kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    better: Mapped[str] = mapped_column(String(10))  # BETTER
    target: Mapped[float | None] = mapped_column(Float)
    acceptable_low: Mapped[float | None] = mapped_column(Float)
    acceptable_high: Mapped[float | None] = mapped_column(Float)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    org_unit: Mapped[OrgUnit | None] = relationship()
    frequency: Mapped[str] = mapped_column(String(10))  # FREQUENCIES
    chart: Mapped[str] = mapped_column(String(4), default="i")  # CHARTS
    source: Mapped[str] = mapped_column(String(10), default="typed")  # SOURCES
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class KpiValue(db.Model):
    """The KPI's value for one period (``period`` is the period's first day: the day, the
    Monday of the week, the first of the month). ``n`` is the denominator of a p or u
    chart's value. Corrections change the row and leave the old value in the audit trail."""

    __tablename__ = "kpi_values"
    # The unique constraint is also the index every read of a KPI's values goes by.
    __table_args__ = (UniqueConstraint("kpi_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    period: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    n: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class KpiLimits(db.Model):
    """Limits from a baseline period, in force from ``baseline_start`` on until the next
    record. The first record is made when the KPI has enough values (its first 20, with no
    person behind it: ``set_by`` is empty); every later one is a person's re-basing with a
    note. ``center`` / ``lower`` / ``upper`` are the baseline's figures when it was set,
    refreshed if a value inside the baseline is corrected."""

    __tablename__ = "kpi_limits"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    baseline_start: Mapped[date] = mapped_column(Date)
    baseline_end: Mapped[date] = mapped_column(Date)
    center: Mapped[float | None] = mapped_column(Float)
    lower: Mapped[float | None] = mapped_column(Float)
    upper: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_by: Mapped[User | None] = relationship()


class KpiSignal(db.Model):
    """One special-cause signal of the KPI page's chart (every value, one stage per limits
    record), in words, at the period of the point it flags. Rewritten by
    ``kpis.report_signals.store`` whenever the KPI's values, limits or settings change (with
    the board's summary), so the report of 500 KPIs reads its period's few rows instead of
    charting each history on every view. ``seq`` orders the signals of one period as the
    KPI page lists them (0 first)."""

    __tablename__ = "kpi_signals"
    # The unique constraint is also the index the report reads a period's signals by.
    __table_args__ = (UniqueConstraint("kpi_id", "period", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    period: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)


class KpiProject(db.Model):
    """An improvement project started from a KPI (the KPI is its primary metric; the KPI's
    recent values are its baseline data set). The KPI page lists its projects and where
    they stand; the project's data set names the KPI it came from.

    ``dataset_id`` is that data set: the KPI's later values keep flowing into it, staged
    baseline / after change / sustain (``kpis.stages``). ``change_date`` is the day the
    change took effect when the team sets it; empty, the day the project entered Improve.
    """

    __tablename__ = "kpi_projects"
    __table_args__ = (UniqueConstraint("kpi_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="SET NULL"))
    change_date: Mapped[date | None] = mapped_column(Date)


REPORT_SPANS = ("week", "month")


class KpiReportSchedule(db.Model):
    """The operational report of a site (or of every site: ``site_id`` empty) sent by
    e-mail every week or month to ``recipients`` (addresses, one per line, checked when
    the schedule is saved). ``send-kpi-report`` sends each one due once per period."""

    __tablename__ = "kpi_report_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"),
                                                index=True)
    site: Mapped[OrgUnit | None] = relationship()
    span: Mapped[str] = mapped_column(String(10))  # REPORT_SPANS
    recipients: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def addresses(self) -> list[str]:
        return [a for a in self.recipients.split("\n") if a]


class KpiReportSend(db.Model):
    """One period's report sent for a schedule: the unique pair is what keeps a cron that
    runs twice (or on two machines) from sending the same period twice."""

    __tablename__ = "kpi_report_sends"
    __table_args__ = (UniqueConstraint("schedule_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("kpi_report_schedules.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    destination: Mapped[str] = mapped_column(String(300), default="")
