"""Control charts against published reference values (source beside each number).

"qcc" values are R's qcc package output on its own data sets, as recorded in the test suite
of mistat (Kenett, Zacks & Gedeck, *Industrial Statistics: A Computer Based Approach with
Python*, 2022: mistat/qcc/tests/test_ComparisonWithR.py, e.g. ``qcc(diameter[1:25,],
type="xbar")``). Data files: luca-scr/qcc data/*.txt.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.constants import d2
from ciapp.stats.control import CHARTS, control_chart

# Values written by tests/stats/reference/control.R (R 4.2.2, base R; qcc's and qicharts2's
# formulas written out there with their sources). The tests only read them.
R = json.loads((Path(__file__).parent / "reference" / "control_values.json").read_text())

# qcc data/pistonrings.txt, samples 1-25 (trial), 5 diameters each (Montgomery ISQC)
PISTON = np.array([
    [74.030, 74.002, 74.019, 73.992, 74.008], [73.995, 73.992, 74.001, 74.011, 74.004],
    [73.988, 74.024, 74.021, 74.005, 74.002], [74.002, 73.996, 73.993, 74.015, 74.009],
    [73.992, 74.007, 74.015, 73.989, 74.014], [74.009, 73.994, 73.997, 73.985, 73.993],
    [73.995, 74.006, 73.994, 74.000, 74.005], [73.985, 74.003, 73.993, 74.015, 73.988],
    [74.008, 73.995, 74.009, 74.005, 74.004], [73.998, 74.000, 73.990, 74.007, 73.995],
    [73.994, 73.998, 73.994, 73.995, 73.990], [74.004, 74.000, 74.007, 74.000, 73.996],
    [73.983, 74.002, 73.998, 73.997, 74.012], [74.006, 73.967, 73.994, 74.000, 73.984],
    [74.012, 74.014, 73.998, 73.999, 74.007], [74.000, 73.984, 74.005, 73.998, 73.996],
    [73.994, 74.012, 73.986, 74.005, 74.007], [74.006, 74.010, 74.018, 74.003, 74.000],
    [73.984, 74.002, 74.003, 74.005, 73.997], [74.000, 74.010, 74.013, 74.020, 74.003],
    [73.988, 74.001, 74.009, 74.005, 73.996], [74.004, 73.999, 73.990, 74.006, 74.009],
    [74.010, 73.989, 73.990, 74.009, 74.014], [74.015, 74.008, 73.993, 74.000, 74.010],
    [73.982, 73.984, 73.995, 74.017, 74.013],
])
# qcc data/orangejuice.txt, samples 1-30 (trial), n = 50 (Montgomery ISQC p chart example)
ORANGE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
          20, 18, 24, 15, 9, 12, 7, 13, 9, 6]
# qcc data/circuit.txt, samples 1-26 (trial): nonconformities per 100 boards
CIRCUIT = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39,
           30, 24, 16, 19, 17, 15]
# qcc data/pcmanufact.txt: nonconformities in 20 samples of 5 computers
PCMANUFACT = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
# qcc ?qcc "xbar.one" examples: viscosity (Montgomery) and antifreeze (Wetherill & Brown)
VISCOSITY = [33.75, 33.05, 34, 33.81, 33.46, 34.02, 33.68, 33.27, 33.49, 33.20, 33.62, 33.00,
             33.54, 33.12, 33.84]
ANTIFREEZE = [2.23, 2.53, 2.62, 2.63, 2.58, 2.44, 2.49, 2.34, 2.95, 2.54, 2.60, 2.45, 2.17,
              2.58, 2.57, 2.44, 2.38, 2.23, 2.23, 2.54, 2.66, 2.84, 2.81, 2.39, 2.56, 2.70,
              3.00, 2.81, 2.77, 2.89, 2.54, 2.98, 2.35, 2.53]
# NIST/SEMATECH e-Handbook 6.3.2.4 (pmc324.htm), EWMA example data
NIST_EWMA = [52.0, 47.0, 53.0, 49.3, 50.1, 47.0, 51.0, 50.1, 51.2, 50.5, 49.6, 47.6, 49.9,
             51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]


def test_xbar_piston_rings_matches_qcc() -> None:
    chart = control_chart("xbar", PISTON)
    # qcc(diameter[1:25,], type="xbar"): center 74.00118, std.dev 0.009785039,
    # limits 73.98805 74.0143
    assert chart.center[0] == pytest.approx(74.00118, abs=5e-6)
    # qcc divides by the tabled d2(5) = 2.326; the exact d2(5) = 2.32593 differs by 3e-5
    assert chart.sigma == pytest.approx(0.009785039, rel=5e-5)
    assert chart.lcl[0] == pytest.approx(73.98805, abs=5e-6)
    assert chart.ucl[0] == pytest.approx(74.0143, abs=5e-5)
    assert chart.signals == []
    assert chart.sigma_method.startswith("Rbar / d2(n)")


def test_xbar_two_sigma_limits_flag_qcc_points() -> None:
    # qcc(..., type="xbar", nsigmas=2): limits 73.99242 74.00993; beyond: UCL [1], LCL [14]
    chart = control_chart("xbar", PISTON, nsigmas=2, rules="rule1")
    assert chart.lcl[0] == pytest.approx(73.99242, abs=5e-6)
    assert chart.ucl[0] == pytest.approx(74.00993, abs=5e-6)
    assert chart.violations == {1: [0, 13]}


def test_r_chart_piston_rings_matches_qcc() -> None:
    # qcc(diameter[1:25,], type="R"): center 0.02276, limits 0 0.04812533 (qcc's d3 differs
    # from the exact value in the 5th digit, hence the tolerance)
    chart = control_chart("r", PISTON)
    assert chart.center[0] == pytest.approx(0.02276, rel=1e-9)
    assert chart.lcl[0] == 0.0
    assert chart.ucl[0] == pytest.approx(0.04812533, rel=2e-5)
    assert chart.rules == (1,) and chart.notes  # Minitab's default: rule 1 only


def test_s_chart_piston_rings_matches_qcc() -> None:
    # qcc(diameter[1:25,], type="S"): center 0.009240037, std.dev 0.009829977,
    # limits 0 0.019302416
    chart = control_chart("s", PISTON)
    assert chart.center[0] == pytest.approx(0.009240037, rel=1e-7)
    assert chart.sigma == pytest.approx(0.009829977, rel=1e-7)
    assert chart.ucl[0] == pytest.approx(0.019302416, rel=1e-7)
    assert chart.lcl[0] == 0.0


def test_p_chart_orange_juice_matches_qcc() -> None:
    # qcc(D[trial], sizes=size[trial], type="p"): center 0.2313333, std.dev 0.421685,
    # limits 0.05242755 0.4102391; beyond UCL: samples 15 and 23
    chart = control_chart("p", ORANGE, 50)
    assert chart.center[0] == pytest.approx(0.2313333, abs=5e-8)
    assert chart.sigma == pytest.approx(0.421685, abs=5e-7)
    assert chart.lcl[0] == pytest.approx(0.05242755, abs=5e-9)
    assert chart.ucl[0] == pytest.approx(0.4102391, abs=5e-8)
    assert chart.violations[1] == [14, 22]


def test_p_chart_excluding_assignable_causes_matches_qcc() -> None:
    # qcc on the trial samples less 15 and 23: center 0.215, limits 0.04070284 0.3892972,
    # and sample 21 is then beyond the UCL
    chart = control_chart("p", ORANGE, [50] * 30,
                          exclude={14: "new batch of cardboard", 22: "new operator"})
    assert chart.center[0] == pytest.approx(0.215, abs=1e-12)
    assert chart.lcl[0] == pytest.approx(0.04070284, abs=5e-9)
    assert chart.ucl[0] == pytest.approx(0.3892972, abs=5e-8)
    assert chart.violations[1] == [14, 20, 22]
    assert chart.excluded == {14: "new batch of cardboard", 22: "new operator"}


def test_c_chart_circuit_boards() -> None:
    # Montgomery ISQC c chart (qcc circuit, trial samples): cbar = 516/26 = 19.84615,
    # limits 6.481447 33.21086; samples 6 and 20 beyond the limits
    chart = control_chart("c", CIRCUIT)
    assert chart.center[0] == pytest.approx(19.84615, abs=5e-6)
    assert chart.lcl[0] == pytest.approx(6.481447, abs=5e-7)
    assert chart.ucl[0] == pytest.approx(33.21086, abs=5e-6)
    assert chart.violations[1] == [5, 19]


def test_u_chart_pcmanufact_matches_montgomery_and_r() -> None:
    chart = control_chart("u", PCMANUFACT, 5)
    # Montgomery ISQC (personal computers, 20 samples of 5): ubar 1.93, UCL 3.79, LCL 0.07
    assert (round(chart.center[0], 2), round(chart.ucl[0], 2), round(chart.lcl[0], 2)) == \
        (1.93, 3.79, 0.07)
    ref = R["u_pcmanufact"]  # control.R, qcc's limits.u in base R
    assert chart.ucl[0] == pytest.approx(ref["ucl"], rel=1e-14)
    assert chart.lcl[0] == pytest.approx(ref["lcl"], rel=1e-13)
    assert chart.signals == []


def test_u_chart_unequal_fractional_sizes_match_r() -> None:
    ref = R["u_unequal"]  # control.R: areas of opportunity 9.5, 10.5, 12.5 ... (fractional)
    chart = control_chart("u", ref["counts"], ref["sizes"])
    assert chart.center[0] == pytest.approx(ref["center"], rel=1e-14)
    assert np.allclose(chart.ucl, ref["ucl"], rtol=1e-13, atol=0)
    assert np.allclose(chart.lcl, ref["lcl"], rtol=1e-13, atol=0)


def test_u_chart_with_astronomical_sizes_is_refused_not_all_flagged() -> None:
    # sizes near 1e300 used to underflow sigma to 0 and flag every point
    with pytest.raises(StatsInputError, match="sizes: values beyond 1e\\+100"):
        control_chart("u", [3, 5, 4, 6, 2], [1e300] * 5)


def test_p_chart_refuses_fractional_defectives() -> None:
    with pytest.raises(StatsInputError, match="point 2: counts must be whole numbers"):
        control_chart("p", [1, 1.5, 3], 10)
    with pytest.raises(StatsInputError, match="sample sizes must be whole numbers"):
        control_chart("np", [1, 1, 3], [10, 10.5, 10])


@pytest.mark.parametrize(("data", "center", "sd", "lcl", "ucl"), [
    # qcc(x, type="xbar.one"): viscosity and antifreeze
    (VISCOSITY, 33.52333, 0.4261651, 32.24484, 34.80183),
    (ANTIFREEZE, 2.569706, 0.1794541, 2.031344, 3.108068),
])
def test_individuals_match_qcc(data, center, sd, lcl, ucl) -> None:
    chart = control_chart("i", data)
    # qcc divides MRbar by the tabled d2(2) = 1.128; ours is exact, 2/sqrt(pi) = 1.128379
    rescale = 1.128 / d2(2)
    assert chart.center[0] == pytest.approx(center, abs=5e-6)
    assert chart.sigma == pytest.approx(sd * rescale, rel=2e-7)
    assert chart.lcl[0] == pytest.approx(center - (center - lcl) * rescale, abs=1e-5)
    assert chart.ucl[0] == pytest.approx(center + (ucl - center) * rescale, abs=1e-5)
    assert chart.sigma_method == "mean moving range / d2(2)"
    assert np.allclose(chart.ucl - chart.center, chart.center - chart.lcl)


def test_mr_chart_limits() -> None:
    chart = control_chart("mr", ANTIFREEZE)
    mrbar = np.mean(np.abs(np.diff(ANTIFREEZE)))
    assert np.isnan(chart.statistics[0])
    assert chart.center[1] == pytest.approx(mrbar)
    assert chart.ucl[1] == pytest.approx(3.267 * mrbar, rel=2e-4)  # D4(2) = 3.267 (table)
    assert chart.lcl[1] == 0.0


def test_ewma_nist_example() -> None:
    # NIST/SEMATECH e-Handbook 6.3.2.4: lambda 0.3, target 50, s 2.0539; EWMA values to
    # 2 decimals; steady-state limits 52.5884 / 47.4115; no point out of control
    chart = control_chart("ewma", NIST_EWMA, center=50, sigma=2.0539, lam=0.3)
    published = [50.60, 49.52, 50.56, 50.18, 50.16, 49.21, 49.75, 49.85, 50.26, 50.33,
                 50.11, 49.36, 49.52, 50.05, 49.38, 49.92, 50.73, 51.23, 51.94, 51.99]
    assert np.round(chart.smoothed, 2).tolist() == published
    assert chart.ucl[-1] == pytest.approx(52.5884, abs=1e-3)  # page uses 0.4201 rounded
    assert chart.lcl[-1] == pytest.approx(47.4115, abs=1e-3)
    assert chart.violations == {1: []}


def test_ewma_exact_time_varying_limits() -> None:
    lam, sigma = 0.2, 2.0
    chart = control_chart("ewma", NIST_EWMA, center=50, sigma=sigma)
    i = np.arange(1, len(NIST_EWMA) + 1)
    half = 3 * sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i)))
    assert np.allclose(chart.ucl - 50, half) and np.allclose(50 - chart.lcl, half)
    assert chart.params["lam"] == 0.2 and chart.params["L"] == 3


def test_cusum_montgomery_example() -> None:
    ref = R["cusum_montgomery"]  # Montgomery ISQC 6th ed. Example 9.1: mu0 10, sigma 1, k 0.5
    chart = control_chart("cusum", ref["data"], center=10, sigma=1, h=5)
    # the book's Table 9.2: C+ at period 29 is 5.28, the first beyond H = 5
    assert round(chart.upper[28], 2) == 5.28
    assert chart.violations == {1: [28, 29]} == {1: ref["beyond"]}
    assert np.allclose(chart.upper, ref["upper"], atol=1e-12)
    assert np.allclose(chart.lower, ref["lower"], atol=1e-12)


def test_cusum_nist_data_matches_r_recursion() -> None:
    ref = R["cusum_nist"]  # control.R: the tabular recursion in base R, k 0.5, h 4
    chart = control_chart("cusum", NIST_EWMA, center=50, sigma=2.0539)
    assert np.allclose(chart.upper, ref["upper"], atol=1e-12)
    assert np.allclose(chart.lower, ref["lower"], atol=1e-12)
    assert chart.ucl[0] == pytest.approx(4 * 2.0539)
    assert chart.violations == {1: ref["beyond"]} == {1: []}


def test_cusum_h5_and_shift_detected() -> None:
    x = [0.0] * 10 + [1.5] * 10
    chart = control_chart("cusum", x, center=0, sigma=1, h=5)
    first = chart.violations[1][0]
    assert first == 15  # sums grow by 1.5 - 0.5 = 1 a point: above h = 5 at the 6th
    assert chart.params == {"k": 0.5, "h": 5.0}


def test_xbar_unequal_sizes_weighted_rbar() -> None:
    # qcc pistonrings less observations 9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100
    # (1-based): center 74.00075 (qcc, ?qcc example "variable control limits")
    flat = PISTON.ravel().tolist()
    out = {9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100}
    groups = [[flat[j] for j in range(5 * g, 5 * g + 5) if j + 1 not in out] for g in range(25)]
    chart = control_chart("xbar", groups)
    assert chart.center[0] == pytest.approx(74.00075, abs=5e-6)
    ref = R["xbar_unequal"]  # control.R: qcc's sd.xbar "UWAVE-R", d2/d3 from the range density
    assert [len(g) for g in groups] == ref["sizes"]
    assert chart.center[0] == pytest.approx(ref["center"], rel=1e-14)
    assert chart.sigma == pytest.approx(ref["sigma_rbar"], rel=1e-9)
    assert np.allclose(chart.ucl, ref["ucl"], rtol=1e-12, atol=0)
    assert np.allclose(chart.lcl, ref["lcl"], rtol=1e-12, atol=0)


def test_unequal_sizes_sbar_and_pooled_sigma_match_r() -> None:
    flat = PISTON.ravel().tolist()
    out = {9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100}
    groups = [[flat[j] for j in range(5 * g, 5 * g + 5) if j + 1 not in out] for g in range(25)]
    ref = R["xbar_unequal"]  # qcc's sd.xbar "UWAVE-SD" and "RMSDF" (with c4), in base R
    sbar = control_chart("xbar", groups, sigma_method="sbar").sigma
    assert sbar == pytest.approx(ref["sigma_sbar"], rel=1e-12)
    assert control_chart("xbar", groups, sigma_method="pooled").sigma == \
        pytest.approx(ref["sigma_pooled"], rel=1e-12)
    s_chart = control_chart("s", groups)  # unequal sizes: pooled by default
    assert s_chart.sigma == pytest.approx(ref["sigma_pooled"], rel=1e-12)
    assert np.allclose(s_chart.center, R["s_unequal"]["center"], rtol=1e-12, atol=0)
    assert np.allclose(s_chart.ucl, R["s_unequal"]["ucl"], rtol=1e-12, atol=0)
    assert np.all(s_chart.lcl == 0.0)


def test_p_chart_unequal_sizes_limits_per_point() -> None:
    ref = R["p_unequal"]  # control.R: qcc's limits.p and limits.np in base R
    chart = control_chart("p", ref["defectives"], ref["sizes"])
    assert np.allclose(chart.center, ref["center"], rtol=1e-14, atol=0)
    assert np.allclose(chart.ucl, ref["ucl"], rtol=1e-13, atol=0)
    assert np.allclose(chart.lcl, ref["lcl"], rtol=1e-13, atol=1e-15)
    np_chart = control_chart("np", ref["defectives"], ref["sizes"])
    assert np.allclose(np_chart.center, ref["np_center"], rtol=1e-14, atol=0)
    assert np.allclose(np_chart.ucl, ref["np_ucl"], rtol=1e-13, atol=0)


def test_laney_charts_match_r() -> None:
    ref = R["laney"]  # control.R: Laney (2002) as qicharts2's qic.pp / qic.up, in base R
    chart = control_chart("laney_p", ref["counts"], ref["sizes"])
    assert chart.center[0] == pytest.approx(ref["p_center"], rel=1e-14)
    assert chart.sigma == pytest.approx(ref["p_sigma_z"], rel=1e-12)
    assert np.allclose(chart.ucl, ref["p_ucl"], rtol=1e-13, atol=0)
    assert np.allclose(chart.lcl, ref["p_lcl"], rtol=1e-13, atol=0)
    u = control_chart("laney_u", ref["counts"], ref["sizes"])
    assert u.sigma == pytest.approx(ref["u_sigma_z"], rel=1e-12)
    assert np.allclose(u.ucl, ref["u_ucl"], rtol=1e-13, atol=0)


def test_g_chart_minitab_probability_limits() -> None:
    ref = R["g_chart"]  # control.R: Minitab's interpolated quantiles from R's pgeom
    chart = control_chart("g", ref["data"])
    assert chart.center[0] == pytest.approx(ref["center"], rel=1e-12)
    assert chart.ucl[0] == pytest.approx(ref["ucl"], rel=1e-12)
    assert chart.lcl[0] == ref["lcl"] == 0.0
    assert chart.sigma == pytest.approx(ref["sigma"], rel=1e-14)


def test_i_chart_moving_range_skips_a_missing_value() -> None:
    ref = R["i_missing"]  # control.R: qicharts2's qic.i, mean(abs(diff(y)), na.rm = TRUE)
    data = [np.nan if v is None else v for v in ref["data"]]
    chart = control_chart("i", data)
    assert chart.sigma == pytest.approx(ref["sigma"], rel=1e-13)
    assert chart.params["mean_mr"] == pytest.approx(ref["mean_mr"], rel=1e-14)
    assert chart.center[0] == pytest.approx(ref["center"], rel=1e-14)
    mr = control_chart("mr", data)
    assert np.isnan(mr.statistics[2])  # 2 -> 10 spans the gap: not a moving range
    assert mr.statistics[1] == 1.0 and mr.index[2] == 3
    from ciapp.stats import capability
    assert capability(data, lsl=0, usl=20).sigma_within == chart.sigma


def test_t_chart_methods_say_which() -> None:
    data = [10.0, 30, 5, 60, 22, 14, 3, 45, 28, 9]
    weib = control_chart("t", data)
    assert "Weibull" in weib.sigma_method and weib.params["method"] == "weibull"
    from scipy import stats
    shape, _, scale = stats.weibull_min.fit(data, floc=0)
    assert weib.params["shape"] == pytest.approx(shape, rel=1e-4)
    assert weib.params["scale"] == pytest.approx(scale, rel=1e-4)
    assert weib.center[0] == pytest.approx(scale * np.log(2) ** (1 / shape), rel=1e-4)
    expo = control_chart("t", data, method="exponential")
    assert expo.ucl[0] == pytest.approx(-np.mean(data) * np.log(0.00134989803163), rel=1e-6)
    tr = control_chart("t", data, method="transform")
    y = np.array(data) ** (1 / 3.6)
    sig = np.mean(np.abs(np.diff(y))) / d2(2)
    assert tr.ucl[0] == pytest.approx((y.mean() + 3 * sig) ** 3.6)
    assert "x^(1/3.6)" in tr.sigma_method


def test_stages_get_their_own_limits() -> None:
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(10, 1, 30), rng.normal(8, 0.5, 30)])
    labels = ["before"] * 30 + ["after"] * 30
    chart = control_chart("i", x, stages=labels)
    assert chart.center[0] == pytest.approx(x[:30].mean())
    assert chart.center[-1] == pytest.approx(x[30:].mean())
    assert [s["label"] for s in chart.stage_limits] == ["before", "after"]
    assert chart.sigma == chart.stage_limits[-1]["sigma"]


def test_limits_from_stage_judges_later_stages() -> None:
    x = [10.0, 11, 9, 10.5, 9.5, 10, 10.2, 9.8] + [13.0] * 9
    labels = ["baseline"] * 8 + ["sustain"] * 9
    chart = control_chart("i", x, stages=labels, limits_from="baseline")
    assert np.allclose(chart.center, np.mean(x[:8]))
    assert chart.stage_limits[1]["limits"] == "inherited"
    assert chart.violations[1] == list(range(8, 17))  # 13 is beyond the baseline UCL 12.51
    assert chart.violations[2] == [16]  # 9 in a row above, counted within the stage


def test_limits_from_slice_and_mask() -> None:
    x = np.r_[np.tile([10.0, 11.0], 10), np.full(5, 20.0)]
    by_slice = control_chart("i", x, limits_from=slice(0, 20))
    mask = np.arange(25) < 20
    by_mask = control_chart("i", x, limits_from=mask)
    assert by_slice.center[0] == pytest.approx(10.5) == by_mask.center[0]
    assert by_slice.violations[1] == [20, 21, 22, 23, 24]
    assert by_slice.limits_from == "points 0:20"


def test_center_and_sigma_from_a_control_card() -> None:
    chart = control_chart("xbar", PISTON, center=74.0, sigma=0.01)
    assert chart.center[0] == 74.0
    assert chart.ucl[0] == pytest.approx(74.0 + 3 * 0.01 / np.sqrt(5))
    assert chart.sigma_method == "given"
    flat = control_chart("i", [5.0, 5.0, 5.0], center=5.0, sigma=0.1)  # no data sigma needed
    assert flat.ucl[0] == pytest.approx(5.3)
    p = control_chart("p", [0, 0, 0], 50, center=0.02)
    assert p.ucl[0] == pytest.approx(0.02 + 3 * np.sqrt(0.02 * 0.98 / 50))


def test_missing_values_are_dropped_and_reported() -> None:
    x = [10.0, None, 11.0, np.nan, 9.0, 10.5, 20.0]
    chart = control_chart("i", x, exclude={6: "typo"})
    assert chart.missing == (1, 3)
    assert chart.index.tolist() == [0, 2, 4, 5, 6]
    assert chart.center[0] == pytest.approx(np.mean([10, 11, 9, 10.5]))
    assert chart.violations[1] == [6]


def test_result_is_frozen_readonly_and_json() -> None:
    chart = control_chart("cusum", NIST_EWMA)
    with pytest.raises(ValueError):
        chart.statistics[0] = 1.0
    with pytest.raises(AttributeError):
        chart.kind = "i"  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        chart.violations[1].append(3)  # deeply read-only: lists and dicts inside too
    with pytest.raises(TypeError, match="read-only"):
        chart.violations[2] = [0]
    with pytest.raises(TypeError, match="read-only"):
        chart.stage_limits[0]["center"] = 0.0
    assert chart.violations == {1: list(chart.violations[1])}  # still equal to plain lists
    payload = json.loads(json.dumps(control_chart("mr", NIST_EWMA).to_dict(), allow_nan=False))
    assert payload["statistics"][0] is None and payload["kind"] == "mr"


def test_charts_neither_write_into_nor_share_the_callers_array() -> None:
    data = np.array(NIST_EWMA, dtype=float)
    before = data.copy()
    charts = [control_chart(kind, data) for kind in ("i", "mr", "ewma", "cusum")]
    assert np.array_equal(data, before)
    kept = [c.to_dict() for c in charts]
    data[:] = 0.0  # the caller reuses its buffer: the charts keep what they computed
    assert [c.to_dict() for c in charts] == kept
    for chart in charts:
        for name in ("statistics", "center", "lcl", "ucl", "sigma_of_point", "values"):
            arr = getattr(chart, name)
            assert arr is None or not np.shares_memory(arr, data), (chart.kind, name)


def test_registry_is_explicit() -> None:
    assert set(CHARTS) == {"i", "mr", "xbar", "r", "s", "p", "np", "c", "u", "laney_p",
                           "laney_u", "ewma", "cusum", "g", "t"}


@pytest.mark.parametrize(("call", "match"), [
    (lambda: control_chart("imr", [1, 2, 3]), "unknown chart kind"),
    (lambda: control_chart("i", [1.0]), "at least 2"),
    (lambda: control_chart("i", [1.0, np.inf, 2.0]), "infinite"),
    (lambda: control_chart("i", [3.0, 3.0, 3.0]), "sigma is 0"),
    (lambda: control_chart("r", [[1.0, 2.0], [3.0]]), "subgroup 2 has 1 value"),
    (lambda: control_chart("s", np.ones((4, 1))), "subgroup 1 has 1"),
    (lambda: control_chart("xbar", [1.0, 2.0, 3.0]), "needs subgroups"),
    (lambda: control_chart("p", [1, 2, 3]), "sizes"),
    (lambda: control_chart("p", [1, 60, 3], 50), "more defectives"),
    (lambda: control_chart("c", [1, -2, 3]), "negative"),
    (lambda: control_chart("u", [1, 2, 3], [5, 5]), "3 counts"),
    (lambda: control_chart("p", [0, 0, 0], 50), "p-bar is 0"),
    (lambda: control_chart("i", [1.0, 2, 3], stages=["a", "b"]), "2 labels for 3"),
    (lambda: control_chart("i", [1.0, 2, 3], limits_from="zzz"), "limits_from"),
    (lambda: control_chart("i", [1.0, 2, 3], lam=0.3), "unknown option"),
    (lambda: control_chart("p", [1, 2, 3], 50, sigma=0.1), "sigma cannot be given"),
    (lambda: control_chart("xbar", PISTON, sigma_method="mad"), "sigma_method"),
    (lambda: control_chart("ewma", [1.0, 2, 3], lam=1.5), "lam"),
    (lambda: control_chart("t", [1.0, 0.0, 3]), "positive"),
    (lambda: control_chart("g", [1.0, -1.0, 3]), "negative"),
    (lambda: control_chart("i", [1.0, 2, 3], exclude={7: "x"}), "outside"),
    (lambda: control_chart("i", [1.0, 2, 3], nsigmas=0), "nsigmas"),
])
def test_bad_input_raises_naming_the_problem(call, match) -> None:
    with pytest.raises(StatsInputError, match=match):
        call()
