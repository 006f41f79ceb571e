"""Crossed Gage R&R against the Houf & Berman example (Montgomery Example 8.7) and base R.

Values marked R come from tests/stats/reference/msa.R (aov and the expected-mean-square
formulas in base R), stored in msa_values.txt; the tests read them, they never run R.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.msa import gage_rr


def load_table(name: str) -> np.ndarray:
    lines = (Path(__file__).parent / "data" / name).read_text().splitlines()
    return np.array([[float(v) for v in line.split()] for line in lines
                     if not line.startswith("#")])


def long_form(table: np.ndarray, operators: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts, cols = table.shape
    trials = cols // operators
    y = table.ravel()
    part = np.repeat(np.arange(1, parts + 1), cols)
    op = np.tile(np.repeat([f"op{i + 1}" for i in range(operators)], trials), parts)
    return y, part, op


THERMAL = long_form(load_table("houf_berman_thermal_impedance.txt"), 3)
SOURCES = ("total_gage_rr", "repeatability", "reproducibility", "operator", "operator_part",
           "part_to_part", "total")


def r_values() -> dict[str, float]:
    lines = (Path(__file__).parent / "reference" / "msa_values.txt").read_text().splitlines()
    return {k: float(v) for k, v in (line.split() for line in lines if not line.startswith("#"))}


R = r_values()


def additive_study() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lines = (Path(__file__).parent / "data" / "gage_additive.txt").read_text().splitlines()
    rows = [line.split() for line in lines if not line.startswith("#")]
    return (np.array([float(r[2]) for r in rows]), np.array([r[0] for r in rows]),
            np.array([r[1] for r in rows]))


def spread_parts(k: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Houf & Berman with part effects times (1 + k), as msa.R builds houf_wide/narrow."""
    y, part, op = THERMAL
    means = {p: y[part == p].mean() for p in np.unique(part)}
    return y + k * (np.array([means[p] for p in part]) - y.mean()), part, op


def test_houf_berman_variance_components():
    # JASP verification project, "Type 2 & 3 Gauge r&R Study", Table 10.2 (JASP, by hand,
    # JMP, Minitab and R agree): Total Gage R&R 1.804, Repeatability 0.511, Reproducibility
    # 1.293, Operator 0.565, Part:Operator 0.728, Part-To-Part 48.293, Total 50.096
    g = gage_rr(*THERMAL)
    expected = {"total_gage_rr": 1.804, "repeatability": 0.511, "reproducibility": 1.293,
                "operator": 0.565, "operator_part": 0.728, "part_to_part": 48.293,
                "total": 50.096}
    for source, value in expected.items():
        assert g.variance[source] == pytest.approx(value, abs=5e-4), source
    assert not g.interaction_pooled
    assert "with interaction" in g.method


def test_houf_berman_percent_contribution():
    # same source, Table 10.3: 3.60, 1.02, 2.58, 1.13, 1.45, 96.40, 100
    g = gage_rr(*THERMAL)
    expected = {"total_gage_rr": 3.60, "repeatability": 1.02, "reproducibility": 2.58,
                "operator": 1.13, "operator_part": 1.45, "part_to_part": 96.40, "total": 100.0}
    for source, value in expected.items():
        assert g.percent_contribution[source] == pytest.approx(value, abs=5e-3), source


def test_houf_berman_anova_table():
    # Montgomery, Introduction to SQC, Example 8.7 ANOVA: SS part 3935.96 (9 df), operators
    # 39.27 (2), interaction 48.51 (18), error 30.67 (60), total 4054.40 (89); the interaction
    # is significant, so the full model is kept
    g = gage_rr(*THERMAL)
    ss = {row["source"]: row["ss"] for row in g.anova}
    df = {row["source"]: row["df"] for row in g.anova}
    assert ss["part"] == pytest.approx(3935.96, abs=5e-3)
    assert ss["operator"] == pytest.approx(39.27, abs=5e-3)
    assert ss["part*operator"] == pytest.approx(48.51, abs=5e-3)
    assert ss["repeatability"] == pytest.approx(30.67, abs=5e-3)
    assert ss["total"] == pytest.approx(4054.40, abs=5e-3)
    assert (df["part"], df["operator"], df["part*operator"], df["repeatability"]) == (9, 2, 18, 60)
    assert g.interaction_p < 0.05


def test_study_variation_tolerance_and_ndc():
    g = gage_rr(*THERMAL, tolerance=60)
    gage_sd = math.sqrt(g.variance["total_gage_rr"])
    assert g.study_variation["total_gage_rr"] == pytest.approx(6 * gage_sd)
    assert g.percent_study_variation["total_gage_rr"] == pytest.approx(
        100 * gage_sd / math.sqrt(g.variance["total"]))
    assert g.percent_tolerance["total_gage_rr"] == pytest.approx(100 * 6 * gage_sd / 60)
    # ndc = floor(sqrt(2) * sd_part / sd_gage) = floor(1.4142 * 6.949 / 1.343) = 7
    assert g.ndc == 7
    assert gage_rr(*THERMAL, study_var=5.15).study_variation["repeatability"] == pytest.approx(
        5.15 * math.sqrt(0.5111111), rel=1e-6)


