"""One sample against a target, against R (tests/stats/reference/compare.R)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from ciapp.stats import (
    StatsInputError,
    one_sample_proportion,
    one_sample_rate,
    one_sample_t,
    one_sample_wilcoxon,
)
from tests.stats.reference.values import R

SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]  # R: sleep$extra[11:20]
# R ?wilcox.test paired example; the differences x - y
WD = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]) - np.array(
    [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])


def test_t_against_target():
    # R: t.test(sleep2, mu = 1): t = 2.1006, df = 9, p-value = 0.06506, CI 0.8977 to 3.7623
    r = one_sample_t(SLEEP2, 1, better="higher")
    assert r.statistic == pytest.approx(R["t1_sleep2.statistic"], rel=1e-12)
    assert r.p_value == pytest.approx(R["t1_sleep2.p_value"], rel=1e-10)
    assert r.df == 9
    assert r.ci == pytest.approx(R["t1_sleep2.ci"], rel=1e-12)
    assert r.level == pytest.approx(2.33) and r.difference == pytest.approx(1.33)
    assert not r.significant and not r.meets_target
    assert r.verdict.startswith("The mean 2.33 is above the target 1 (95% CI 0.8977 to 3.762)")


def test_t_one_sided_meets_target():
    # R: t.test(sleep2, mu = 3, alternative = "less"): p-value = 0.1999 (not below 3)
    r = one_sample_t(SLEEP2, 3, alternative="less", better="lower")
    assert r.p_value == pytest.approx(R["t1_sleep2_less.p_value"], rel=1e-10)
    assert not r.meets_target
    tiny = one_sample_t(np.array(SLEEP2) * 1e-300, 1e-300, better="higher")
    assert tiny.statistic == pytest.approx(R["t1_sleep2.statistic"], rel=1e-12)
    assert tiny.ci == pytest.approx([v * 1e-300 for v in R["t1_sleep2.ci"]], rel=1e-12)


def test_wilcoxon_against_target_exact():
    # R: wilcox.test(x - y, mu = 0.1, conf.int = TRUE): V = 39, p-value = 0.05469,
    # (pseudo)median 0.46, exact interval 0.010 to 0.786
    r = one_sample_wilcoxon(WD, 0.1, better="higher")
    assert r.statistic == R["w1_exact.statistic"]
    assert r.p_value == pytest.approx(R["w1_exact.p_value"], rel=1e-12)
    assert r.level == pytest.approx(R["w1_exact.estimate"], abs=1e-12)
    assert r.ci == pytest.approx(R["w1_exact.ci"], abs=1e-12)
    assert "exact" in r.method
    greater = one_sample_wilcoxon(WD, 0.1, alternative="greater", better="higher")
    assert greater.statistic == 39  # V+ whatever the alternative, as R
    assert greater.p_value == pytest.approx(R["w1_greater.p_value"], rel=1e-12)
    approx = one_sample_wilcoxon(WD, 0.1, exact=False)
    assert approx.p_value == pytest.approx(R["w1_approx.p_value"], rel=1e-10)
    assert "normal approximation" in approx.method


def test_exact_binomial_against_target():
    # R: binom.test(7, 20, p = 0.5): p-value = 0.2632, 95 % CI 0.1539092 0.5921885
    r = one_sample_proportion(7, 20, 0.5)
    assert r.p_value == pytest.approx(R["binom_7_20.p_value"], rel=1e-10)
    assert r.ci == pytest.approx(R["binom_7_20.ci"], rel=1e-10)
    assert r.level == 0.35 and "Clopper-Pearson" in r.method
    less = one_sample_proportion(7, 20, 0.6, alternative="less")
    assert less.p_value == pytest.approx(R["binom_7_20_less.p_value"], rel=1e-10)


@pytest.mark.parametrize(("correction", "key"), [(False, "prop1_plain"), (True, "prop1_yates")])
def test_normal_proportion_against_target(correction, key):
    # R: prop.test(70, 200, p = 0.4, correct = FALSE / TRUE): X-squared = 2.0833 / 1.8802,
    # Wilson interval (continuity-corrected with correct = TRUE)
    r = one_sample_proportion(70, 200, 0.4, method="normal", correction=correction)
    assert r.statistic == pytest.approx(-math.sqrt(R[f"{key}.statistic"]), rel=1e-12)
    assert r.p_value == pytest.approx(R[f"{key}.p_value"], rel=1e-10)
    assert r.ci == pytest.approx(R[f"{key}.ci"], rel=1e-12)
    assert ("Yates" in r.method) is correction


@pytest.mark.parametrize(("args", "alternative", "key"), [
    ((137, 24.19893, 5), "two-sided", "pois1"),
    ((137, 24.19893, 5), "greater", "pois1_greater"),
    ((3, 2.5, 3), "two-sided", "pois1_small"),
])
def test_poisson_rate_against_target(args, alternative, key):
    # R ?poisson.test: poisson.test(137, 24.19893, r = 5) and a small count
    r = one_sample_rate(*args, alternative=alternative)
    assert r.p_value == pytest.approx(R[f"{key}.p_value"], rel=1e-9)
    assert r.level == pytest.approx(args[0] / args[1])
    if alternative == "two-sided":
        assert r.ci == pytest.approx(R[f"{key}.ci"], rel=1e-10)


def test_poisson_far_side_counts_both_ways():
    # below the expected count (x < m) and above it: R poisson.test(2, 1, r = 6): 0.1025...
    # checked by enumerating the Poisson(6) probabilities no larger than P(X = 2)
    from scipy import stats

    pmf = stats.poisson.pmf(np.arange(200), 6.0)
    expected = pmf[pmf <= pmf[2] * (1 + 1e-7)].sum()
    assert one_sample_rate(2, 1.0, 6.0).p_value == pytest.approx(expected, rel=1e-10)
    expected = pmf[pmf <= pmf[11] * (1 + 1e-7)].sum()
    assert one_sample_rate(11, 1.0, 6.0).p_value == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: one_sample_t([1.0, 1.0], 2.0), "no variation"),
    (lambda: one_sample_t([1.0, 2.0], math.nan), "target"),
    (lambda: one_sample_wilcoxon([2.0, 2.0], 2.0), "every difference is zero"),
    (lambda: one_sample_proportion(3, 2, 0.5), "between 0"),
    (lambda: one_sample_proportion(1, 2, 1.0), "strictly between"),
    (lambda: one_sample_proportion(1, 2, 0.5, method="wald"), "method"),
    (lambda: one_sample_rate(-1, 2.0, 1.0), "whole number"),
    (lambda: one_sample_rate(1, 0.0, 1.0), "exposure"),
])
def test_bad_input(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


def test_json_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [one_sample_t(SLEEP2, 1), one_sample_wilcoxon(WD, 0.1),
                   one_sample_proportion(7, 20, 0.5), one_sample_rate(137, 24.19893, 5)]
    for r in results:
        json.dumps(r.to_dict())
