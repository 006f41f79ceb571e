"""Several groups against R (tests/stats/reference/compare.R) and the NIST handbook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import (
    StatsInputError,
    anova_oneway,
    compare,
    compare_groups,
    equal_variances,
    kruskal_wallis,
    mood_median,
)
from tests.stats.reference.values import R

# R ?kruskal.test (Hollander & Wolfe p. 116), mucociliary efficiency
HW = ([2.9, 3.0, 2.5, 2.6, 3.2], [3.8, 2.7, 4.0, 2.4], [2.8, 3.4, 3.7, 2.2, 2.0])
# R datasets::PlantGrowth: ctrl, trt1, trt2
PG = ([4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14],
      [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69],
      [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26])
# unequal spread (compare.R, uv)
UV = ([10.1, 9.8, 10.3, 10.0, 9.9, 10.2], [11.5, 8.2, 12.9, 9.4, 13.1, 7.7, 10.8],
      [12.0, 12.4, 11.7, 12.2, 12.5])
NIST_A = ([6.9, 5.4, 5.8, 4.6, 4.0], [8.3, 6.8, 7.8, 9.2, 6.5], [8.0, 10.5, 8.1, 6.9, 9.3])
_LINES = (Path(__file__).parent / "data" / "gear.txt").read_text().splitlines()
GEAR = np.array([float(v) for line in _LINES if not line.startswith("#")
                 for v in line.split()]).reshape(10, 10)


def test_kruskal_wallis_hollander_wolfe():
    # R: kruskal.test(list(x, y, z)): chi-squared = 0.77143, df = 2, p-value = 0.68
    r = kruskal_wallis(*HW)
    assert r.statistic == pytest.approx(R["kw_hw.statistic"], rel=1e-12)
    assert r.p_value == pytest.approx(R["kw_hw.p_value"], rel=1e-10)
    assert r.df == (2,)
    assert not r.significant and r.test == "Kruskal-Wallis test"
    assert list(r.group_medians) == [2.9, 3.25, 2.8]


@pytest.mark.parametrize(("groups", "key"), [(list(GEAR), "kw_gear"), (PG, "kw_pg")])
def test_kruskal_wallis_with_ties(groups, key):
    # R: kruskal.test, tie-corrected (GEAR has many ties; PlantGrowth has 4.17 twice)
    r = kruskal_wallis(*groups)
    assert r.statistic == pytest.approx(R[f"{key}.statistic"], rel=1e-12)
    assert r.p_value == pytest.approx(R[f"{key}.p_value"], rel=1e-10)


@pytest.mark.parametrize(("groups", "key"), [(PG, "mood_pg"), (list(GEAR), "mood_gear")])
def test_mood_median(groups, key):
    # compare.R: counts above the grand median vs at or below it, chisq.test(correct = FALSE)
    r = mood_median(*groups)
    assert r.statistic == pytest.approx(R[f"{key}.statistic"], rel=1e-12)
    assert r.p_value == pytest.approx(R[f"{key}.p_value"], rel=1e-10)
    assert r.df == (len(groups) - 1,)
    assert r.test == "Mood's median test"


def test_mood_median_names_grand_median():
    assert f"{R['mood_pg.grand_median']:.6g}" in mood_median(*PG).method


@pytest.mark.parametrize(("method", "key"), [("brown-forsythe", "bf_gear"),
                                             ("levene", "levene_gear"),
                                             ("bartlett", "bartlett_gear")])
def test_equal_variances_gear(method, key):
    # R: car::leveneTest(center = median / mean), bartlett.test on the 10 GEAR batches
    r = equal_variances(*GEAR, method=method)
    assert r.statistic == pytest.approx(R[f"{key}.statistic"], rel=1e-10)
    assert r.p_value == pytest.approx(R[f"{key}.p_value"], rel=1e-9)
    assert method.split("-")[0] in r.method.lower()


def test_equal_variances_plant_growth():
    assert equal_variances(*PG).statistic == pytest.approx(R["bf_pg.statistic"], rel=1e-10)
    b = equal_variances(*PG, method="bartlett")
    assert b.statistic == pytest.approx(R["bartlett_pg.statistic"], rel=1e-10)
    assert b.df == (2,)


def test_anova_with_tukey_plant_growth():
    # R: summary(aov(weight ~ group, PlantGrowth)): F = 4.846, p = 0.01591;
    # TukeyHSD: trt1-ctrl -0.371, trt2-ctrl 0.494, trt2-trt1 0.865 (p adj 0.0120)
    r = anova_oneway(*PG)
    assert r.statistic == pytest.approx(R["anova_pg.statistic"], rel=1e-12)
    assert r.p_value == pytest.approx(R["anova_pg.p_value"], rel=1e-10)
    assert [r.ss_between, r.ss_within] == pytest.approx(R["anova_pg.ss"], rel=1e-12)
    assert [(p.first, p.second) for p in r.pairwise] == [(1, 2), (1, 3), (2, 3)]
    assert [p.diff for p in r.pairwise] == pytest.approx(R["tukey_pg.diff"], abs=1e-12)
    assert [p.ci[0] for p in r.pairwise] == pytest.approx(R["tukey_pg.lwr"], abs=1e-8)
    assert [p.ci[1] for p in r.pairwise] == pytest.approx(R["tukey_pg.upr"], abs=1e-8)
    assert [p.p_adj for p in r.pairwise] == pytest.approx(R["tukey_pg.p_adj"], abs=1e-8)
    assert [p.significant for p in r.pairwise] == [False, False, True]
    assert "Tukey" in r.method


def test_tukey_nist_example():
    r = anova_oneway(*NIST_A)
    assert [p.diff for p in r.pairwise] == pytest.approx(R["tukey_nist.diff"], abs=1e-12)
    assert [p.ci[0] for p in r.pairwise] == pytest.approx(R["tukey_nist.lwr"], abs=1e-8)
    assert [p.p_adj for p in r.pairwise] == pytest.approx(R["tukey_nist.p_adj"], abs=1e-8)


def test_welch_anova_with_games_howell():
    # R: oneway.test(y ~ g): F = 77.849, num df = 2, denom df = 8.1539; Games-Howell written
    # out in compare.R with ptukey / qtukey (R documents those to about 1e-5 and 1e-4 eps)
    r = anova_oneway(*UV, welch=True)
    assert r.statistic == pytest.approx(R["welch_uv.statistic"], rel=1e-12)
    assert r.df == pytest.approx(tuple(R["welch_uv.df"]), rel=1e-12)
    assert r.p_value == pytest.approx(R["welch_uv.p_value"], rel=1e-9)
    assert [p.diff for p in r.pairwise] == pytest.approx(R["gh_uv.diff"], abs=1e-12)
    assert [p.ci[0] for p in r.pairwise] == pytest.approx(R["gh_uv.lwr"], abs=1e-6)
    assert [p.ci[1] for p in r.pairwise] == pytest.approx(R["gh_uv.upr"], abs=1e-6)
    assert [p.p_adj for p in r.pairwise] == pytest.approx(R["gh_uv.p_adj"], abs=1e-6)
    assert [p.significant for p in r.pairwise] == [False, True, False]
    assert "Games-Howell" in r.method


@pytest.mark.parametrize("factor", [1e-300, 2.0**-1000, 1e-150])
def test_anova_on_tiny_values_gives_the_same_f(factor):
    # F, p and every rank statistic do not depend on the scale: NIST 7.4.3.3 gives F = 9.59
    groups = [np.array(g) * factor for g in NIST_A]
    for welch in (False, True):
        r = anova_oneway(*groups, welch=welch)
        base = anova_oneway(*NIST_A, welch=welch)
        assert r.statistic == pytest.approx(base.statistic, rel=1e-12)
        assert r.p_value == pytest.approx(base.p_value, rel=1e-10)
        assert list(r.group_means) == pytest.approx([5.34 * factor, 7.72 * factor,
                                                     8.56 * factor], rel=1e-12)
        assert [p.diff for p in r.pairwise] == pytest.approx(
            [p.diff * factor for p in base.pairwise], rel=1e-10)
    assert anova_oneway(*groups).statistic == pytest.approx(9.59, abs=5e-3)
    assert equal_variances(*groups).statistic == pytest.approx(
        equal_variances(*NIST_A).statistic, rel=1e-10)


def test_anova_on_huge_values_says_why():
    with pytest.raises(StatsInputError, match="rescale"):
        anova_oneway(*[np.array(g) * 1e300 for g in NIST_A])


def test_compare_chooses_for_several_groups():
    pg = compare(*PG)
    assert pg.test == "one-way ANOVA" and "Tukey" in pg.reason and "Brown-Forsythe" in pg.reason
    uv = compare(*UV)
    assert uv.test == "Welch's ANOVA" and "unequal spread" in uv.reason
    skewed = compare_groups([1, 1, 1, 1, 1, 1, 1, 1, 2, 50.0], *PG[1:])
    assert skewed.test == "Kruskal-Wallis test"
    assert "normality fails for group 1" in skewed.reason
    with pytest.raises(StatsInputError, match="independent continuous"):
        compare(*PG, paired=True)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: kruskal_wallis([1.0, 2.0]), "2 groups"),
        (lambda: kruskal_wallis([1.0, 1.0], [1.0]), "all values are equal"),
        (lambda: mood_median([1.0, 1.0], [1.0, 1.0, 1.0]), "above the grand median"),
        (lambda: equal_variances(*PG, method="f"), "method"),
        (lambda: equal_variances([1.0, 1.0], [1.0, 2.0], method="bartlett"), "group 1"),
        (lambda: anova_oneway(*PG, alpha=2), "alpha"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(StatsInputError, match=message):
        call()


def test_results_are_json_ready_and_read_only():
    import json

    r = anova_oneway(*PG)
    json.dumps(r.to_dict())
    assert r.to_dict()["pairwise"][2]["diff"] == pytest.approx(0.865)
    with pytest.raises(ValueError):
        r.group_means[0] = 1.0
