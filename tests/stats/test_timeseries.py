"""Autocorrelation (Ljung-Box) and shift suggestion.

No published Ljung-Box output on fixed data was at hand (R's ?Box.test example uses rnorm),
so Q and its p-values are cross-checked against statsmodels' acorr_ljungbox, an independent
implementation of the same formula, and against the formula written out here.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.timeseries import autocorrelation, suggest_shift


def ar1(phi: float, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    x = np.empty(n)
    x[0] = e[0]
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


def test_ljung_box_matches_statsmodels():
    from statsmodels.stats.diagnostic import acorr_ljungbox

    x = ar1(0.3, 120, 1)
    r = autocorrelation(x, lags=[1, 4, 12])
    ref = acorr_ljungbox(x, lags=[1, 4, 12])
    assert list(r.q) == pytest.approx(list(ref["lb_stat"]), rel=1e-10)
    assert list(r.p_values) == pytest.approx(list(ref["lb_pvalue"]), rel=1e-8)


def test_ljung_box_formula_and_acf():
    from scipy import stats
    from statsmodels.tsa.stattools import acf

    x = ar1(0.5, 80, 2)
    r = autocorrelation(x, lags=5)
    rho = acf(x, nlags=5)
    n = x.size
    q5 = n * (n + 2) * sum(rho[k] ** 2 / (n - k) for k in range(1, 6))
    assert r.q[-1] == pytest.approx(q5)
    assert r.p_values[-1] == pytest.approx(stats.chi2.sf(q5, 5))
    assert list(r.acf) == pytest.approx(list(rho[1:]))
    assert r.lag1 == pytest.approx(rho[1])


def test_positive_autocorrelation_warns_about_narrow_limits():
    r = autocorrelation(ar1(0.7, 300, 3))
    assert r.significant
    assert "too narrow" in r.warning and "lag-1 r = 0.6" in r.warning


def test_alternating_series_warns_about_wide_limits():
    r = autocorrelation(ar1(-0.6, 300, 4))
    assert r.significant and "too wide" in r.warning


def test_independent_data_no_warning():
    r = autocorrelation(np.random.default_rng(5).normal(size=200))
    assert not r.significant and r.warning == ""
    assert list(r.lags) == list(range(1, 11))  # default min(10, n // 5)
    json.dumps(r.to_dict())


def test_autocorrelation_million_points_fast():
    x = np.random.default_rng(6).normal(size=1_000_000)
    start = time.perf_counter()
    autocorrelation(x)
    assert time.perf_counter() - start < 5.0  # generous for a shared CI machine


def test_shift_found_at_the_step():
    rng = np.random.default_rng(7)
    x = np.r_[rng.normal(10, 1, 40), rng.normal(13, 1, 25)]
    s = suggest_shift(x)
    assert s.index == 40 and s.cusum_index == 40
    assert s.before_mean == pytest.approx(x[:40].mean())
    assert s.after_mean == pytest.approx(x[40:].mean())
    assert s.significant and s.strength > 2
    assert "confirm" in s.notes[0]


def test_shift_t_matches_brute_force_search():
    from scipy import stats

    rng = np.random.default_rng(8)
    x = np.r_[rng.normal(0, 1, 23), rng.normal(0.8, 1, 31)]
    s = suggest_shift(x, min_segment=4)
    best = max(range(4, x.size - 3),
               key=lambda k: abs(stats.ttest_ind(x[k:], x[:k]).statistic))
    assert s.index == best
    assert s.t == pytest.approx(stats.ttest_ind(x[best:], x[:best]).statistic)
    splits = x.size - 2 * 4 + 1
    p = min(1.0, stats.ttest_ind(x[best:], x[:best]).pvalue * splits)
    assert s.p_value == pytest.approx(p)
    cusum = np.cumsum(x - x.mean())
    assert s.cusum_index == int(np.argmax(np.abs(cusum[3:x.size - 4]))) + 4


def test_no_shift_in_noise_is_not_significant():
    s = suggest_shift(np.random.default_rng(9).normal(size=100))
    assert not s.significant


def test_exact_step_without_noise():
    s = suggest_shift([1.0] * 10 + [2.0] * 10)
    assert s.index == 10 and math.isinf(s.t) and s.p_value == 0.0


def test_shift_million_points_fast():
    rng = np.random.default_rng(10)
    x = np.r_[rng.normal(0, 1, 600_000), rng.normal(0.05, 1, 400_000)]
    start = time.perf_counter()
    s = suggest_shift(x)
    assert time.perf_counter() - start < 5.0  # generous for a shared CI machine
    assert abs(s.index - 600_000) < 20_000


def test_missing_values_dropped():
    s = suggest_shift([1.0, None, 1.1, 0.9, 1.0, 1.05, 3.0, 3.1, 2.9, 3.0, float("nan"), 3.05])
    assert s.n_missing == 2 and s.n == 10 and s.index == 5


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: autocorrelation([1.0, 2.0, 3.0]), "at least 4"),
        (lambda: autocorrelation([2.0] * 20), "all values are equal"),
        (lambda: autocorrelation(np.arange(20.0), lags=25), "lags"),
        (lambda: autocorrelation(np.arange(20.0), lags=[0, 2]), "lags"),
        (lambda: autocorrelation([1.0, math.inf, 2.0, 3.0, 4.0]), "infinite"),
        (lambda: suggest_shift([1.0] * 8 + [2.0]), "at least 10"),
        (lambda: suggest_shift([1.0] * 20), "all values are equal"),
        (lambda: suggest_shift(np.arange(20.0), min_segment=1), "min_segment"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()
