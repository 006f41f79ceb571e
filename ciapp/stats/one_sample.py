"""One sample against a target: is the baseline (or the new level) off the goal?

``alternative`` is about level - target ("less": the level is below the target); ``better``
says which side of the target is good. ``ci`` is the two-sided interval for the level at
``1 - alpha``, whatever the alternative. Each test follows the R function named in ``method``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._base import Result, StatsInputError, clean_1d
from ._compare_core import (
    Alternative,
    Better,
    _check_options,
    _fmt,
    _fmt_p,
    _quiet,
    _z_p,
    pow2_scale,
)
from ._numeric import MAX_MAGNITUDE, check_scalar, check_scale
from .hodges_lehmann import shift_one_sample
from .nonparametric import _signed_rank_k, signed_rank

__all__ = ["TargetTest", "one_sample_proportion", "one_sample_rate", "one_sample_t",
           "one_sample_wilcoxon"]


@dataclass(frozen=True)
class TargetTest(Result):
    """A level tested against a target; ``meets_target`` is a significant difference on the
    ``better`` side."""

    test: str
    method: str
    statistic: float
    p_value: float
    df: float | None
    alternative: str
    alpha: float
    better: str
    measure: str
    level: float
    target: float
    difference: float
    ci: tuple[float, float]
    n: float
    n_missing: int
    significant: bool
    meets_target: bool
    verdict: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _result(*, test: str, method: str, statistic: float, p: float, df: float | None,
            alternative: str, alpha: float, better: str, measure: str, level: float,
            target: float, ci: tuple[float, float], n: float, n_missing: int, unit: str,
            warnings: list[str] | None = None) -> TargetTest:
    significant = bool(p < alpha)
    good = level < target if better == "lower" else level > target
    side = "below" if level < target else "above" if level > target else "at"
    u = f" {unit}" if unit else ""
    tail = ("not significantly different from the target" if not significant else
            "significantly better than the target" if good else
            "significantly worse than the target")
    verdict = (f"The {measure} {_fmt(level)}{u} is {side} the target {_fmt(target)}{u} "
               f"({(1 - alpha) * 100:.0f}% CI {_fmt(ci[0])} to {_fmt(ci[1])}); {tail} at alpha "
               f"{alpha:g} ({test}, {_fmt_p(p)}).")
    return TargetTest(test=test, method=method, statistic=float(statistic), p_value=float(p),
                      df=df, alternative=alternative, alpha=alpha, better=better,
                      measure=measure, level=float(level), target=float(target),
                      difference=float(level - target), ci=(float(ci[0]), float(ci[1])), n=n,
                      n_missing=n_missing, significant=significant,
                      meets_target=significant and good, verdict=verdict,
                      warnings=tuple(warnings or ()))


def _sample(data: Any, target: float, min_n: int) -> tuple[np.ndarray, int]:
    if not isinstance(target, (int, float, np.number)) or not math.isfinite(target):
        raise StatsInputError(f"target must be a finite number, got {target!r}")
    check_scalar(float(target), "target")
    x, missing = clean_1d(data, name="data", min_n=min_n)
    check_scale(x, "data")
    return x, missing


def one_sample_t(data: Any, target: float, *, alternative: Alternative = "two-sided",
                 better: Better = "lower", alpha: float = 0.05, unit: str = "") -> TargetTest:
    """One-sample t-test of the mean against ``target`` (R's ``t.test(x, mu = target)``)."""
    from scipy import stats

    _check_options(alternative, better, alpha)
    x0, missing = _sample(data, target, 2)
    if np.ptp(x0) == 0:
        raise StatsInputError("all values are equal: no variation to test against the target")
    scale = pow2_scale(x0, np.array([float(target)]))  # tiny data: exact rescaling
    x, mu = x0 / scale, float(target) / scale
    with _quiet():
        res = stats.ttest_1samp(x, mu, alternative=alternative)
        ci = stats.ttest_1samp(x, mu).confidence_interval(confidence_level=1 - alpha)
    return _result(test="one-sample t-test", method="one-sample t-test (R t.test, mu = target)",
                   statistic=res.statistic, p=res.pvalue, df=float(x.size - 1),
                   alternative=alternative, alpha=alpha, better=better, measure="mean",
                   level=float(x0.mean()), target=float(target),
                   ci=(ci.low * scale, ci.high * scale), n=x.size, n_missing=missing, unit=unit)


def one_sample_wilcoxon(data: Any, target: float, *, alternative: Alternative = "two-sided",
                        better: Better = "lower", alpha: float = 0.05, unit: str = "",
                        exact: bool | None = None) -> TargetTest:
    """Wilcoxon signed-rank test of the location against ``target``, with the Hodges-Lehmann
    pseudo-median and its interval (R's ``wilcox.test(x, mu = target, conf.int = TRUE)``).

    ``exact`` as in ``compare_medians``: by default exact below 50 values without ties or
    values equal to the target; the statistic is V+ of x - target.
    """
    _check_options(alternative, better, alpha)
    if exact not in (None, True, False):
        raise StatsInputError(f"exact must be None, True or False, got {exact!r}")
    x, missing = _sample(data, target, 2)
    d = x - float(target)
    warn: list[str] = []
    v_plus, p, use_exact = signed_rank(d, alternative, exact, warn)
    est, ci = shift_one_sample(d, alpha, _signed_rank_k(d.size, alpha) if use_exact else None)
    kind = ("exact p-value and interval" if use_exact else
            "normal approximation with continuity and tie corrections")
    return _result(test="Wilcoxon signed-rank test",
                   method=f"one-sample Wilcoxon signed-rank (R wilcox.test, mu = target), {kind}",
                   statistic=v_plus, p=p, df=None, alternative=alternative, alpha=alpha,
                   better=better, measure="pseudo-median", level=est + float(target),
                   target=float(target), ci=(ci[0] + float(target), ci[1] + float(target)),
                   n=x.size, n_missing=missing, unit=unit, warnings=warn)


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer)) or \
            not math.isfinite(value) or value != int(value) or value < 0:
        raise StatsInputError(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def one_sample_proportion(x: int, n: int, target: float, *,
                          method: Literal["exact", "normal"] = "exact", correction: bool = False,
                          alternative: Alternative = "two-sided", better: Better = "lower",
                          alpha: float = 0.05, unit: str = "") -> TargetTest:
    """``x`` successes of ``n`` against a target proportion.

    ``method="exact"`` (Minitab's default): the exact binomial test with the Clopper-Pearson
    interval (R's ``binom.test``). ``"normal"``: the score z-test with the Wilson interval, and
    with ``correction=True`` Yates' continuity correction on both (R's ``prop.test``).
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    x, n = _whole(x, "count"), _whole(n, "sample size")
    if n == 0 or x > n:
        raise StatsInputError(f"count must be between 0 and a positive sample size, got {x} "
                              f"of {n}")
    if not (isinstance(target, (int, float)) and 0 < target < 1):
        raise StatsInputError(f"target must be a proportion strictly between 0 and 1, "
                              f"got {target!r}")
    if method not in ("exact", "normal"):
        raise StatsInputError(f"method must be 'exact' or 'normal', got {method!r}")
    if method == "exact":
        res = stats.binomtest(x, n, target, alternative=alternative)
        ci = res.proportion_ci(confidence_level=1 - alpha, method="exact")
        return _result(test="exact binomial test",
                       method="exact binomial test, Clopper-Pearson interval (R binom.test)",
                       statistic=x, p=res.pvalue, df=None, alternative=alternative,
                       alpha=alpha, better=better, measure="proportion", level=x / n,
                       target=target, ci=(ci.low, ci.high), n=n, n_missing=0, unit=unit)
    yates = min(0.5, abs(x - n * target)) if correction else 0.0
    gap = max(abs(x - n * target) - yates, 0.0)
    z = math.copysign(gap / math.sqrt(n * target * (1 - target)), x / n - target)
    return _result(test="one-proportion z-test",
                   method="score z-test with Wilson interval" + (
                       ", Yates' continuity correction (R prop.test default)" if correction
                       else ", no continuity correction (R prop.test, correct = FALSE)"),
                   statistic=z, p=_z_p(z, alternative), df=None, alternative=alternative,
                   alpha=alpha, better=better, measure="proportion", level=x / n,
                   target=target, ci=_wilson(x, n, alpha, yates), n=n, n_missing=0, unit=unit)


def _wilson(x: int, n: int, alpha: float, yates: float) -> tuple[float, float]:
    """R prop.test's one-sample interval: Wilson's score interval, continuity-corrected by
    shifting the estimate by ``yates / n`` outward."""
    from scipy import stats

    z = float(stats.norm.isf(alpha / 2))
    z22n = z * z / (2 * n)
    est = x / n

    def end(pc: float, sign: int) -> float:
        return (pc + z22n + sign * z * math.sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (
            1 + 2 * z22n)

    up = est + yates / n
    low = est - yates / n
    return (0.0 if low <= 0 else end(low, -1), 1.0 if up >= 1 else end(up, 1))


def one_sample_rate(count: int, exposure: float, target: float, *,
                    alternative: Alternative = "two-sided", better: Better = "lower",
                    alpha: float = 0.05, unit: str = "") -> TargetTest:
    """Exact Poisson test of ``count`` events in ``exposure`` against a target rate, with
    the exact (gamma) interval for the rate (R's ``poisson.test(x, T, r = target)``)."""
    from scipy import stats

    _check_options(alternative, better, alpha)
    x = _whole(count, "count")
    for name, v in (("exposure", exposure), ("target", target)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            raise StatsInputError(f"{name} must be a positive number, got {v!r}")
        if not 1 / MAX_MAGNITUDE <= v <= MAX_MAGNITUDE:
            raise StatsInputError(f"{name} {v:g} is out of range: rescale its unit")
    m = target * exposure
    if alternative == "less":
        p = float(stats.poisson.cdf(x, m))
    elif alternative == "greater":
        p = float(stats.poisson.sf(x - 1, m))
    else:
        p = _poisson_two_sided(x, m)
    a = alpha / 2
    low = 0.0 if x == 0 else float(stats.gamma.ppf(a, x))
    high = float(stats.gamma.isf(a, x + 1))
    return _result(test="exact Poisson test", method="exact Poisson test (R poisson.test)",
                   statistic=x, p=p, df=None, alternative=alternative, alpha=alpha,
                   better=better, measure="rate", level=x / exposure, target=target,
                   ci=(low / exposure, high / exposure), n=float(exposure), n_missing=0,
                   unit=unit)


def _poisson_two_sided(x: int, m: float) -> float:
    """R's two-sided p: every count no more likely than x (relative tolerance 1e-7).

    The pmf rises up to the mode and falls after it, so the counts on the far side that are
    no more likely than x form a tail, found by bisection instead of R's enumeration.
    """
    from scipy import stats

    d = stats.poisson.logpmf(x, m) + math.log1p(1e-7)
    if x == m:
        return 1.0
    if x < m:  # far side: the upper tail from the first i >= m with pmf <= d
        lo, hi = math.ceil(m), max(math.ceil(2 * m - x), math.ceil(m))
        while stats.poisson.logpmf(hi, m) > d:
            hi *= 2
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if stats.poisson.logpmf(mid, m) <= d else (mid + 1, hi)
        return min(1.0, float(stats.poisson.cdf(x, m) + stats.poisson.sf(lo - 1, m)))
    lo, hi = 0, math.floor(m) + 1  # far side: the lower tail of counts below the first > d
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if stats.poisson.logpmf(mid, m) <= d else (lo, mid)
    return min(1.0, float((stats.poisson.cdf(lo - 1, m) if lo > 0 else 0.0)
                          + stats.poisson.sf(x - 1, m)))
