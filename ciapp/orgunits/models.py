"""A site, or an area inside a site (site > area). The table is ``org_units``, as before
the model had a package of its own."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

SITE, AREA = "site", "area"


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))  # SITE or AREA
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")

    @property
    def label(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent else self.name
