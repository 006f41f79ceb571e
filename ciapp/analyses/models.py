"""Flags raised when a closed project's new data leave its sustain limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db


class SustainFlag(db.Model):
    """"Did the gain hold?": a rule 1 signal in data appended after the project closed,
    judged against the sustain stage's limits (never re-based). Open until a council member
    or the lead clears it with a note."""

    __tablename__ = "sustain_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    version: Mapped[int]
    points: Mapped[str] = mapped_column(String(200))  # the signalling points, 1-based
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_note: Mapped[str] = mapped_column(Text, default="")
