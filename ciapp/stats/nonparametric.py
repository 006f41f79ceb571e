"""Rank tests: Mann-Whitney and Wilcoxon signed-rank with the Hodges-Lehmann shift."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._base import StatsInputError
from ._compare_core import (
    Alternative,
    Better,
    Comparison,
    _assumptions,
    _check_options,
    _finish,
    _no_spread,
    _quiet,
    _two_samples,
)
from .hodges_lehmann import shift_one_sample, shift_two_sample

__all__ = ["compare_medians", "signed_rank"]


EXACT_BELOW = 50
"""R's rule: exact p-values when every sample has fewer values than this and nothing ties."""


def compare_medians(
    before: Any, after: Any, *, paired: bool = False, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "", exact: bool | None = None,
    _reason: str = "",
) -> Comparison:
    """Mann-Whitney test (Wilcoxon signed-rank test when ``paired``), as R's ``wilcox.test``.

    ``before_level`` / ``after_level`` are the sample medians; ``change`` is the
    Hodges-Lehmann estimate that goes with the test (median of all after - before
    differences, or of the Walsh averages of paired differences) with its interval.

    ``exact=None`` follows R: exact p-values when both samples (or the non-zero differences)
    number fewer than 50 and nothing ties, else the normal approximation with continuity and
    tie corrections. ``exact=True`` forces the exact distribution (refused with ties or zero
    differences, where it does not apply: the approximation is used and a warning says so);
    ``exact=False`` forces the approximation. The Hodges-Lehmann interval is exact (R's
    order statistics from ``qwilcox`` / ``qsignrank``) when the p-value is, and Minitab's
    normal-approximation order statistics otherwise. The statistic is W (Mann-Whitney U of
    after) or V+ (sum of the ranks of positive after - before differences), whatever the
    alternative, as R reports them.
    """
    _check_options(alternative, better, alpha)
    if exact not in (None, True, False):
        raise StatsInputError(f"exact must be None, True or False, got {exact!r}")
    b, a, n_missing = _two_samples(before, after, paired, min_n=2)
    _no_spread(b, a)
    warn: list[str] = []
    if paired:
        d = a - b
        if np.all(d == 0):
            raise StatsInputError("paired data: every difference is zero; nothing to test")
        statistic, p, use_exact = signed_rank(d, alternative, exact, warn)
        test = "Wilcoxon signed-rank test"
        k = _signed_rank_k(d.size, alpha) if use_exact else None
        est, ci = shift_one_sample(d, alpha, k)
    else:
        statistic, p, use_exact = _mann_whitney(a, b, alternative, exact, warn)
        test = "Mann-Whitney test"
        k = _mann_whitney_k(a.size, b.size, alpha) if use_exact else None
        est, ci = shift_two_sample(a, b, alpha, k)
    return _finish(
        test=test, statistic=statistic, p=p, df=None, alternative=alternative,
        alpha=alpha, better=better, measure="median", before=float(np.median(b)),
        after=float(np.median(a)), change=est, ci=ci, n_b=b.size, n_a=a.size,
        n_missing=n_missing, assumptions=_assumptions(b, a, paired), power=None, n_needed=None,
        unit=unit, reason=_reason, warnings=warn,
        method=f"{test}, {_p_kind(use_exact)}; Hodges-Lehmann interval "
               + ("exact (as R's wilcox.test)" if use_exact else "by normal approximation"),
    )


def _p_kind(exact: bool) -> str:
    return ("exact p-value" if exact else
            "normal approximation with continuity and tie corrections")


def _choose_exact(exact: bool | None, small: bool, tied: bool, warn: list[str]) -> bool:
    if exact is None:
        return small and not tied
    if exact and tied:
        warn.append("exact p-value requested, but the data have ties (or zero differences), "
                    "where the exact distribution does not hold: normal approximation used")
        return False
    return exact


def _mann_whitney(a: np.ndarray, b: np.ndarray, alternative: str, exact: bool | None,
                  warn: list[str]) -> tuple[float, float, bool]:
    from scipy import stats

    both = np.concatenate([a, b])
    tied = np.unique(both).size < both.size
    use_exact = _choose_exact(exact, max(a.size, b.size) < EXACT_BELOW, tied, warn)
    with _quiet():
        res = stats.mannwhitneyu(a, b, alternative=alternative, use_continuity=True,
                                 method="exact" if use_exact else "asymptotic")
    return float(res.statistic), float(res.pvalue), use_exact


def signed_rank(d: np.ndarray, alternative: str, exact: bool | None,
                warn: list[str]) -> tuple[float, float, bool]:
    """V+ (sum of ranks of the positive differences, zeros dropped), its p-value, exactness."""
    from scipy import stats

    nz = d[d != 0]
    if nz.size == 0:
        raise StatsInputError("every difference is zero: nothing to test")
    ranks = stats.rankdata(np.abs(nz))
    v_plus = float(ranks[nz > 0].sum())
    tied = nz.size < d.size or np.unique(np.abs(nz)).size < nz.size
    use_exact = _choose_exact(exact, d.size < EXACT_BELOW, tied, warn)
    with _quiet():
        res = stats.wilcoxon(nz, alternative=alternative, zero_method="wilcox", correction=True,
                             method="exact" if use_exact else "approx")
    return v_plus, float(res.pvalue), use_exact


def _lower_quantile(counts: np.ndarray, prob: float) -> int:
    """R's q-function of a discrete distribution given by counts: min q with P(X <= q) >= p."""
    cdf = np.cumsum(counts) / counts.sum()
    return int(np.searchsorted(cdf, prob * (1 - 64 * np.finfo(float).eps), side="left"))


def mann_whitney_counts(m: int, n: int) -> np.ndarray:
    """Number of arrangements giving each U = 0..m*n (no ties), by the usual recursion.

    f(u; i, j) = f(u - j; i - 1, j) + f(u; i, j - 1): whether the largest value belongs to
    the first sample (it then exceeds all j of the second) or not. Floats: sums only.
    """
    prev = [np.ones(1) for _ in range(n + 1)]  # i = 0: U = 0 once
    for i in range(1, m + 1):
        cur = [np.ones(1)]  # j = 0: U = 0 once
        for j in range(1, n + 1):
            f = np.zeros(i * j + 1)
            f[j:j + prev[j].size] += prev[j]
            f[:cur[j - 1].size] += cur[j - 1]
            cur.append(f)
        prev = cur
    return prev[n]


def signed_rank_counts(n: int) -> np.ndarray:
    """Number of sign patterns giving each V+ = 0..n(n+1)/2: coefficients of prod(1 + q^i)."""
    f = np.zeros(n * (n + 1) // 2 + 1)
    f[0] = 1
    for i in range(1, n + 1):
        f[i:] = f[i:] + f[:-i].copy()
    return f


def _mann_whitney_k(m: int, n: int, alpha: float) -> int:
    return max(_lower_quantile(mann_whitney_counts(m, n), alpha / 2), 1)


def _signed_rank_k(n: int, alpha: float) -> int:
    return max(_lower_quantile(signed_rank_counts(n), alpha / 2), 1)
