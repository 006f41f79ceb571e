"""Before / after comparisons against NIST and R's documented outputs, plus the chooser."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import StatsInputError, equal_variances
from ciapp.stats.compare import (
    anova_oneway,
    chi_square,
    compare,
    compare_means,
    compare_medians,
    compare_proportions,
    compare_rates,
    compare_variances,
)
from tests.stats.reference.values import R


def load(name: str) -> np.ndarray:
    """Numbers of a data file in tests/stats/data, '#' lines being its source note."""
    lines = (Path(__file__).parent / "data" / name).read_text().splitlines()
    return np.array([float(v) for line in lines if not line.startswith("#") for v in line.split()])


US = load("auto83b_us_mpg.txt")
JP = load("auto83b_jp_mpg.txt")
GEAR = load("gear.txt").reshape(10, 10)

# R: data(sleep); extra for group 1 and group 2 (Student's sleep data)
SLEEP1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_nist_auto83b_student_t():
    # NIST/SEMATECH e-Handbook 1.3.5.3: T = -12.62059, sp = 6.34260, df = 326;
    # sample means 20.14458 and 30.48101, sds 6.41470 and 6.10771 (US - Japan; we report after -
    # before = Japan - US, so the sign flips)
    r = compare_means(US, JP, equal_var=True, better="higher", unit="mpg")
    assert r.statistic == pytest.approx(12.62059, abs=5e-6)
    assert r.df == 326
    assert r.before_level == pytest.approx(20.14458, abs=5e-6)
    assert r.after_level == pytest.approx(30.48101, abs=5e-6)
    assert r.test == "2-sample t-test (Student)"
    assert r.improved and r.significant
    assert r.verdict.startswith("The mean rose from 20.14 to 30.48 mpg (+51.3%")
    assert "a significant improvement at alpha 0.05" in r.verdict


def test_nist_auto83b_welch_t():
    # NIST/SEMATECH e-Handbook 1.3.5.3, unequal variances: T = -12.94627, df = 136.8750
    r = compare_means(US, JP, better="higher")
    assert r.statistic == pytest.approx(12.94627, abs=5e-6)
    assert r.df == pytest.approx(136.8750, abs=5e-5)
    assert r.test == "Welch t-test"


def test_r_sleep_welch():
    # R: t.test(extra ~ group, data = sleep)
    #    t = -1.8608, df = 17.776, p-value = 0.07939
    #    95 percent CI: -3.3654832  0.2054832 (group 1 - group 2)
    r = compare_means(SLEEP1, SLEEP2, better="higher")
    assert r.statistic == pytest.approx(1.8608, abs=5e-5)
    assert r.df == pytest.approx(17.776, abs=5e-4)
    assert r.p_value == pytest.approx(0.07939, abs=5e-6)
    assert r.change_ci == pytest.approx((-0.2054832, 3.3654832), abs=5e-8)
    assert r.change == pytest.approx(1.58)
    assert not r.significant and not r.improved
    assert "not a significant change" in r.verdict


def test_r_sleep_paired():
    # R: with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))
    #    t = -4.0621, df = 9, p-value = 0.002833; CI -2.4598858 -0.7001142; mean diff -1.58
    r = compare_means(SLEEP1, SLEEP2, paired=True, better="higher")
    assert r.statistic == pytest.approx(4.0621, abs=5e-5)
    assert r.df == 9
    assert r.p_value == pytest.approx(0.002833, abs=5e-7)
    assert r.change_ci == pytest.approx((0.7001142, 2.4598858), abs=5e-8)
    assert r.test == "paired t-test" and r.improved


def test_worse_direction_is_not_improvement():
    r = compare_means(SLEEP1, SLEEP2, paired=True, better="lower")
    assert r.significant and not r.improved
    assert "for the worse" in r.verdict


def test_one_sided_alternative_keeps_two_sided_interval():
    r = compare_means(SLEEP1, SLEEP2, alternative="greater", better="higher")
    # R: t.test(sleep2, sleep1, alternative = "greater")$p.value = 0.07939 / 2
    assert r.p_value == pytest.approx(0.0793941 / 2, rel=1e-5)
    assert all(math.isfinite(v) for v in r.change_ci)


def test_power_and_sample_size_for_observed_effect():
    # R (compare.R): power.t.test(n = 10, delta = d, sd = 1, strict = TRUE) at the observed
    # Cohen's d = 0.8321 (pooled sd) -> power 0.4214; power = 0.8 needs n = 23.7 per group
    r = compare_means(SLEEP1, SLEEP2, equal_var=True, better="higher")
    assert r.power == pytest.approx(R["power_sleep.power"], abs=1e-7)
    assert r.n_needed == math.ceil(R["power_sleep.n"])


def test_r_wilcoxon_signed_rank_example():
    # R ?wilcox.test: x <- c(1.83, 0.50, ...); y <- c(0.878, 0.647, ...)
    #    wilcox.test(x, y, paired = TRUE, alternative = "greater")  V = 40, p-value = 0.01953
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    r = compare_medians(y, x, paired=True, alternative="greater", better="higher")
    assert r.statistic == 40
    assert r.p_value == pytest.approx(0.01953, abs=5e-6)
    assert r.test == "Wilcoxon signed-rank test"
    # R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE): (pseudo)median 0.46, exact 95 %
    # interval 0.010 to 0.786 (compare.R, sr_exact)
    two = compare_medians(y, x, paired=True, better="higher")
    assert two.change == pytest.approx(R["sr_exact.estimate"], abs=1e-12)
    assert two.change_ci == pytest.approx(R["sr_exact.ci"], abs=1e-12)
    assert two.p_value == pytest.approx(R["sr_exact.p_value"], abs=1e-12)


def test_r_mann_whitney_example():
    # R ?wilcox.test: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
    #    y <- c(1.15, 0.88, 0.90, 0.74, 1.21); wilcox.test(x, y, alternative = "g")
    #    W = 35, p-value = 0.1272
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    r = compare_medians(y, x, alternative="greater", better="higher")
    assert r.statistic == 35
    assert r.p_value == pytest.approx(0.1272, abs=5e-5)
    # R: wilcox.test(x, y, conf.int = TRUE): W = 35, p = 0.2544, difference in location
    # 0.305, exact 95 % interval -0.15 to 0.76 (compare.R, mw_exact)
    two = compare_medians(y, x, better="higher")
    assert two.change == pytest.approx(R["mw_exact.estimate"], abs=1e-12)
    assert two.change_ci == pytest.approx(R["mw_exact.ci"], abs=1e-12)
    assert two.p_value == pytest.approx(R["mw_exact.p_value"], abs=1e-12)
    assert "exact" in two.method


def test_hodges_lehmann_matches_brute_force():
    rng = np.random.default_rng(5)
    b, a = rng.normal(0, 1, 37), rng.normal(0.5, 1, 23)
    r = compare_medians(b, a)
    diffs = np.sort(np.subtract.outer(a, b).ravel())
    assert r.change == pytest.approx(np.median(diffs), abs=1e-9)
    # the interval ends are order statistics of the differences
    assert np.min(np.abs(diffs - r.change_ci[0])) < 1e-9
    assert np.min(np.abs(diffs - r.change_ci[1])) < 1e-9


def test_nist_gear_brown_forsythe():
    # NIST/SEMATECH e-Handbook 1.3.5.10, GEAR.DAT, prints W = 1.705910 (Dataplot output). The
    # data themselves give 1.7059177 in double precision: R car::leveneTest(center = median)
    # = 1.7059176930008908 (compare.R, bf_gear), so NIST's sixth decimal is its own rounding.
    # We match R to 1e-12 and NIST only to its printed 1e-5.
    w = equal_variances(*GEAR)
    assert w.statistic == pytest.approx(R["bf_gear.statistic"], rel=1e-12)
    assert w.statistic == pytest.approx(1.705910, abs=1e-5)
    assert w.p_value == pytest.approx(R["bf_gear.p_value"], rel=1e-10)
    # the 2-sample wrapper on batches 1 and 2: R leveneTest on those two (bf_gear12)
    r = compare_variances(GEAR[0], GEAR[1])
    assert r.test == "Brown-Forsythe test"
    assert r.statistic == pytest.approx(R["bf_gear12.statistic"], rel=1e-10)
    assert r.p_value == pytest.approx(R["bf_gear12.p_value"], rel=1e-10)


def test_f_test_for_variances():
    # R: var.test(jp, us): F = 0.90658, num df = 78, denom df = 248, p-value = 0.6194,
    # 95 % CI for the variance ratio 0.6423 to 1.3246 (compare.R, var_test_auto)
    r = compare_variances(US, JP, method="f")
    assert r.statistic == pytest.approx(R["var_test_auto.statistic"], rel=1e-12)
    assert r.df == (78, 248)
    assert r.p_value == pytest.approx(R["var_test_auto.p_value"], rel=1e-10)
    # NIST 1.3.5.3: sds 6.41470 (US) and 6.10771 (Japan)
    assert r.change == pytest.approx(6.10771 - 6.41470, abs=1e-5)
    lo, hi = R["var_test_auto.ci"]
    assert r.change_ci == pytest.approx((r.before_level * (math.sqrt(lo) - 1),
                                         r.before_level * (math.sqrt(hi) - 1)), rel=1e-10)


def test_two_proportion_z_equals_prop_test_without_correction():
    # R: prop.test(c(18, 30), c(100, 100), correct = FALSE): X-squared = 3.9474 (= z^2),
    # p-value = 0.04694, 95 % CI -0.23721 to -0.00279 (compare.R, prop_plain)
    r = compare_proportions(30, 100, 18, 100, better="lower")
    assert r.statistic == pytest.approx(-math.sqrt(R["prop_plain.statistic"]), rel=1e-12)
    assert r.p_value == pytest.approx(R["prop_plain.p_value"], rel=1e-10)
    assert r.test == "two-proportion z-test"
    assert "no continuity correction" in r.method
    assert r.change == pytest.approx(-0.12)
    assert r.change_ci == pytest.approx(R["prop_plain.ci"], rel=1e-12)
    assert r.improved


def test_fisher_when_expected_counts_small():
    # R ?fisher.test, TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2): two-sided p-value = 0.4857
    r = compare_proportions(1, 4, 3, 4, better="higher")
    assert r.test == "Fisher's exact test"
    assert r.p_value == pytest.approx(0.4857, abs=5e-5)
    assert "expected count" in r.reason
    # R: fisher.test(TeaTasting)$estimate 6.408309 (conditional MLE; uniroot to ~1e-4). The
    # same equations solved to 1e-13 in compare.R (fisher_tight_tea): 6.4083197,
    # interval 0.2117356 to 626.2435 (R's default tolerance prints 621.9 for the upper end)
    est, low, high = R["fisher_tight_tea"]
    assert r.statistic == pytest.approx(est, rel=1e-9)
    assert r.statistic == pytest.approx(R["fisher_tea.estimate"], rel=1e-5)
    assert r.assumptions["odds_ratio_ci"] == pytest.approx((low, high), rel=1e-8)
    assert "conditional maximum-likelihood" in r.method


def test_fisher_convictions_one_sided():
    # R ?fisher.test, Convictions <- matrix(c(2, 10, 15, 3), nrow = 2):
    #    fisher.test(Convictions, alternative = "less")  p-value = 0.0004652
    # rows: dizygotic (2 convicted of 17), monozygotic (10 convicted of 13); the odds ratio of
    # the first row versus the second is "less" than 1. All expected counts are >= 5, so the
    # automatic choice would be the z-test: Fisher is requested.
    assert compare_proportions(10, 13, 2, 17).test == "two-proportion z-test"
    r = compare_proportions(10, 13, 2, 17, alternative="less", better="lower", method="fisher")
    assert r.test == "Fisher's exact test"
    assert r.p_value == pytest.approx(0.0004652, abs=5e-8)
    # R: odds ratio 0.04693661, one-sided 95 % interval 0 to 0.2849601
    est, low, high = R["fisher_tight_conv_less"]
    assert r.statistic == pytest.approx(est, rel=1e-9)
    assert r.assumptions["odds_ratio_ci"] == pytest.approx((low, high), rel=1e-8, abs=1e-300)


def test_r_poisson_test_two_rates():
    # R ?poisson.test: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
    #    count1 = 11, expected count1 = 6.7174, p-value = 0.07967
    #    95 percent CI 0.8584264 4.2772659; rate ratio 1.971488
    r = compare_rates(6 + 8 + 7, 1083 + 1050 + 878, 11, 800, better="lower")
    assert r.p_value == pytest.approx(0.07967, abs=5e-6)
    assert r.assumptions["expected_after_count"] == pytest.approx(6.7174, abs=5e-5)
    assert r.assumptions["rate_ratio"] == pytest.approx(1.971488, abs=5e-7)
    assert r.assumptions["rate_ratio_ci"] == pytest.approx((0.8584264, 4.2772659), abs=5e-7)
    assert r.change_pct == pytest.approx(97.1488, abs=5e-4)
    assert r.change_pct_ci == pytest.approx((-14.15736, 327.72659), abs=5e-5)
    assert not r.significant
    # power has no R reference here (statsmodels' Wald-type power for the rate ratio); what a
    # user relies on: a probability, and more exposure at the same rates gives more power
    assert 0 < r.power < 1
    bigger = compare_rates(4 * 21, 4 * 3011, 4 * 11, 4 * 800, better="lower")
    assert bigger.power > r.power
    assert r.n_needed is None


def test_anova_nist_example():
    # NIST/SEMATECH e-Handbook 7.4.3.3 (one-way ANOVA example): SS treatments 27.897,
    # SS error 17.452, F = 9.59 with 2 and 12 df
    a = anova_oneway([6.9, 5.4, 5.8, 4.6, 4.0], [8.3, 6.8, 7.8, 9.2, 6.5],
                     [8.0, 10.5, 8.1, 6.9, 9.3])
    assert a.ss_between == pytest.approx(27.897, abs=5e-4)
    assert a.ss_within == pytest.approx(17.452, abs=5e-4)
    assert a.statistic == pytest.approx(9.59, abs=5e-3)
    assert a.df == (2, 12)
    assert list(a.group_means) == pytest.approx([5.34, 7.72, 8.56])
    assert a.significant


def test_welch_anova_two_groups_equals_welch_t():
    # R: oneway.test(extra ~ group, data = sleep) gives F = t^2 = 1.8608^2 = 3.4626,
    # denominator df = 17.776 (the Welch t-test's df)
    a = anova_oneway(SLEEP1, SLEEP2, welch=True)
    assert a.statistic == pytest.approx(1.8608134674868526**2)
    assert a.df[1] == pytest.approx(17.776, abs=5e-4)
    assert a.p_value == pytest.approx(0.07939, abs=5e-6)


def test_r_chisq_test_example():
    # R ?chisq.test: M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477)))
    #    X-squared = 30.07, df = 2, p-value = 2.954e-07
    r = chi_square([[762, 327, 468], [484, 239, 477]])
    assert r.statistic == pytest.approx(30.07, abs=5e-3)
    assert r.df == 2
    assert r.p_value == pytest.approx(2.954e-07, abs=5e-11)
    assert not r.yates


def test_compare_chooses_welch_for_normal_samples():
    r = compare(SLEEP1, SLEEP2, better="higher")
    assert r.test == "Welch t-test"
    assert "Welch" in r.reason


def test_compare_chooses_rank_test_when_small_sample_not_normal():
    skewed = [1, 1, 1, 1, 1, 1, 1, 1, 2, 50.0]
    r = compare(skewed, [1, 2, 3, 2, 1, 2, 3, 2, 1, 2.0], better="lower")
    assert r.test == "Mann-Whitney test"
    assert "normality fails" in r.reason
    paired = compare(skewed, [0, 0, 0, 0, 1, 0, 0, 0, 1, 0.0], paired=True)
    assert paired.test == "Wilcoxon signed-rank test"


def test_compare_large_samples_use_t_even_if_skewed():
    rng = np.random.default_rng(6)
    r = compare(rng.exponential(10, 200), rng.exponential(8, 200))
    assert r.test == "Welch t-test"
    assert "30 or more" in r.reason


def test_compare_proportion_and_rate_kinds():
    p = compare((30, 100), (18, 100), kind="proportion")
    assert p.test == "two-proportion z-test" and p.improved
    r = compare((21, 3011), (11, 800), kind="rate")
    assert r.measure == "rate"
    with pytest.raises(StatsInputError, match="pair"):
        compare(30, (18, 100), kind="proportion")
    with pytest.raises(StatsInputError, match="kind"):
        compare([1, 2], [3, 4], kind="ordinal")


def test_missing_values_dropped_and_paired_pairs_dropped():
    r = compare_means([1.0, 2.0, None, 4.0, 3.0], [2.0, float("nan"), 3.0, 5.0, 4.0])
    assert r.n_missing == 2 and r.n_before == 4 and r.n_after == 4
    p = compare_means([1.0, 2.0, None, 4.0, 3.0], [2.0, float("nan"), 3.0, 5.0, 4.5],
                      paired=True)
    assert p.n_missing == 2 and p.n_before == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: compare_means([1.0], [2.0, 3.0]), "at least 2"),
        (lambda: compare_means([1.0, 1.0], [1.0, 1.0]), "all values are equal"),
        (lambda: compare_means([1.0, math.inf], [2.0, 3.0]), "infinite"),
        (lambda: compare_means([1.0, 2.0], [2.0, 3.0], paired=True, better="up"), "better"),
        (lambda: compare_means([1.0, 2.0, 3.0], [2.0, 3.0], paired=True), "paired"),
        (lambda: compare_means([1.0, 2.0], [2.0, 3.0], alternative="lower"), "alternative"),
        (lambda: compare_medians([1.0, 2.0], [1.0, 2.0], paired=True), "difference is zero"),
        (lambda: compare_proportions(11, 10, 3, 10), "exceeds"),
        (lambda: compare_proportions(-1, 10, 3, 10), "negative"),
        (lambda: compare_proportions(1, 0, 3, 10), "positive"),
        (lambda: compare_proportions(1.5, 10, 3, 10), "whole number"),
        (lambda: compare_proportions(0, 10, 0, 10), "nothing to test"),
        (lambda: compare_rates(-1, 10.0, 3, 10.0), "whole number"),
        (lambda: compare_rates(1, 0.0, 3, 10.0), "exposure"),
        (lambda: compare_rates(0, 5.0, 0, 10.0), "no events"),
        (lambda: compare_variances([1.0, 1.0], [1.0, 2.0]), "before"),
        (lambda: compare_variances([1.0, 2.0], [1.0, 3.0], method="bartlett"), "method"),
        (lambda: anova_oneway([1.0, 2.0]), "2 groups"),
        (lambda: chi_square([[1, 2, 3]]), "2 rows"),
        (lambda: chi_square([[1, -2], [3, 4]]), "whole numbers"),
        (lambda: chi_square([[0, 0], [3, 4]]), "no counts"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


def test_results_are_json_ready():
    for r in (compare_means(SLEEP1, SLEEP2), compare_proportions(1, 4, 3, 4),
              compare_rates(21, 3011.0, 11, 800.0), anova_oneway(SLEEP1, SLEEP2),
              chi_square([[3, 1], [1, 3]])):
        json.dumps(r.to_dict())


def test_large_samples_means_and_medians():
    """Large samples work without building every pairwise difference (timings: bench/)."""
    rng = np.random.default_rng(7)
    b, a = rng.normal(10, 2, 200_000), rng.normal(9.99, 2, 200_000)
    r = compare_means(b, a)
    assert r.change == pytest.approx(a.mean() - b.mean())
    m = compare_medians(b, a)
    assert m.change_ci[0] < m.change < m.change_ci[1]
