"""Benefit lines of a project (projected annual figure, realized months), its costs, and
finance's validation of both.

Amounts are ``Money`` (exact decimals, two places). A line's projected figure is computed,
never typed: quantity x unit value, rounded to the cent, so the calculation is always the
one shown. Validation is kept twice per line: ``projected_state`` for the annual figure and
``state`` on each realized month, because the months arrive long after the projection was
signed off.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..auth.models import User
from ..core.time import utcnow
from ..core.types import Money, UTCDateTime
from ..datasets.models import AnalysisRecord
from ..extensions import db
from ..projects.models import Project

CATEGORIES = {
    "hard_savings": "Hard savings",
    "soft_savings": "Soft savings",
    "cost_avoidance": "Cost avoidance",
    "revenue": "Revenue",
}
# Draft: the team works on it; pending: submitted, in finance's queue; approved: locked;
# returned: finance sent it back with a comment, the team changes it and submits again.
STATES = {"draft": "Draft", "pending": "Waiting for finance", "approved": "Validated",
          "returned": "Returned by finance"}
COST_KINDS = {"one_off": "One-off", "running": "Running (per year)"}


class Quantity(TypeDecorator[Decimal]):
    """A calculation input (hours a year, orders a year): ``Numeric(15, 4)``, exact.

    As with ``Money``, SQLite keeps it as a double: fifteen significant digits come back
    unchanged through ``repr``, so the value is sent as text and read back that way.
    """

    impl = Numeric(15, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(15, 4, asdecimal=False))
        return dialect.type_descriptor(Numeric(15, 4))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("a quantity must be a Decimal, never a float")
        return str(value) if dialect.name == "sqlite" else Decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(repr(value) if isinstance(value, float) else value).quantize(
            Decimal("0.0001"))


class BenefitLine(db.Model):
    __tablename__ = "benefit_lines"
    __table_args__ = (
        CheckConstraint("projected >= 0", name="projected_not_negative"),
        CheckConstraint("unit_value >= 0", name="unit_value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    project: Mapped[Project] = relationship()
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(Text, default="")  # the calculation in words
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    quantity_unit: Mapped[str] = mapped_column(String(40), default="")
    unit_value: Mapped[Decimal] = mapped_column(Money())
    projected: Mapped[Decimal] = mapped_column(Money())  # quantity x unit value, a year
    start_month: Mapped[date]  # the first of the month the benefit starts

    # Derived from a saved before/after comparison: its change and confidence interval in
    # the metric's units, as saved, the volume and unit cost, and the range they give.
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_records.id", ondelete="SET NULL"), index=True)
    record: Mapped[AnalysisRecord | None] = relationship()
    change: Mapped[float | None] = mapped_column(Float)
    change_low: Mapped[float | None] = mapped_column(Float)
    change_high: Mapped[float | None] = mapped_column(Float)
    p_value: Mapped[float | None] = mapped_column(Float)
    volume: Mapped[Decimal | None] = mapped_column(Quantity())
    range_low: Mapped[Decimal | None] = mapped_column(Money())
    range_high: Mapped[Decimal | None] = mapped_column(Money())
    # A significant change in the better direction backs the claim.
    backed: Mapped[bool] = mapped_column(default=False)

    projected_state: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    projected_comment: Mapped[str] = mapped_column(Text, default="")
    projected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    projected_by: Mapped[User | None] = relationship(foreign_keys=[projected_by_id])
    projected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                 onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    months: Mapped[list[BenefitMonth]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="BenefitMonth.month")

    __mapper_args__ = {"version_id_col": version}

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def derived(self) -> bool:
        return self.change is not None

    @property
    def confidence(self) -> str:
        """The level of the change's interval, from the comparison's alpha ("95%")."""
        alpha = (self.record.result or {}).get("alpha") if self.record else None
        return f"{(1 - alpha) * 100:g}%" if isinstance(alpha, float) else ""

    @property
    def realized(self) -> Decimal:
        return sum((m.amount for m in self.months), Decimal("0.00"))


class BenefitMonth(db.Model):
    """A realized amount for one calendar month of one line."""

    __tablename__ = "benefit_months"
    __table_args__ = (UniqueConstraint("line_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("benefit_lines.id", ondelete="CASCADE"),
                                         index=True)
    line: Mapped[BenefitLine] = relationship(back_populates="months")
    month: Mapped[date]  # the first of the month
    amount: Mapped[Decimal] = mapped_column(Money())
    state: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    validated_by: Mapped[User | None] = relationship(foreign_keys=[validated_by_id])
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProjectCost(db.Model):
    """What the project costs: one-off (equipment, training) or running (a year)."""

    __tablename__ = "project_costs"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def kind_label(self) -> str:
        return COST_KINDS.get(self.kind, self.kind)
