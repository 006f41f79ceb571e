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

__all__ = ["compare_medians"]


def compare_medians(
    before: Any, after: Any, *, paired: bool = False, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "", _reason: str = "",
) -> Comparison:
    """Mann-Whitney test (Wilcoxon signed-rank test when ``paired``).

    ``before_level`` / ``after_level`` are the sample medians; ``change`` is the
    Hodges-Lehmann estimate that goes with the test (median of all after - before
    differences, or of the Walsh averages of paired differences) with its interval.
    SciPy chooses exact or normal-approximation p-values by sample size and ties.
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    b, a, n_missing = _two_samples(before, after, paired, min_n=2)
    _no_spread(b, a)
    if paired:
        d = a - b
        if np.all(d == 0):
            raise StatsInputError("paired data: every difference is zero; nothing to test")
        with _quiet():
            res = stats.wilcoxon(d, alternative=alternative)
        test = "Wilcoxon signed-rank test"
        est, ci = shift_one_sample(d, alpha)
    else:
        with _quiet():
            res = stats.mannwhitneyu(a, b, alternative=alternative)
        test = "Mann-Whitney test"
        est, ci = shift_two_sample(a, b, alpha)
    return _finish(
        test=test, statistic=res.statistic, p=res.pvalue, df=None, alternative=alternative,
        alpha=alpha, better=better, measure="median", before=float(np.median(b)),
        after=float(np.median(a)), change=est, ci=ci, n_b=b.size, n_a=a.size,
        n_missing=n_missing, assumptions=_assumptions(b, a, paired), power=None, n_needed=None,
        unit=unit, reason=_reason,
    )


