"""The formulas of capability: indices, expected and observed PPM, Z.bench, Cpm, the
confidence intervals and the percentile method. Split from capability.py, which parses
the data, estimates the sigmas and assembles the result.
"""

from __future__ import annotations

import math

import numpy as np

from ._numeric import MAX_MAGNITUDE

TAIL = 0.00135  # one-sided normal tail beyond 3 sigma: the percentile method's P0.135

# -- indices --------------------------------------------------------------------------------


def indices(mean: float, sigma: float, lsl: float | None,
             usl: float | None) -> tuple[float, float, float, float]:
    """(C_p, C_pk, C_pl, C_pu) for one sigma; NaN where a spec is missing or sigma is 0."""
    nan = math.nan
    if not sigma > 0:
        return nan, nan, nan, nan
    lower = (mean - lsl) / (3 * sigma) if lsl is not None else nan
    upper = (usl - mean) / (3 * sigma) if usl is not None else nan
    both = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else nan
    k = min(v for v in (lower, upper) if not math.isnan(v))
    return both, k, lower, upper


def ppm_normal(mean: float, sigma: float, lsl: float | None,
                usl: float | None) -> dict[str, float]:
    from scipy.special import ndtr

    if not sigma > 0:
        return {"below_lsl": math.nan, "above_usl": math.nan, "total": math.nan}
    below = float(ndtr((lsl - mean) / sigma)) * 1e6 if lsl is not None else 0.0
    above = float(ndtr((mean - usl) / sigma)) * 1e6 if usl is not None else 0.0
    return {"below_lsl": below, "above_usl": above, "total": below + above}


def ppm_observed(x: np.ndarray, lsl: float | None, usl: float | None) -> dict[str, float]:
    below = float(np.count_nonzero(x < lsl)) / x.size * 1e6 if lsl is not None else 0.0
    above = float(np.count_nonzero(x > usl)) / x.size * 1e6 if usl is not None else 0.0
    return {"below_lsl": below, "above_usl": above, "total": below + above}


def z_bench(ppm: dict[str, float]) -> float:
    from scipy.special import ndtri

    p = ppm["total"] / 1e6
    if math.isnan(p):
        return math.nan
    return float(-ndtri(p)) if p > 0 else math.inf


def cpm(n: int, mean: float, sd: float, target: float | None, lsl: float | None,
         usl: float | None) -> float:
    """Minitab's Cpm: distance from target to the nearer limit over 3 sqrt(sum (x-T)^2/(n-1)).

    sum (x - T)^2 = (n - 1) s^2 + n (xbar - T)^2: two non-negative terms, no pass over x.
    """
    if target is None:
        return math.nan
    tau = math.sqrt(sd * sd + n / (n - 1) * (mean - target) ** 2)
    gaps = [g for g in ((target - lsl) if lsl is not None else None,
                        (usl - target) if usl is not None else None) if g is not None]
    if not tau > 0 or not gaps:
        return math.nan
    return min(gaps) / (3 * tau)


def ci_cp(value: float, n: int, conf: float) -> tuple[float, float]:
    from scipy import stats

    if math.isnan(value):
        return math.nan, math.nan
    nu = n - 1
    a = (1 - conf) / 2
    return (float(value * math.sqrt(stats.chi2.ppf(a, nu) / nu)),
            float(value * math.sqrt(stats.chi2.ppf(1 - a, nu) / nu)))


def ci_cpk(value: float, n: int, conf: float) -> tuple[float, float]:
    from scipy import stats

    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return math.nan, math.nan  # no spread to speak of: an interval would overflow
    half = stats.norm.ppf(0.5 + conf / 2) * math.sqrt(1 / (9 * n) + value**2 / (2 * (n - 1)))
    return float(value - half), float(value + half)


# -- percentile method ----------------------------------------------------------------------


def percentile_overall(x: np.ndarray, lsl: float | None,
                        usl: float | None) -> tuple[float, float, float, float, float]:
    """(Pp, Ppk, Ppl, Ppu, median) with P0.135 / P99.865 percentiles as the 6-sigma spread."""
    lo, med, hi = np.quantile(x, [TAIL, 0.5, 1 - TAIL])
    nan = math.nan
    ppl = (med - lsl) / (med - lo) if lsl is not None and med > lo else nan
    ppu = (usl - med) / (hi - med) if usl is not None and hi > med else nan
    pp = (usl - lsl) / (hi - lo) if lsl is not None and usl is not None and hi > lo else nan
    finite = [v for v in (ppl, ppu) if not math.isnan(v)]
    return pp, (min(finite) if finite else nan), ppl, ppu, float(med)
