"""Crossed Gage R&R against the Houf & Berman example (Montgomery Example 8.7)."""

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


def test_additive_data_pool_the_interaction():
    rng = np.random.default_rng(8)
    parts = np.repeat(np.arange(10), 6)
    ops = np.tile(np.repeat(["a", "b", "c"], 2), 10)
    y = parts * 1.0 + (ops == "b") * 0.2 + rng.normal(0, 0.1, 60)
    g = gage_rr(y, parts, ops)
    if g.interaction_p > 0.05:
        assert g.interaction_pooled


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
