"""The arithmetic of benefits, exact in decimals: quantity x unit value, an annual figure
spread over its twelve months, the range a before/after comparison gives, ROI and payback.

No database and no Flask here: every rule about rounding lives in one place, and the roll-up
in SQL (``rollup.py``) follows the same spreading rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")  # a quantity's places (Numeric(15, 4))
MONTHS = 12


def to_cent(value: Decimal) -> Decimal:
    """Commercial rounding (half away from zero), as finance rounds an amount."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def projected(quantity: Decimal, unit_value: Decimal) -> Decimal:
    return to_cent(quantity * unit_value)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def spread(annual: Decimal, start: date) -> list[tuple[date, Decimal]]:
    """``annual`` over the twelve months from ``start``, to the cent, adding up exactly.

    Each month gets the whole cents of a twelfth; the cents left over (fewer than twelve) go
    one each to the first months. 1000.00 -> 83.34 x 4 and 83.33 x 8. ``rollup.py`` does the
    same in SQL (integer division and remainder on cents).
    """
    cents = int((annual / CENT).to_integral_value())
    if cents < 0:
        raise ValueError("a projected annual figure is never negative")
    base, extra = divmod(cents, MONTHS)
    return [(add_months(start, k), Decimal(base + (1 if k < extra else 0)) * CENT)
            for k in range(MONTHS)]


@dataclass(frozen=True)
class Derived:
    """A saving estimated from a before/after change: per year, with its range."""

    quantity: Decimal  # improvement in the metric's units x volume, a year
    estimate: Decimal
    low: Decimal
    high: Decimal


def improvement(change: float, better: str) -> float:
    """The change measured in the better direction: a fall is an improvement when lower is
    better."""
    return -change if better == "lower" else change


def _exact(value: float) -> Decimal:
    # repr is the shortest decimal that gives the same float back: the number as saved.
    return Decimal(repr(float(value)))


def derive(change: float, ci: tuple[float, float], better: str, unit_cost: Decimal,
           volume: Decimal) -> Derived:
    """The saving ``improvement x unit cost x volume`` and the same for both ends of the
    confidence interval of the change, low end first."""
    ends = sorted(_exact(improvement(v, better)) for v in ci)
    per_unit = _exact(improvement(change, better))
    quantity = (per_unit * volume).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return Derived(quantity, projected(quantity, unit_cost),
                   to_cent(ends[0] * volume * unit_cost), to_cent(ends[1] * volume * unit_cost))


@dataclass(frozen=True)
class Return:
    """ROI and payback from a year of benefit and the project's costs.

    ``roi`` is the first year's net gain over the first year's cost, in percent:
    (benefit - running - one-off) / (one-off + running) x 100. ``payback_months`` is the
    one-off cost over the monthly net benefit (benefit - running) / 12. Either is None
    where it does not exist (no cost; a net benefit of zero or less never pays back).
    """

    benefit: Decimal
    one_off: Decimal
    running: Decimal
    roi: Decimal | None
    payback_months: Decimal | None


def returns(benefit: Decimal, one_off: Decimal, running: Decimal) -> Return:
    cost = one_off + running
    roi = ((benefit - cost) / cost * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) \
        if cost > 0 else None
    net = benefit - running
    payback = None
    if net > 0:
        payback = (one_off / net * MONTHS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Return(benefit, one_off, running, roi, payback)
