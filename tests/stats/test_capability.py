"""Capability against qcc's published pistonrings output, plus identities and edge cases."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import StatsInputError, capability


def load(name: str) -> np.ndarray:
    """Numbers of a data file in tests/stats/data, '#' lines being its source note."""
    lines = (Path(__file__).parent / "data" / name).read_text().splitlines()
    return np.array([float(v) for line in lines if not line.startswith("#") for v in line.split()])


PISTONRINGS_TRIAL = load("pistonrings_trial.txt").reshape(25, 5)

# qcc uses the table value d2(5) = 2.326; ciapp computes d2(5) = 2.32593 exactly, so sigma and
# the indices differ from qcc's in the 5th significant digit. qcc prints 4 significant digits,
# so each value is checked to half a unit in its last printed place plus that difference.
QCC3 = {"abs": 5e-4 + 2e-4}  # values printed with 3 decimals
QCC4 = {"abs": 5e-5 + 1e-4}  # values printed with 4 decimals


def test_pistonrings_against_qcc():
    # R: q <- qcc(diameter[1:25,], type="xbar")            -> StdDev = 0.009785039
    #    process.capability(q, spec.limits=c(73.95, 74.05))
    #    Cp 1.703 [1.491, 1.915]; Cp_l 1.743; Cp_u 1.663; Cp_k 1.663 [1.448, 1.878]
    # (the same output is asserted in mistat's tests, mistat/qcc/tests/test_processCapability.py)
    c = capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05)
    assert c.n == 125
    assert c.mean == pytest.approx(74.00118, abs=5e-6)
    assert c.sigma_within == pytest.approx(0.009785039, rel=5e-5)
    assert c.sigma_within_method == "Rbar / d2(5)"
    assert c.cp == pytest.approx(1.703, **QCC3)
    assert c.cpl == pytest.approx(1.743, **QCC3)
    assert c.cpu == pytest.approx(1.663, **QCC3)
    assert c.cpk == pytest.approx(1.663, **QCC3)
    assert c.ci["cp"] == pytest.approx((1.491, 1.915), **QCC3)
    assert c.ci["cpk"] == pytest.approx((1.448, 1.878), **QCC3)
    assert c.ppm_within["total"] < 1  # qcc: Exp<LSL 0%, Exp>USL 0%
    assert c.ppm_observed["total"] == 0  # qcc: Obs<LSL 0%, Obs>USL 0%


def test_pistonrings_tight_specs_against_qcc():
    # R: process.capability(q, spec.limits=c(73.99, 74.01))
    #    Cp 0.3407 [0.2983, 0.3830]; Cp_l 0.3807; Cp_u 0.3006; Cp_k 0.3006 [0.2312, 0.3700]
    #    Exp<LSL 13%, Exp>USL 18%, Obs<LSL 12%, Obs>USL 16%
    c = capability(PISTONRINGS_TRIAL, lsl=73.99, usl=74.01)
    assert c.cp == pytest.approx(0.3407, **QCC4)
    assert c.cpl == pytest.approx(0.3807, **QCC4)
    assert c.cpu == pytest.approx(0.3006, **QCC4)
    assert c.ci["cp"] == pytest.approx((0.2983, 0.3830), **QCC4)
    assert c.ci["cpk"] == pytest.approx((0.2312, 0.3700), **QCC4)
    assert c.ppm_within["below_lsl"] / 1e4 == pytest.approx(13, abs=0.5)
    assert c.ppm_within["above_usl"] / 1e4 == pytest.approx(18, abs=0.5)
    assert c.ppm_observed["below_lsl"] / 1e4 == pytest.approx(12, abs=0.5)
    assert c.ppm_observed["above_usl"] / 1e4 == pytest.approx(16, abs=0.5)


def test_flat_data_with_subgroup_size_equals_2d():
    flat = capability(PISTONRINGS_TRIAL.ravel(), lsl=73.95, usl=74.05, subgroup_size=5)
    table = capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05)
    assert flat.sigma_within == table.sigma_within
    assert flat.cpk == table.cpk


def test_overall_indices_use_sample_sd():
    x = PISTONRINGS_TRIAL.ravel()
    c = capability(x, lsl=73.95, usl=74.05)
    s = np.std(x, ddof=1)
    assert c.sigma_overall == pytest.approx(s)
    assert c.pp == pytest.approx(0.1 / (6 * s))
    assert c.ppk == pytest.approx(min(74.05 - x.mean(), x.mean() - 73.95) / (3 * s))
    # chi-square interval for Pp with n - 1 df, as for Cp
    from scipy import stats

    lo = c.pp * math.sqrt(stats.chi2.ppf(0.025, 124) / 124)
    assert c.ci["pp"][0] == pytest.approx(lo)


def test_individuals_sigma_is_mean_moving_range_over_d2():
    x = np.array([10.0, 12.0, 11.0, 15.0, 13.0, 12.0, 14.0, 11.0])
    c = capability(x, lsl=5, usl=20)
    assert c.sigma_within == pytest.approx(np.mean(np.abs(np.diff(x))) / 1.128379167095513)
    assert c.sigma_within_method == "mean moving range / d2(2)"


def test_missing_values_dropped_and_counted_moving_range_skips_gap():
    x = [10.0, 12.0, None, 11.0, 15.0, float("nan"), 13.0, 12.0, 14.0]
    c = capability(x, lsl=5, usl=20)
    assert c.n == 7 and c.n_missing == 2
    # moving ranges: |12-10|, |15-11|, |12-13|, |14-12| (none across a gap)
    assert c.sigma_within == pytest.approx(np.mean([2, 4, 1, 2]) / 1.128379167095513)


def test_sigma_within_from_control_chart():
    c = capability(PISTONRINGS_TRIAL.ravel(), lsl=73.95, usl=74.05, sigma_within=0.01)
    assert c.cp == pytest.approx(0.1 / 0.06)
    assert "given" in c.sigma_within_method


def test_capability_consumes_a_control_chart():
    from ciapp.stats import control_chart

    chart = control_chart("xbar", PISTONRINGS_TRIAL)
    c = capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05, chart=chart)
    assert c.sigma_within == pytest.approx(chart.sigma)
    assert c.sigma_within_method.startswith("from the xbar chart")
    unstable = any(chart.violations.values())
    assert any("unstable" in w for w in c.warnings) == unstable
    forced = capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05, chart=chart, stable=False)
    assert any("unstable" in w for w in forced.warnings)
    with pytest.raises(StatsInputError, match="not both"):
        capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05, chart=chart, sigma_within=0.01)
    with pytest.raises(StatsInputError, match="chart"):
        capability([1.0, 2.0, 3.0], usl=5, chart=control_chart("c", [1, 2, 3, 2, 1]))


def test_one_sided_upper_spec():
    x = PISTONRINGS_TRIAL.ravel()
    c = capability(x, usl=74.02)
    assert math.isnan(c.cp) and math.isnan(c.cpl) and math.isnan(c.pp)
    assert c.cpk == c.cpu
    assert c.ppm_within["below_lsl"] == 0
    # with one limit, Z.bench is exactly 3 * Cpk (and 3 * Ppk overall)
    assert c.z_bench_within == pytest.approx(3 * c.cpk)
    assert c.z_bench_overall == pytest.approx(3 * c.ppk)
    assert math.isnan(c.ci["cp"][0])
    assert c.to_dict()["cp"] is None


def test_one_sided_lower_spec():
    c = capability(PISTONRINGS_TRIAL.ravel(), lsl=73.98)
    assert c.cpk == c.cpl and c.ppm_within["above_usl"] == 0


def test_z_bench_two_sided_matches_total_fraction():
    from scipy import stats

    c = capability(PISTONRINGS_TRIAL, lsl=73.99, usl=74.01)
    p = c.ppm_overall["total"] / 1e6
    assert c.z_bench_overall == pytest.approx(stats.norm.isf(p))


def test_cpm_minitab_definition():
    x = PISTONRINGS_TRIAL.ravel()
    t = 74.0
    c = capability(x, lsl=73.95, usl=74.05, target=t)
    n = x.size
    tau = math.sqrt(x.var(ddof=1) + n / (n - 1) * (x.mean() - t) ** 2)
    assert c.cpm == pytest.approx(0.1 / (6 * tau))
    off = capability(x, lsl=73.95, usl=74.05, target=74.02)
    assert off.cpm < c.cpm
    assert math.isnan(capability(x, lsl=73.95, usl=74.05).cpm)


def test_normality_uses_anderson_darling():
    from statsmodels.stats.diagnostic import normal_ad

    x = PISTONRINGS_TRIAL.ravel()
    c = capability(x, lsl=73.95, usl=74.05)
    # cross-check with statsmodels' independent implementation of the same formulas
    a2, p = normal_ad(x)
    assert c.normality.statistic == pytest.approx(a2, rel=1e-10)
    assert c.normality.p_value == pytest.approx(p, rel=1e-10)


def test_non_normal_data_warns_and_boxcox_fixes_it():
    rng = np.random.default_rng(1)
    x = rng.lognormal(mean=1.0, sigma=0.5, size=400)
    plain = capability(x, usl=15)
    assert any("not look normal" in w for w in plain.warnings)
    bc = capability(x, usl=15, transform="boxcox")
    assert abs(bc.boxcox_lambda) < 0.2  # lognormal: lambda near 0
    assert not any("not look normal" in w for w in bc.warnings)
    assert bc.usl == 15 and bc.transformed_specs[1] == pytest.approx(
        (15**bc.boxcox_lambda - 1) / bc.boxcox_lambda)


def test_boxcox_equals_normal_analysis_of_transformed_data():
    from scipy import stats

    rng = np.random.default_rng(2)
    x = rng.gamma(3.0, 2.0, size=200)
    bc = capability(x, lsl=0.5, usl=20, transform="boxcox")
    y, lam = stats.boxcox(x)  # second, independent call: lambda by maximum likelihood
    assert bc.boxcox_lambda == pytest.approx(lam, rel=1e-6)
    tl, tu = stats.boxcox([0.5, 20.0], lam)
    manual = capability(y, lsl=tl, usl=tu)
    for name in ("cp", "cpk", "pp", "ppk", "sigma_within"):
        assert getattr(bc, name) == pytest.approx(getattr(manual, name), rel=1e-6)


def test_boxcox_rejects_non_positive_data():
    with pytest.raises(StatsInputError, match="positive"):
        capability([1.0, 2.0, 0.0, 3.0], usl=5, transform="boxcox")


def test_percentile_method():
    rng = np.random.default_rng(3)
    x = rng.normal(10, 1, size=200_000)
    pc = capability(x, lsl=6, usl=14, transform="percentile")
    normal = capability(x, lsl=6, usl=14)
    # on normal data the percentile spread is close to 6 sigma
    assert pc.pp == pytest.approx(normal.pp, rel=0.03)
    assert pc.ppk == pytest.approx(normal.ppk, rel=0.03)
    assert math.isnan(pc.cp)
    lo, med, hi = np.quantile(x, [0.00135, 0.5, 0.99865])
    assert pc.ppu == pytest.approx((14 - med) / (hi - med))
    small = capability(x[:50], lsl=6, usl=14, transform="percentile")
    assert any("percentile method" in w for w in small.warnings)


def test_warnings_few_points_and_unstable():
    x = [10.0, 10.5, 9.8, 10.2, 10.1, 9.9]
    c = capability(x, lsl=9, usl=11, stable=False)
    text = " ".join(c.warnings)
    assert "only 6 points" in text and "unstable" in text and "too few points" in text
    assert c.normality is None


def test_zero_within_variation_warns():
    groups = [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    c = capability(groups, lsl=0, usl=4)
    assert math.isnan(c.cp)
    assert any("within-subgroup variation is zero" in w for w in c.warnings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": [1.0, 2.0, 3.0], "lsl": 5, "usl": 5}, "LSL"),
        ({"data": [1.0, 2.0, 3.0], "lsl": 6, "usl": 5}, "LSL"),
        ({"data": [1.0, 2.0, 3.0]}, "specification"),
        ({"data": [2.0, 2.0, 2.0], "usl": 5}, "all 3 values equal"),
        ({"data": [1.0], "usl": 5}, "at least 2"),
        ({"data": [1.0, float("inf"), 2.0], "usl": 5}, "infinite"),
        ({"data": [1.0, "x", 2.0], "usl": 5}, "numbers"),
        ({"data": [1.0, 2.0, 3.0], "usl": 5, "transform": "log"}, "transform"),
        ({"data": [1.0, 2.0, 3.0], "usl": 5, "subgroup_size": 0}, "subgroup_size"),
        ({"data": [1.0, 2.0, 3.0], "usl": 5, "sigma_within": -1.0}, "sigma_within"),
        ({"data": [1.0, 2.0, 3.0], "lsl": -1.0, "usl": 5, "transform": "boxcox"}, "LSL"),
    ],
)
def test_bad_input(kwargs, message):
    data = kwargs.pop("data")
    with pytest.raises(StatsInputError, match=message):
        capability(data, **kwargs)


def test_result_is_frozen_and_json_ready():
    import dataclasses
    import json

    c = capability(PISTONRINGS_TRIAL, lsl=73.95, usl=74.05, target=74.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.cp = 2.0  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        c.ci["cp"] = (0.0, 9.0)  # deeply read-only: nested dicts too
    with pytest.raises(TypeError, match="read-only"):
        c.ppm_within.update(total=0.0)
    assert c.ci["cp"] == pytest.approx((1.491, 1.915), abs=1e-3)  # unchanged (qcc, above)
    json.dumps(c.to_dict())


R = json.loads((Path(__file__).parent / "reference" / "control_values.json").read_text())


def test_values_near_1e_minus_300_are_analysed_not_called_too_few():
    ref = R["capability_tiny"]  # control.R: sd(c x) = c sd(x), R's own sd() underflows here
    c = capability(ref["data"], lsl=ref["lsl"], usl=ref["usl"])
    assert c.n == 100 and c.warnings == ()
    assert c.normality is not None
    assert c.sigma_overall == pytest.approx(ref["sigma_overall"], rel=1e-12)
    assert c.sigma_within == pytest.approx(ref["sigma_within"], rel=1e-12)
    assert c.mean == pytest.approx(ref["mean"], rel=1e-14)
    assert c.cp == pytest.approx(ref["cp"], rel=1e-12)
    assert c.pp == pytest.approx(ref["pp"], rel=1e-12)
    assert c.ppk == pytest.approx(ref["ppk"], rel=1e-12)


def test_boxcox_lambda_matches_r_small_and_large_samples():
    ref = R["boxcox"]  # control.R: the profile likelihood maximised by optimize(tol 1e-12)
    small = capability(ref["trees_volume"], usl=90.0, transform="boxcox")  # R's trees$Volume
    assert small.boxcox_lambda == pytest.approx(ref["trees_lambda"], abs=1e-7)
    assert small.boxcox_lambda == pytest.approx(ref["trees_lambda_car"], abs=1e-6)  # car
    from scipy import stats as sps
    n = ref["gamma_n"]  # gamma(2) quantiles: the subsample-then-refine path of the search
    x = sps.gamma.ppf((np.arange(1, n + 1) - 0.5) / n, ref["gamma_shape"])
    large = capability(x, usl=12.0, transform="boxcox")
    assert large.boxcox_lambda == pytest.approx(ref["gamma_lambda"], abs=1e-7)
    assert large.boxcox_lambda == pytest.approx(ref["gamma_lambda_car"], abs=2e-6)


def test_boxcox_lambda_matches_r_above_one_and_negative():
    ref = R["boxcox"]  # control.R: bc_mle (optimize, tol 1e-12) on 100000 quantiles
    from scipy import stats as sps
    q = (np.arange(1, ref["gamma_n"] + 1) - 0.5) / ref["gamma_n"]
    left = capability(sps.beta.ppf(q, *ref["beta_shape"]), lsl=0.2, transform="boxcox")
    assert left.boxcox_lambda == pytest.approx(ref["beta_lambda"], abs=1e-7)
    inverse = capability(1 / sps.gamma.ppf(q, ref["gamma_shape"]), usl=3.0,
                         transform="boxcox")
    assert inverse.boxcox_lambda == pytest.approx(ref["inverse_gamma_lambda"], abs=1e-7)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lsl": 73.95, "usl": 74.05, "target": 74.2}, r"target \(74.2\) must lie strictly between"),
    ({"lsl": 73.95, "usl": 74.05, "target": 73.95}, "target"),
    ({"usl": 74.05, "target": 74.1}, "target"),
])
def test_cpm_target_outside_the_specification_is_refused(kwargs, message):
    with pytest.raises(StatsInputError, match=message):
        capability(PISTONRINGS_TRIAL, **kwargs)


def test_million_points_is_fast():
    x = np.random.default_rng(4).normal(0, 1, 1_000_000)
    start = time.perf_counter()
    c = capability(x, lsl=-4, usl=4, target=0)
    elapsed = time.perf_counter() - start
    assert c.cp == pytest.approx(4 / 3, rel=0.01)
    assert elapsed < 5.0  # generous: a shared CI machine; locally ~0.5 s
