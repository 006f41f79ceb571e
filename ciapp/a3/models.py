"""The A3 of a closed project, kept as it was on the day it closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db


class A3Snapshot(db.Model):
    """The A3 sheet's HTML (charts inline as SVG) rendered when the sustain gate closed the
    project. The PDF of a closed project is made from this HTML, so page and PDF stay the
    same page; a project closed again after a reopen replaces it."""

    __tablename__ = "a3_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            unique=True)
    html: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
