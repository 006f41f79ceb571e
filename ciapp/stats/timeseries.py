"""Time-order checks: autocorrelation that would mislead a control chart, and shift points.

Both are advice for a human: a control chart assumes independent points, and a new stage
(recalculated limits) is a decision someone makes with a note, never an automatic one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, clean_1d, readonly
from ._numeric import check_scale, unit_scale

__all__ = ["Autocorrelation", "ShiftSuggestion", "autocorrelation", "suggest_shift"]

LAG1_CONCERN = 0.2


@dataclass(frozen=True)
class Autocorrelation(Result):
    """Sample autocorrelations and Ljung-Box Q at each lag up to ``max(lags)``.

    ``significant`` is the Ljung-Box verdict at the largest lag tested (alpha 0.05);
    ``warning`` is a plain sentence when the autocorrelation would mislead a chart, else "".
    """

    n: int
    n_missing: int
    lags: np.ndarray
    acf: np.ndarray
    q: np.ndarray
    p_values: np.ndarray
    lag1: float
    significant: bool
    warning: str
    method: str = "Ljung-Box Q = n(n+2) sum r_k^2 / (n-k), chi-square with k df"


@dataclass(frozen=True)
class ShiftSuggestion(Result):
    """The most likely start of a sustained mean shift, for a human to confirm.

    ``index`` is the 0-based position (in the cleaned series) of the first point of the new
    level; ``cusum_index`` is the same by the CUSUM estimator, argmax_k |S_k| with
    S_k = sum_{i<k}(x_i - xbar) (Taylor's change-point analysis). They usually agree; when
    they do not, the shift is weak or there is more than one.
    ``t`` is the two-sample t statistic (pooled) of the split and ``p_value`` its
    Bonferroni-adjusted p-value over all splits tried (conservative). ``strength`` is the
    shift in units of the pooled within-segment standard deviation.
    """

    index: int
    cusum_index: int
    n: int
    n_missing: int
    before_mean: float
    after_mean: float
    shift: float
    t: float
    p_value: float
    strength: float
    significant: bool
    method: str
    notes: tuple[str, ...] = field(default_factory=tuple)


def autocorrelation(x: Any, lags: int | Sequence[int] | None = None,
                    alpha: float = 0.05) -> Autocorrelation:
    """Ljung-Box test of autocorrelation, with lag-1 autocorrelation and a plain warning.

    ``lags``: an int tests lags 1..lags, a sequence tests those lags; default
    min(10, n // 5). Missing values are dropped (the series is closed up), which is only
    sound when few are missing. Q is computed from the sample autocorrelations directly, as
    statsmodels' ``acorr_ljungbox`` does (same numbers, see the tests), because that function
    computes the autocorrelations without FFT in O(n^2) and stalls on 10^6 points.
    """
    from scipy import stats

    y, n_missing = clean_1d(x, name="x", min_n=4)
    check_scale(y, "x")
    if np.ptp(y) == 0:
        raise StatsInputError("x: all values are equal; autocorrelation is undefined")
    n = y.size
    wanted = _lags(lags, n)
    # autocorrelations are scale-free: an exact power-of-two rescale keeps the squares of
    # values near 1e-300 from underflowing to a zero denominator
    r = _acf(y / unit_scale(y), int(wanted.max()))
    terms = np.cumsum(r[1:] ** 2 / (n - np.arange(1, r.size)))
    q = n * (n + 2) * terms[wanted - 1]
    p = stats.chi2.sf(q, wanted)
    lag1 = float(r[1])
    significant = bool(p[-1] < alpha)
    return Autocorrelation(n=n, n_missing=n_missing, lags=readonly(wanted, int),
                           acf=readonly(r[1:]), q=readonly(q), p_values=readonly(p), lag1=lag1,
                           significant=significant, warning=_warning(lag1, significant, p[-1]))


def _acf(y: np.ndarray, nlags: int) -> np.ndarray:
    """r_0..r_nlags with the usual biased (divide by n) autocovariances."""
    yc = y - y.mean()
    denom = float(yc @ yc)
    return np.array([1.0] + [float(yc[:-k] @ yc[k:]) / denom for k in range(1, nlags + 1)])


def _lags(lags: int | Sequence[int] | None, n: int) -> np.ndarray:
    if lags is None:
        wanted = np.arange(1, max(1, min(10, n // 5)) + 1)
    elif isinstance(lags, (int, np.integer)) and not isinstance(lags, bool):
        wanted = np.arange(1, int(lags) + 1)
    else:
        wanted = np.asarray(sorted(set(int(v) for v in lags)))
    if wanted.size == 0 or wanted.min() < 1 or wanted.max() >= n:
        raise StatsInputError(f"lags must be between 1 and n - 1 = {n - 1}, got {lags!r}")
    return wanted


def _warning(lag1: float, significant: bool, p: float) -> str:
    if not significant:
        return ""
    if lag1 >= LAG1_CONCERN:
        return (f"Successive points are positively correlated (lag-1 r = {lag1:.2f}, Ljung-Box "
                f"p = {p:.2g}): moving-range limits will be too narrow and the chart will flag "
                "false signals. Sample less often, or chart the residuals of a time-series model.")
    if lag1 <= -LAG1_CONCERN:
        return (f"Successive points alternate (lag-1 r = {lag1:.2f}, Ljung-Box p = {p:.2g}): "
                "moving-range limits will be too wide and hide real signals; look for "
                "over-adjustment or two alternating streams.")
    return (f"The series is autocorrelated at longer lags (Ljung-Box p = {p:.2g}): look for "
            "cycles or drift before trusting the chart's limits.")


def suggest_shift(x: Any, *, min_segment: int = 5, alpha: float = 0.05) -> ShiftSuggestion:
    """Where a sustained shift in the mean most likely began.

    Every split with at least ``min_segment`` points on each side is scored by the pooled
    two-sample t statistic; the split with the largest |t| is the maximum-likelihood change
    point for one step change in a normal mean with common variance (it maximizes the
    between-segment sum of squares). The CUSUM estimate is reported beside it.
    """
    from scipy import stats

    if isinstance(min_segment, bool) or int(min_segment) != min_segment or min_segment < 2:
        raise StatsInputError(f"min_segment must be a whole number >= 2, got {min_segment!r}")
    y, n_missing = clean_1d(x, name="x", min_n=2 * min_segment)
    check_scale(y, "x")
    if np.ptp(y) == 0:
        raise StatsInputError("x: all values are equal; there is no shift to find")
    ys = y / unit_scale(y)  # t and strength are scale-free: no underflow near 1e-300
    t, k = _best_split(ys, int(min_segment))
    n = y.size
    before, after = y[:k], y[k:]
    df = n - 2
    bs, as_ = ys[:k], ys[k:]
    sp = math.sqrt((np.sum((bs - bs.mean()) ** 2) + np.sum((as_ - as_.mean()) ** 2)) / df)
    shift_scaled = float(as_.mean() - bs.mean())
    splits = n - 2 * int(min_segment) + 1
    p = min(1.0, float(2 * stats.t.sf(abs(t), df)) * splits) if math.isfinite(t) else 0.0
    shift = float(after.mean() - before.mean())
    notes = ("a suggestion: confirm with the process history before starting a new stage",)
    if abs(t) == math.inf:
        notes += ("both segments are flat: the shift is exact",)
    return ShiftSuggestion(
        index=k, cusum_index=_cusum_split(y, int(min_segment)), n=n, n_missing=n_missing,
        before_mean=float(before.mean()),
        after_mean=float(after.mean()), shift=shift, t=float(t), p_value=p,
        strength=shift_scaled / sp if sp > 0 else math.copysign(math.inf, shift_scaled),
        significant=bool(p < alpha),
        method="maximum |t| over all splits (likelihood ratio), Bonferroni-adjusted p",
        notes=notes,
    )


def _best_split(y: np.ndarray, m: int) -> tuple[float, int]:
    """(t, k) maximizing |t| of y[:k] vs y[k:], vectorised with cumulative sums."""
    n = y.size
    yc = y - y.mean()  # centring keeps the cumulative sums of squares accurate
    c1, c2 = np.cumsum(yc), np.cumsum(yc**2)
    k = np.arange(m, n - m + 1)
    s1, q1 = c1[k - 1], c2[k - 1]
    s2, q2 = c1[-1] - s1, c2[-1] - q1
    n1, n2 = k.astype(float), (n - k).astype(float)
    sse = np.maximum((q1 - s1**2 / n1) + (q2 - s2**2 / n2), 0.0)
    diff = s2 / n2 - s1 / n1
    se = np.sqrt(sse / (n - 2) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, diff / se, np.sign(diff) * np.inf)
    best = int(np.nanargmax(np.abs(t)))
    return float(t[best]), int(k[best])


def _cusum_split(y: np.ndarray, m: int) -> int:
    s = np.cumsum(y - y.mean())[m - 1: y.size - m]
    return int(np.argmax(np.abs(s))) + m
