"""Root-cause analysis of a project: 5-Whys chains, the fishbone, and the root causes both
lead to.

:class:`RootCause` is *the* root cause, whatever tool found it: a why that ends a chain, or
a fishbone cause found verified. Everything that answers a root cause (a countermeasure)
links to ``root_causes.id``, never to a why or a cause directly, so it need not know which
tool found it. Verification (the flag, the evidence text, the saved analysis that shows it)
lives on the root cause too, one place for both tools.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db

TEXT_MAX = 1000
CAUSE_STATUSES = {"suspected": "Suspected", "verified": "Verified",
                  "ruled_out": "Ruled out"}
SIX_MS = ("People", "Machine", "Method", "Material", "Measurement", "Environment")


class WhyChain(db.Model):
    """One 5-Whys chain: a problem statement, then whys asked of it."""

    __tablename__ = "why_chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    problem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    whys: Mapped[list[Why]] = relationship(
        back_populates="chain", cascade="all, delete-orphan",
        order_by="(Why.parent_id, Why.position, Why.id)", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}


class Why(db.Model):
    """One answer to "why?". ``parent_id`` is the why it answers (None: it answers the
    problem statement itself); two whys with the same parent are a branch. ``project_id``
    repeats the chain's so a why is loaded as a child of its project in one step."""

    __tablename__ = "whys"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("why_chains.id", ondelete="CASCADE"),
                                          index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("whys.id", ondelete="CASCADE"),
                                                  index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    chain: Mapped[WhyChain] = relationship(back_populates="whys")
    root_cause: Mapped[RootCause | None] = relationship(back_populates="why",
                                                        passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}


class Fishbone(db.Model):
    """A project's Ishikawa diagram: the effect at the head, categories along the spine."""

    __tablename__ = "fishbones"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            unique=True)
    effect: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    categories: Mapped[list[CauseCategory]] = relationship(
        back_populates="fishbone", cascade="all, delete-orphan",
        order_by="(CauseCategory.position, CauseCategory.id)", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}


class CauseCategory(db.Model):
    """A bone of the fishbone (the 6 Ms by default)."""

    __tablename__ = "cause_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    fishbone_id: Mapped[int] = mapped_column(ForeignKey("fishbones.id", ondelete="CASCADE"),
                                             index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    fishbone: Mapped[Fishbone] = relationship(back_populates="categories")
    causes: Mapped[list[Cause]] = relationship(
        back_populates="category", cascade="all, delete-orphan",
        order_by="(Cause.position, Cause.id)", passive_deletes=True)


class Cause(db.Model):
    """A cause on a bone; ``parent_id`` makes it a sub-cause of another cause of the same
    category. ``votes`` is the team's priority; ``status`` moves from suspected to verified
    or ruled out, with ``evidence`` saying why."""

    __tablename__ = "causes"
    __table_args__ = (
        CheckConstraint("status IN ('suspected', 'verified', 'ruled_out')", name="status"),
        CheckConstraint("votes >= 0", name="votes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("cause_categories.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("causes.id", ondelete="CASCADE"),
                                                  index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    votes: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="suspected")
    evidence: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[CauseCategory] = relationship(back_populates="causes")
    root_cause: Mapped[RootCause | None] = relationship(back_populates="cause",
                                                        passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}


class RootCause(db.Model):
    """A root cause of the project, found by a why (``why_id``) or a fishbone cause
    (``cause_id``), exactly one of the two. ``verified`` with ``evidence`` (and optionally
    ``record_id``, a saved analysis of the same project) is what the root-cause gate asks."""

    __tablename__ = "root_causes"
    __table_args__ = (
        CheckConstraint("(why_id IS NULL) <> (cause_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    why_id: Mapped[int | None] = mapped_column(ForeignKey("whys.id", ondelete="CASCADE"),
                                               unique=True)
    cause_id: Mapped[int | None] = mapped_column(ForeignKey("causes.id", ondelete="CASCADE"),
                                                 unique=True)
    verified: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_records.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    why: Mapped[Why | None] = relationship(back_populates="root_cause")
    cause: Mapped[Cause | None] = relationship(back_populates="root_cause")

    __mapper_args__ = {"version_id_col": version}

    @property
    def statement(self) -> str:
        source = self.why if self.why is not None else self.cause
        return source.text if source is not None else ""

    @property
    def found_by(self) -> str:
        return "5 Whys" if self.why_id is not None else "Fishbone"