def test_interaction_pooled_when_not_significant():
    # the pooled (reduced) model, checked against its expected-mean-square formulas
    g = gage_rr(*THERMAL, alpha_interaction=1e-9)
    assert g.interaction_pooled and "without interaction" in g.method
    full = {row["source"]: row for row in g.anova_full}
    ms_pool = (full["part*operator"]["ss"] + full["repeatability"]["ss"]) / (18 + 60)
    assert g.variance["repeatability"] == pytest.approx(ms_pool)
    assert g.variance["operator_part"] == 0
    assert g.variance["operator"] == pytest.approx((full["operator"]["ms"] - ms_pool) / 30)
    assert g.variance["part_to_part"] == pytest.approx((full["part"]["ms"] - ms_pool) / 9)
    used = {row["source"]: row for row in g.anova}
    assert "part*operator" not in used and used["repeatability"]["df"] == 78


def test_houf_berman_matches_r_to_machine_precision():
    # R: aov(y ~ part * operator), EMS formulas of the random model (msa.R, prefix houf)
    g = gage_rr(*THERMAL)
    assert g.interaction_p == pytest.approx(R["houf.interaction_p"], rel=1e-9)
    used = {row["source"]: row for row in g.anova}
    assert used["part"]["f"] == pytest.approx(R["houf.f_part"], rel=1e-9)
    assert used["part"]["p"] == pytest.approx(R["houf.p_part"], rel=1e-6)
    assert used["operator"]["p"] == pytest.approx(R["houf.p_operator"], rel=1e-9)
    for source in SOURCES:
        assert g.variance[source] == pytest.approx(R[f"houf.var.{source}"], rel=1e-9), source
        assert g.percent_study_variation[source] == pytest.approx(
            R[f"houf.pct_study_var.{source}"], rel=1e-9), source
    assert g.ndc == R["houf.ndc"] == 7


def test_additive_data_pool_the_interaction():
    # R (msa.R, prefix additive): the part:operator p-value is 0.148 > 0.05, so the reduced
    # model aov(y ~ part + operator) is the one used, with 48 error df
    g = gage_rr(*additive_study())
    assert g.interaction_p == pytest.approx(R["additive.interaction_p"], rel=1e-9)
    assert g.interaction_pooled and "without interaction" in g.method
    used = {row["source"]: row for row in g.anova}
    assert used["repeatability"]["df"] == R["additive.df_repeatability"] == 48
    assert used["part"]["f"] == pytest.approx(R["additive.f_part"], rel=1e-9)
    assert used["operator"]["p"] == pytest.approx(R["additive.p_operator"], rel=1e-9)
    for source in SOURCES:
        assert g.variance[source] == pytest.approx(R[f"additive.var.{source}"], rel=1e-9,
                                                   abs=1e-15), source
        assert g.percent_contribution[source] == pytest.approx(
            R[f"additive.pct_contribution.{source}"], rel=1e-9, abs=1e-12), source
    assert g.ndc == R["additive.ndc"]


def test_labels_may_be_strings_in_any_order():
    y, part, op = THERMAL
    order = np.random.default_rng(9).permutation(y.size)
    g = gage_rr(y[order], [f"P{p}" for p in part[order]], op[order])
    assert g.variance["part_to_part"] == pytest.approx(48.293, abs=5e-4)
    json.dumps(g.to_dict())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda y, p, o: (y[:-1], p[:-1], o[:-1]), "unbalanced"),
        (lambda y, p, o: (y[o != "op1"][:-3], p[o != "op1"][:-3], o[o != "op1"][:-3]),
         "unbalanced|never measured"),
        (lambda y, p, o: (np.where(np.arange(y.size) == 4, np.nan, y), p, o), "missing"),
        (lambda y, p, o: (y, p[:-1], o), "labels"),
        (lambda y, p, o: (np.full(y.size, 3.0), p, o), "all measurements are equal"),
        (lambda y, p, o: (y[::3], p[::3], o[::3]), "at least twice"),
        (lambda y, p, o: (y[o == "op1"], p[o == "op1"], o[o == "op1"]), "2 operators"),
    ],
)
def test_bad_input(mutate, message):
    with pytest.raises(StatsInputError, match=message):
        gage_rr(*mutate(*THERMAL))


def test_partly_missing_cell_is_unbalanced():
    y, part, op = THERMAL
    keep = ~((part == 1) & (op == "op2"))
    with pytest.raises(StatsInputError, match="never measured"):
        gage_rr(y[keep], part[keep], op[keep])


def test_bad_tolerance():
    with pytest.raises(StatsInputError, match="tolerance"):
        gage_rr(*THERMAL, tolerance=0)


