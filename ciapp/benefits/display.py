"""How a benefit line reads on its page: its month table (the projection spread over its
months beside what was realized) and quantities without trailing zeros. The page and the
in-place editor's answers share them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import calc
from .models import BenefitLine


@dataclass(frozen=True)
class MonthRow:
    month: date
    projected: Decimal | None
    realized: Decimal | None
    state: str | None
    comment: str


def month_rows(line: BenefitLine) -> list[MonthRow]:
    """The twelve projected months and every realized month, in calendar order."""
    projected = dict(calc.spread(line.projected, line.start_month))
    realized = {m.month: m for m in line.months}
    return [MonthRow(month, projected.get(month),
                     realized[month].amount if month in realized else None,
                     realized[month].state if month in realized else None,
                     realized[month].comment if month in realized else "")
            for month in sorted(set(projected) | set(realized))]


def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 1200.0000 -> 1,200; 37.5000 -> 37.5."""
    if value is None:
        return ""
    text = f"{value.normalize():,f}"
    return text
