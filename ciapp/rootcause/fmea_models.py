"""The FMEA table and the SIPOC of a project (the latter for the scope phase)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

SIPOC_COLUMNS = {"suppliers": "Suppliers", "inputs": "Inputs", "process": "Process steps",
                 "outputs": "Outputs", "customers": "Customers"}
SCORES = ("severity", "occurrence", "detection")


def _score_checks(prefix: str = "", nullable: bool = False) -> list[CheckConstraint]:
    return [CheckConstraint(f"{prefix}{s} IS NULL OR {prefix}{s} BETWEEN 1 AND 10"
                            if nullable else f"{prefix}{s} BETWEEN 1 AND 10",
                            name=f"{prefix}{s}_1_10") for s in SCORES]


class FmeaRow(db.Model):
    """One failure mode, scored severity x occurrence x detection (1-10 each), and scored
    again (``new_*``) once the recommended action is in place."""

    __tablename__ = "fmea_rows"
    __table_args__ = (*_score_checks(), *_score_checks("new_", nullable=True))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    failure_mode: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    current_control: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int]
    occurrence: Mapped[int]
    detection: Mapped[int]
    recommended_action: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    new_severity: Mapped[int | None]
    new_occurrence: Mapped[int | None]
    new_detection: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def rpn(self) -> int:
        return self.severity * self.occurrence * self.detection

    @property
    def new_rpn(self) -> int | None:
        scores = (self.new_severity, self.new_occurrence, self.new_detection)
        if any(s is None for s in scores):
            return None
        return scores[0] * scores[1] * scores[2]  # type: ignore[operator]


class SipocItem(db.Model):
    """One entry in one column of the project's SIPOC."""

    __tablename__ = "sipoc_items"
    __table_args__ = (CheckConstraint(
        "column_key IN ('suppliers', 'inputs', 'process', 'outputs', 'customers')",
        name="column_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    column_key: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
