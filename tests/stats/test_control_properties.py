"""Property tests: equivariance of the limits, symmetry, and only StatsInputError on bad data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ciapp.stats import StatsInputError
from ciapp.stats.control import CHARTS, control_chart

moderate = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
values = st.lists(moderate, min_size=2, max_size=40)
subgroup_rows = st.lists(st.lists(moderate, min_size=2, max_size=6), min_size=1, max_size=15)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _chart(kind: str, data):
    try:
        return control_chart(kind, data)
    except StatsInputError:
        assume(False)


def _close(a, b, scale: float) -> bool:
    return np.allclose(a, b, rtol=1e-9, atol=1e-9 * max(1.0, scale))


# Values on a grid of 1/8 and whole shifts: x + a is exact, so a shift cannot merge two
# values into a tie (which would rightly change the trend rules) through rounding.
grid = st.integers(-8000, 8000).map(lambda v: v / 8)
grid_values = st.lists(grid, min_size=2, max_size=40)


@SETTINGS
@given(kind=st.sampled_from(["i", "ewma", "cusum"]), x=grid_values,
       a=st.integers(-1000, 1000).map(float))
def test_shift_moves_center_and_limits(kind, x, a) -> None:
    base, moved = _chart(kind, x), _chart(kind, [v + a for v in x])
    big = max(abs(a), *map(abs, x))
    offset = 0.0 if kind == "cusum" else a  # CUSUM sums are deviations: shift-invariant
    for name in ("center", "lcl", "ucl", "statistics"):
        assert _close(getattr(moved, name), getattr(base, name) + offset, big)
    # the signals are a property of the process, not of where its zero lies: every kind
    assert moved.violations == base.violations
    assert moved.rules == base.rules and moved.rules  # something was tested


@SETTINGS
@given(kind=st.sampled_from(["xbar", "r", "s"]), rows=subgroup_rows, a=moderate)
def test_shift_subgroup_charts(kind, rows, a) -> None:
    base = _chart(kind, rows)
    moved = _chart(kind, [[v + a for v in r] for r in rows])
    big = max(abs(a), *(abs(v) for r in rows for v in r))
    offset = a if kind == "xbar" else 0.0
    assert _close(moved.center, base.center + offset, big)
    assert _close(moved.ucl, base.ucl + offset, big)
    assert moved.sigma == pytest.approx(base.sigma, rel=1e-6, abs=1e-9 * big)


@SETTINGS
@given(kind=st.sampled_from(["i", "mr", "ewma", "cusum", "xbar", "r", "s"]),
       rows=subgroup_rows, b=st.floats(1e-3, 1e3))
def test_scale_scales_center_limits_and_sigma(kind, rows, b) -> None:
    data = [v for r in rows for v in r] if kind in ("i", "mr", "ewma", "cusum") else rows
    scaled = ([v * b for v in data] if kind in ("i", "mr", "ewma", "cusum")
              else [[v * b for v in r] for r in data])
    base, big = _chart(kind, data), _chart(kind, scaled)
    assert big.sigma == pytest.approx(base.sigma * b, rel=1e-9)
    for name in ("center", "lcl", "ucl"):
        assert np.allclose(getattr(big, name), getattr(base, name) * b, rtol=1e-9,
                           atol=1e-12 * b * (1 + np.abs(getattr(base, name)).max()))


@SETTINGS
@given(kind=st.sampled_from(["i", "mr", "ewma", "cusum", "xbar", "r", "s"]),
       rows=st.lists(st.lists(grid, min_size=2, max_size=6), min_size=2, max_size=15),
       k=st.integers(-1000, 300))
def test_power_of_two_scale_changes_nothing_but_the_unit(kind, rows, k) -> None:
    # 2^k scaling is exact: the same signals, sigma times 2^k, even near 1e-300 where
    # squares underflow (subgroup sds, EWMA variance) and used to zero the limits
    flat = kind in ("i", "mr", "ewma", "cusum")
    data = [v for r in rows for v in r] if flat else rows
    b = 2.0**k
    scaled = [v * b for v in data] if flat else [[v * b for v in r] for r in rows]
    base = _chart(kind, data)
    small = control_chart(kind, scaled)
    assert small.violations == base.violations
    assert small.sigma == pytest.approx(base.sigma * b, rel=1e-12)


@SETTINGS
@given(x=values)
def test_individuals_limits_symmetric(x) -> None:
    chart = _chart("i", x)
    assert np.allclose(chart.ucl - chart.center, chart.center - chart.lcl)
    assert np.all(chart.lcl < chart.center) and np.all(chart.center < chart.ucl)


any_float = st.floats(allow_nan=True, allow_infinity=False, width=64)
raw = st.lists(any_float, min_size=0, max_size=30)
ragged = st.lists(st.lists(any_float, min_size=0, max_size=5), min_size=0, max_size=10)
sizes = st.one_of(st.none(), st.integers(-2, 200),
                  st.lists(st.one_of(st.floats(-5, 1e4), st.just(float("nan"))), max_size=30))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(CHARTS)), data=st.one_of(raw, ragged), n=sizes,
       rules=st.sampled_from(["nelson", "western_electric", "rule1", (2, 3, 7)]),
       nsigmas=st.floats(0.5, 6))
def test_any_finite_input_raises_only_stats_input_error(kind, data, n, rules, nsigmas) -> None:
    try:
        chart = control_chart(kind, data, n, rules=rules, nsigmas=nsigmas)
    except StatsInputError:
        return
    chart.to_dict()
    assert chart.statistics.size == chart.ucl.size == chart.lcl.size == chart.index.size
    for hits in chart.violations.values():
        assert hits == sorted(hits)
