"""Data sets of a project, their immutable versions, and saved analyses on a version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db


class Dataset(db.Model):
    """A named series of measurements in one project; its rows live in its versions.

    ``current`` is the number of the newest version. ``version`` is the optimistic lock on
    this row (name, metric, options), separate from the data's version numbers.
    """

    __tablename__ = "datasets"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    primary_metric: Mapped[bool] = mapped_column(default=True)
    subgroup_size: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")
    current: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[User | None] = relationship()
    version: Mapped[int] = mapped_column(default=1)

    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan", order_by="DatasetVersion.number",
        lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}


class DatasetVersion(db.Model):
    """One immutable state of a data set's rows: an Arrow IPC stream (zstd), with the
    SHA-256 of its uncompressed content, so a saved analysis can name exactly what it used.

    A columnar blob per version, not a row per measurement: a 10^6-row import is one insert
    of a few megabytes instead of a million ORM objects, every analysis wants whole columns
    anyway, and a version never changes once written.
    """

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    dataset: Mapped[Dataset] = relationship(back_populates="versions")
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[User | None] = relationship()
    payload: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class AnalysisRecord(db.Model):
    """A saved analysis: what was run, on which data versions, with what options, and the
    numbers it gave, so a reviewer can re-run it and see whether they agree."""

    __tablename__ = "analysis_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    dataset: Mapped[Dataset] = relationship(foreign_keys=[dataset_id])
    analysis: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    # [{"dataset": id, "version": n, "sha256": ..., "stage": ...}]: one item, two for a
    # comparison.
    inputs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    software: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[User | None] = relationship()


class ChartCache(db.Model):
    """Rendered charts by a hash of the data version, the options and the renderer, in the
    database so that every app server behind a load balancer shares them (an instance
    folder is per machine). Rows go with their data set."""

    __tablename__ = "chart_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"),
                                            index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ImportDraft(db.Model):
    """An upload waiting for its preview to be confirmed: the bytes as sent, nothing read
    into a data set yet. In the database, not in a server's memory or folder, because the
    preview and the confirm may reach different app servers. Confirming deletes it in the
    same transaction that saves the data; drafts left unconfirmed go after a day."""

    __tablename__ = "import_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a programme import (a project register or a benefits sheet: ciapp.programme),
    # which belongs to no project; such a draft is never found under a project's URL.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # Set when the rows are to be appended to this data set rather than make a new one.
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    dataset: Mapped[Dataset | None] = relationship()
    filename: Mapped[str] = mapped_column(String(200), default="")
    pasted: Mapped[bool] = mapped_column(default=False)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    payload: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
