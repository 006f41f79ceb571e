"""The arithmetic of benefits, against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ciapp.benefits import calc

D = Decimal


def test_projected_rounds_half_up_to_the_cent() -> None:
    # 1.5 x 0.05 = 0.075 -> 0.08 (half up; banker's rounding would give 0.08 too, so also
    # 2.5 x 0.01 = 0.025 -> 0.03, where half-even would give 0.02).
    assert calc.projected(D("1.5"), D("0.05")) == D("0.08")
    assert calc.projected(D("2.5"), D("0.01")) == D("0.03")
    assert calc.projected(D("1200"), D("38.50")) == D("46200.00")
    assert calc.projected(D("0.3333"), D("3.00")) == D("1.00")  # 0.9999 -> 1.00


def test_spread_of_1000_over_twelve_months_adds_up_to_the_cent() -> None:
    # 1000.00 / 12 = 83.333...: eight months of 83.33 = 666.64 leave 333.36 for four,
    # 83.34 each. The first four months carry the extra cent.
    months = calc.spread(D("1000.00"), date(2026, 11, 1))

    assert [m for m, _ in months][:3] == [date(2026, 11, 1), date(2026, 12, 1),
                                          date(2027, 1, 1)]
    assert months[-1][0] == date(2027, 10, 1)
    assert [a for _, a in months] == [D("83.34")] * 4 + [D("83.33")] * 8
    assert sum(a for _, a in months) == D("1000.00")


@pytest.mark.parametrize("annual", ["0.00", "0.11", "0.12", "100.01", "46200.00",
                                    "999999999999.99", "7.77"])
def test_every_spread_sums_to_its_year_and_differs_by_at_most_a_cent(annual: str) -> None:
    months = [a for _, a in calc.spread(D(annual), date(2026, 1, 1))]

    assert sum(months) == D(annual)
    assert max(months) - min(months) <= D("0.01")
    assert all(a == a.quantize(D("0.01")) for a in months)


def test_derived_range_from_a_fall_in_a_lower_is_better_metric() -> None:
    # Cycle time fell by 2.5 min (CI -3.1 to -1.9); 10,000 orders a year at 1.20 a minute:
    # 2.5 x 10,000 x 1.20 = 30,000.00; 1.9 x 12,000 = 22,800.00; 3.1 x 12,000 = 37,200.00.
    derived = calc.derive(-2.5, (-3.1, -1.9), "lower", D("1.20"), D("10000"))

    assert derived.quantity == D("25000.0000")
    assert (derived.estimate, derived.low, derived.high) == (
        D("30000.00"), D("22800.00"), D("37200.00"))


def test_derived_range_of_a_higher_is_better_metric_crossing_zero() -> None:
    # Yield rose 0.4 points (CI -0.1 to 0.9), 5,000 units a year at 3.00 a point:
    # 0.4 x 15,000 = 6,000.00; -0.1 x 15,000 = -1,500.00 (no saving is possible); 0.9 ->
    # 13,500.00.
    derived = calc.derive(0.4, (-0.1, 0.9), "higher", D("3.00"), D("5000"))

    assert (derived.estimate, derived.low, derived.high) == (
        D("6000.00"), D("-1500.00"), D("13500.00"))


def test_roi_and_payback_worked_by_hand() -> None:
    # Benefit 60,000 a year, one-off 20,000, running 4,000 a year:
    # ROI = (60,000 - 4,000 - 20,000) / 24,000 = 150.0 %;
    # payback = 20,000 / ((60,000 - 4,000) / 12) = 20,000 / 4,666.67 = 4.2857 -> 4.3 months.
    r = calc.returns(D("60000.00"), D("20000.00"), D("4000.00"))

    assert r.roi == D("150.0")
    assert r.payback_months == D("4.3")


def test_no_cost_no_roi_and_no_net_benefit_never_pays_back() -> None:
    assert calc.returns(D("1000.00"), D("0"), D("0")).roi is None
    # Running costs eat the whole benefit: never pays back; ROI (1000 - 1000 - 500) / 1500.
    r = calc.returns(D("1000.00"), D("500.00"), D("1000.00"))
    assert r.payback_months is None
    assert r.roi == D("-33.3")
