"""Properties of capability and comparisons that must hold for any data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ciapp.stats import StatsInputError
from ciapp.stats.capability import capability
from ciapp.stats.compare import (
    compare,
    compare_means,
    compare_medians,
    compare_proportions,
    compare_rates,
)
from ciapp.stats.pareto import pareto
from ciapp.stats.timeseries import autocorrelation, suggest_shift

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
samples = st.lists(values, min_size=10, max_size=60)
# any finite float, including huge and subnormal ones
wild = st.floats(allow_nan=False, allow_infinity=False)


def spread_ok(x: list[float]) -> bool:
    a = np.asarray(x)
    return float(np.std(a)) > 1e-3 * max(1.0, float(np.max(np.abs(a))))


@SETTINGS
@given(samples, st.floats(-1e4, 1e4), st.floats(0.5, 50))
def test_capability_invariant_to_shift(x, a, width):
    assume(spread_ok(x))
    lsl, usl = float(np.mean(x)) - width, float(np.mean(x)) + width
    base = capability(x, lsl=lsl, usl=usl)
    moved = capability([v + a for v in x], lsl=lsl + a, usl=usl + a)
    for name in ("cp", "cpk", "pp", "ppk"):
        assert getattr(moved, name) == pytest.approx(getattr(base, name), rel=1e-6, abs=1e-9)


@SETTINGS
@given(samples, st.floats(1e-3, 1e3), st.floats(0.5, 50))
def test_capability_invariant_to_scale(x, b, width):
    assume(spread_ok(x))
    lsl, usl = float(np.mean(x)) - width, float(np.mean(x)) + width
    base = capability(x, lsl=lsl, usl=usl)
    scaled = capability([v * b for v in x], lsl=lsl * b, usl=usl * b)
    for name in ("cp", "cpk", "pp", "ppk"):
        assert getattr(scaled, name) == pytest.approx(getattr(base, name), rel=1e-6, abs=1e-9)


@SETTINGS
@given(samples, st.integers(-1000, 300), st.floats(0.5, 50))
def test_capability_same_at_any_power_of_two_scale(x, k, width):
    # Scaling by 2^k is exact, so the answer must not change: values near 1e-300 used to
    # underflow their squared deviations to 0 and report "too few points"
    assume(spread_ok(x))
    b = 2.0**k
    lsl, usl = float(np.mean(x)) - width, float(np.mean(x)) + width
    base = capability(x, lsl=lsl, usl=usl, target=float(np.mean(x)))
    scaled = capability([v * b for v in x], lsl=lsl * b, usl=usl * b,
                        target=float(np.mean(x)) * b)
    assert scaled.warnings == base.warnings
    assert (scaled.normality is None) == (base.normality is None)
    for name in ("cp", "cpk", "pp", "ppk", "cpm"):
        assert getattr(scaled, name) == pytest.approx(getattr(base, name), rel=1e-9)
    assert scaled.sigma_overall == pytest.approx(base.sigma_overall * b, rel=1e-12)


@SETTINGS
@given(samples, samples, st.floats(-1e3, 1e3))
def test_compare_means_change_shifts_with_data(before, after, c):
    assume(spread_ok(before) and spread_ok(after))
    base = compare_means(before, after)
    moved = compare_means(before, [v + c for v in after])
    assert moved.change == pytest.approx(base.change + c, rel=1e-9, abs=1e-6)
    assert moved.change_ci[0] == pytest.approx(base.change_ci[0] + c, rel=1e-9, abs=1e-6)
    assert moved.change_ci[1] == pytest.approx(base.change_ci[1] + c, rel=1e-9, abs=1e-6)


@SETTINGS
@given(samples, samples, st.floats(-1e3, 1e3))
def test_compare_medians_change_shifts_with_data(before, after, c):
    assume(spread_ok(before) and spread_ok(after))
    base = compare_medians(before, after)
    moved = compare_medians(before, [v + c for v in after])
    assert moved.change == pytest.approx(base.change + c, rel=1e-6, abs=1e-6)


def only_input_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except StatsInputError:
        return None


@SETTINGS
@given(st.lists(wild, max_size=40), st.one_of(st.none(), wild), st.one_of(st.none(), wild),
       st.sampled_from([None, "boxcox", "percentile"]), st.integers(1, 5))
def test_capability_raises_only_input_errors(x, lsl, usl, transform, size):
    r = only_input_errors(capability, x, lsl=lsl, usl=usl, transform=transform,
                          subgroup_size=size)
    if r is not None:
        r.to_dict()


@SETTINGS
@given(st.lists(wild, max_size=30), st.lists(wild, max_size=30), st.booleans(),
       st.sampled_from(["lower", "higher"]))
def test_compare_raises_only_input_errors(before, after, paired, better):
    r = only_input_errors(compare, before, after, paired=paired, better=better)
    if r is not None:
        assert isinstance(r.verdict, str) and r.verdict
        assert not (r.improved and not r.significant)


@SETTINGS
@given(st.lists(wild, max_size=40))
def test_time_series_raise_only_input_errors(x):
    only_input_errors(autocorrelation, x)
    only_input_errors(suggest_shift, x)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("abcde"), wild), max_size=20))
def test_pareto_raises_only_input_errors(rows):
    r = only_input_errors(pareto, [r[0] for r in rows], [r[1] for r in rows])
    if r is not None:
        assert r.cumulative_percent[-1] == 100.0
        assert math.isclose(sum(r.counts), r.total, rel_tol=1e-9) or not math.isfinite(r.total)


counts = st.integers(min_value=-5, max_value=10**6)


@SETTINGS
@given(counts, counts, counts, counts, st.sampled_from(["two-sided", "less", "greater"]))
def test_proportions_raise_only_input_errors(x1, n1, x2, n2, alternative):
    r = only_input_errors(compare_proportions, x1, n1, x2, n2, alternative=alternative)
    if r is not None:
        assert 0 <= r.p_value <= 1
        r.to_dict()


@SETTINGS
@given(counts, wild, counts, wild, st.sampled_from(["two-sided", "less", "greater"]))
def test_rates_raise_only_input_errors(c1, t1, c2, t2, alternative):
    r = only_input_errors(compare_rates, c1, t1, c2, t2, alternative=alternative)
    if r is not None:
        assert 0 <= r.p_value <= 1
        r.to_dict()
