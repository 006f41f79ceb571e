"""Power and sample size against R's power.t.test examples and closed forms."""

from __future__ import annotations

import math

import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.power import power, sample_size


def test_r_power_t_test_power():
    # R ?power.t.test: power.t.test(n = 20, delta = 1)  -> power = 0.8689528
    # (R's default strict = FALSE ignores the far tail; statsmodels counts it, adding ~2e-7)
    r = power(n=20, delta=1)
    assert r.power == pytest.approx(0.8689528, abs=5e-7)
    assert r.solved_for == "power"


def test_r_power_t_test_sample_size():
    # R ?power.t.test: power.t.test(power = .90, delta = 1)  -> n = 22.02110
    r = sample_size(power=0.9, delta=1)
    assert r.n_exact == pytest.approx(22.02110, abs=5e-5)
    assert r.n == 23
    assert r.power >= 0.9


def test_r_power_t_test_one_sided_sample_size():
    # R ?power.t.test: power.t.test(power = .90, delta = 1, alternative = "one.sided")
    #    -> n = 17.84713
    r = sample_size(power=0.9, delta=1, alternative="greater")
    assert r.n_exact == pytest.approx(17.84713, abs=5e-5)


def test_delta_and_sd_scale_together():
    assert power(n=15, delta=2, sd=2).power == pytest.approx(power(n=15, delta=1).power)


def test_paired_and_one_sample_use_one_sample_t():
    from scipy import stats

    # closed form: power of the one-sample t-test via the noncentral t distribution
    n, d = 12, 0.8
    crit = stats.t.isf(0.025, n - 1)
    nc = d * math.sqrt(n)
    expected = stats.nct.sf(crit, n - 1, nc) + stats.nct.cdf(-crit, n - 1, nc)
    assert power(n=n, test="paired", delta=d).power == pytest.approx(expected, rel=1e-8)
    assert power(n=n, test="one-sample", delta=d).power == pytest.approx(expected, rel=1e-8)


def test_proportions_power_matches_normal_formula():
    from scipy import stats

    # closed form for NormalIndPower with Cohen's h (as R's pwr.2p.test):
    # power = Phi(|h| sqrt(n/2) - z_{1-a/2}) + Phi(-|h| sqrt(n/2) - z_{1-a/2})
    p1, p2, n = 0.5, 0.65, 80
    h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    z = stats.norm.isf(0.025)
    expected = stats.norm.cdf(abs(h) * math.sqrt(n / 2) - z) + stats.norm.cdf(
        -abs(h) * math.sqrt(n / 2) - z)
    r = power(n=n, test="proportions", p1=p1, p2=p2)
    assert r.effect_size == pytest.approx(h)
    assert r.power == pytest.approx(expected, rel=1e-10)


def test_proportions_sample_size_closed_form():
    from scipy import stats

    p1, p2 = 0.5, 0.75
    h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    n = 2 * ((stats.norm.isf(0.025) + stats.norm.isf(0.2)) / h) ** 2
    r = sample_size(test="proportions", p1=p1, p2=p2)
    # the closed form ignores the far tail, which is negligible here
    assert r.n_exact == pytest.approx(n, rel=1e-4)
    assert r.n == math.ceil(r.n_exact)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: power(n=20, delta=0), "delta"),
        (lambda: power(n=20, delta=1, sd=0), "sd"),
        (lambda: power(n=1, delta=1), "n must be"),
        (lambda: power(n=20, delta=1, alpha=1.5), "alpha"),
        (lambda: power(n=20, delta=1, test="anova"), "test must be"),
        (lambda: power(n=20, test="proportions", p1=0.5, p2=0.5), "no difference"),
        (lambda: power(n=20, test="proportions", p1=1.5, p2=0.5), "p1"),
        (lambda: sample_size(power=1.0, delta=1), "power"),
        (lambda: sample_size(delta=-1, alternative="greater"), "opposite sign"),
        (lambda: sample_size(delta=1, alternative="up"), "alternative"),
        (lambda: sample_size(delta=1e-9), "too small"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


def test_huge_effect_needs_the_smallest_sample():
    r = sample_size(delta=10)
    assert r.n == 2 and r.power > 0.8
    with pytest.raises(StatsInputError, match="numerically"):
        power(n=2, delta=50)


def test_json():
    import json

    json.dumps(sample_size(delta=0.5).to_dict())


def test_against_r_pwr():
    # R pwr (tests/stats/reference/compare.R): pwr.2p.test(h = ES.h(0.65, 0.5), n = 80)
    # power 0.4869; pwr.2p.test(h = ES.h(0.75, 0.5), power = 0.8) n = 57.258 (one-sided
    # 45.103); pwr.t.test(d = 0.8, n = 12, type = "one.sample") 0.7137;
    # pwr.t2n.test(n1 = 15, n2 = 30, d = 0.6) 0.4582. pwr solves n with uniroot (~1e-8).
    from tests.stats.reference.values import R

    assert power(n=80, test="proportions", p1=0.5, p2=0.65).power == pytest.approx(
        R["pwr_2p.power"], rel=1e-9)
    assert sample_size(test="proportions", p1=0.5, p2=0.75).n_exact == pytest.approx(
        R["pwr_2p.n"], rel=1e-6)
    assert sample_size(test="proportions", p1=0.5, p2=0.75,
                       alternative="greater").n_exact == pytest.approx(R["pwr_2p_greater.n"],
                                                                       rel=1e-6)
    assert power(n=12, test="one-sample", delta=0.8).power == pytest.approx(
        R["pwr_t1.power"], rel=1e-9)
    assert power(n=15, ratio=2, delta=0.6).power == pytest.approx(R["pwr_t2_unequal.power"],
                                                                  rel=1e-9)
