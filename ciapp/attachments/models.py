"""An attachment: a photo or document kept for a project, or for one of its whys, fishbone
causes or countermeasures.

The owner is one nullable foreign key per kind rather than a free "kind + id" pair: the
database then refuses an owner that does not exist and removes the attachment with its
owner, whichever way the owner goes (a why deleted alone, or with its whole chain by the
chain's own cascade). No owner column set means the attachment belongs to the project.
The bytes live on disk under ``stored_name``, a generated name, never the user's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db

# kind -> the column that names an owner of that kind ("project": none of them).
OWNER_COLUMNS = {"why": "why_id", "cause": "cause_id", "countermeasure": "countermeasure_id"}
OWNER_KINDS = ("project", *OWNER_COLUMNS)
OWNER_LABELS = {"project": "the project", "why": "a why", "cause": "a fishbone cause",
                "countermeasure": "a countermeasure"}


def _at_most_one_owner() -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)"
                      for c in OWNER_COLUMNS.values()) + " <= 1"


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(_at_most_one_owner(), name="one_owner"),
        CheckConstraint("size > 0", name="size"),
        Index("ix_attachments_project_id_created_at", "project_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    why_id: Mapped[int | None] = mapped_column(ForeignKey("whys.id", ondelete="CASCADE"),
                                               index=True)
    cause_id: Mapped[int | None] = mapped_column(ForeignKey("causes.id", ondelete="CASCADE"),
                                                 index=True)
    countermeasure_id: Mapped[int | None] = mapped_column(
        ForeignKey("countermeasures.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()

    @property
    def owner_kind(self) -> str:
        for kind, column in OWNER_COLUMNS.items():
            if getattr(self, column) is not None:
                return kind
        return "project"

    @property
    def owner_id(self) -> int:
        """The owner's id: the why, cause or countermeasure, else the project."""
        kind = self.owner_kind
        return self.project_id if kind == "project" else getattr(self, OWNER_COLUMNS[kind])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
