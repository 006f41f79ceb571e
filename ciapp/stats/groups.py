"""Several groups: one-way ANOVA (classic F and Welch's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, clean_1d, readonly

__all__ = ["Anova", "anova_oneway"]


@dataclass(frozen=True)
class Anova(Result):
    """One-way ANOVA (classic F or Welch's) with the group summaries."""

    test: str
    statistic: float
    p_value: float
    df: tuple[float, float]
    group_n: np.ndarray
    group_means: np.ndarray
    group_sds: np.ndarray
    grand_mean: float
    ss_between: float
    ss_within: float
    ms_within: float
    significant: bool
    alpha: float
    n_missing: int


# -- several groups, tables -------------------------------------------------------------------


def anova_oneway(*groups: Any, welch: bool = False, alpha: float = 0.05) -> Anova:
    """One-way ANOVA F test; ``welch=True`` for Welch's test without equal variances."""
    from scipy import stats

    if len(groups) < 2:
        raise StatsInputError(f"ANOVA needs at least 2 groups, got {len(groups)}")
    clean = [clean_1d(g, name=f"group {i + 1}", min_n=2) for i, g in enumerate(groups)]
    xs = [c[0] for c in clean]
    if all(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("every group has zero variance: the F ratio is undefined")
    if welch and any(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("Welch's ANOVA needs variation within every group")
    res = stats.f_oneway(*xs, equal_var=not welch)
    allx = np.concatenate(xs)
    means = np.array([x.mean() for x in xs])
    ns = np.array([x.size for x in xs])
    ssb = float(np.sum(ns * (means - allx.mean()) ** 2))
    ssw = float(sum(np.sum((x - x.mean()) ** 2) for x in xs))
    k, n = len(xs), allx.size
    df = (float(k - 1), _welch_df2(xs) if welch else float(n - k))
    return Anova(
        test="Welch's ANOVA" if welch else "one-way ANOVA", statistic=float(res.statistic),
        p_value=float(res.pvalue), df=df, group_n=readonly(ns, int), group_means=readonly(means),
        group_sds=readonly([x.std(ddof=1) for x in xs]), grand_mean=float(allx.mean()),
        ss_between=ssb, ss_within=ssw, ms_within=ssw / (n - k),
        significant=bool(res.pvalue < alpha), alpha=alpha,
        n_missing=sum(c[1] for c in clean),
    )


def _welch_df2(xs: list[np.ndarray]) -> float:
    """Denominator df of Welch's ANOVA: (k^2 - 1) / (3 sum((1 - w_i/W)^2 / (n_i - 1)))."""
    w = np.array([x.size / x.var(ddof=1) for x in xs])
    ns = np.array([x.size for x in xs])
    a = float(np.sum((1 - w / w.sum()) ** 2 / (ns - 1)))
    return (len(xs) ** 2 - 1) / (3 * a)