def test_verdict_conditionally_acceptable_with_tolerance():
    # R: %study variation of total Gage R&R 18.97 (10-30: conditionally acceptable, AIAG),
    # ndc 7 (>= 5); %tolerance = 6 * sqrt(1.8037) / 60 * 100 = 13.43 (conditionally)
    g = gage_rr(*THERMAL, tolerance=60)
    assert g.acceptability == "conditionally acceptable"
    assert "conditionally acceptable" in g.verdict
    assert "19.0% of the study variation" in g.verdict
    assert "7 distinct categories" in g.verdict and "13.4% of the tolerance" in g.verdict
    ratings = {c["criterion"]: c["rating"] for c in g.criteria}
    assert ratings == {"percent_study_variation": "conditionally acceptable",
                       "ndc": "acceptable", "percent_tolerance": "conditionally acceptable"}
    d = g.to_dict()
    assert d["acceptability"] == "conditionally acceptable" and d["verdict"] == g.verdict
    json.dumps(d)


def test_verdict_acceptable_and_tolerance_can_downgrade():
    # R (houf_wide): %study variation 3.85 (< 10, acceptable), ndc 36
    y, part, op = spread_parts(4)
    g = gage_rr(y, part, op)
    assert g.percent_study_variation["total_gage_rr"] == pytest.approx(
        R["houf_wide.pct_study_var.total_gage_rr"], rel=1e-9)
    assert g.ndc == R["houf_wide.ndc"] == 36
    assert g.acceptability == "acceptable"
    assert g.verdict.startswith("The measurement system is acceptable")
    # the same gauge judged against a tolerance of 20: 6 * 1.343 / 20 = 40.3% of the
    # tolerance, over 30%: unacceptable for judging conformance, whatever %study variation
    g = gage_rr(y, part, op, tolerance=20)
    assert g.percent_tolerance["total_gage_rr"] == pytest.approx(
        600 * math.sqrt(R["houf_wide.var.total_gage_rr"]) / 20, rel=1e-9)
    assert g.acceptability == "unacceptable"
    assert "40.3% of the tolerance" in g.verdict


def test_verdict_unacceptable_names_distinct_categories():
    # R (houf_narrow): %study variation 95.2 (> 30), floor(sqrt(2) * sd_part / sd_grr) = 0;
    # Minitab reports at least 1 distinct category
    y, part, op = spread_parts(-0.9)
    g = gage_rr(y, part, op)
    assert g.percent_study_variation["total_gage_rr"] == pytest.approx(
        R["houf_narrow.pct_study_var.total_gage_rr"], rel=1e-9)
    assert R["houf_narrow.ndc"] == 0 and g.ndc == 1
    assert g.acceptability == "unacceptable"
    assert "1 distinct category (fewer than 5)" in g.verdict
    assert "95.2% of the study variation" in g.verdict


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("exponent", [-500, 500])
def test_extreme_but_representable_scales_give_the_same_study(exponent):
    # multiplying by a power of two is exact: ratios, F and p are those of R's study, and
    # variances scale by 2^(2 * exponent)
    y, part, op = THERMAL
    g = gage_rr(np.ldexp(y, exponent), part, op)
    assert g.percent_study_variation["total_gage_rr"] == pytest.approx(
        R["houf.pct_study_var.total_gage_rr"], rel=1e-9)
    assert g.interaction_p == pytest.approx(R["houf.interaction_p"], rel=1e-9)
    assert g.ndc == 7 and g.acceptability == "conditionally acceptable"
    assert np.ldexp(g.variance["total"], -2 * exponent) == pytest.approx(
        R["houf.var.total"], rel=1e-9)
    assert all(math.isfinite(row["ss"]) for row in g.anova)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize(("factor", "message"), [
    (1e300, "about 1e\\+301: their variance \\(about 1e\\+602\\) is beyond the floating-point "
            "range.*larger unit"),
    (3e306, "beyond the floating-point range"),  # even the mean of these overflows
    (1e-300, "about 1e-299: their variance \\(about 1e-598\\) is below the smallest "
             "floating-point number.*smaller unit"),
    (1e-320, "below the smallest floating-point number"),  # subnormal input
])
def test_variance_outside_float_range_raises_instead_of_nan(factor, message):
    # before: NaN variance components with significant=False; the variance of these data
    # (about 50 * factor^2) cannot be held in a float, so the user must change the unit
    y, part, op = THERMAL
    with pytest.raises(StatsInputError, match=message):
        gage_rr(y * factor, part, op)


def test_identical_replicates_are_refused():
    y, part, op = THERMAL
    cells = {(p, o): y[(part == p) & (op == o)][0] for p, o in zip(part, op, strict=True)}
    flat = np.array([cells[(p, o)] for p, o in zip(part, op, strict=True)])
    with pytest.raises(StatsInputError, match="repeatability is zero"):
        gage_rr(flat, part, op)
