"""Which groups differ: Tukey's HSD after ANOVA, Games-Howell after Welch's ANOVA."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ._base import Result, StatsInputError

__all__ = ["Pair", "pairwise_differences"]


@dataclass(frozen=True)
class Pair(Result):
    """Group ``second`` minus group ``first`` (1-based positions), family-wise interval and
    adjusted p-value, as R's ``TukeyHSD`` rows "second-first"."""

    first: int
    second: int
    diff: float
    ci: tuple[float, float]
    p_adj: float
    significant: bool


def pairwise_differences(xs: list[np.ndarray], method: Literal["tukey", "games-howell"],
                         alpha: float) -> tuple[Pair, ...]:
    """All pairs of cleaned groups (already rescaled by the caller if need be).

    Tukey: statsmodels' ``pairwise_tukeyhsd`` (pooled variance, Tukey-Kramer for unequal n).
    Games-Howell (1976): for each pair a Welch standard error and Welch-Satterthwaite df with
    the studentized range for k groups, so unequal variances do not inflate the error rate.
    """
    if method == "tukey":
        from statsmodels.stats.multicomp import pairwise_tukeyhsd

        y = np.concatenate(xs)
        g = np.repeat(np.arange(len(xs)), [x.size for x in xs])
        res = pairwise_tukeyhsd(y, g, alpha=alpha)
        pairs = [(i, j) for i in range(len(xs)) for j in range(i + 1, len(xs))]
        return tuple(
            Pair(first=i + 1, second=j + 1, diff=float(d), ci=(float(lo), float(hi)),
                 p_adj=float(p), significant=bool(p < alpha))
            for (i, j), d, (lo, hi), p in zip(pairs, res.meandiffs, res.confint, res.pvalues,
                                              strict=True))
    if method == "games-howell":
        return _games_howell(xs, alpha)
    raise StatsInputError(f"pairwise method must be 'tukey' or 'games-howell', got {method!r}")


def _games_howell(xs: list[np.ndarray], alpha: float) -> tuple[Pair, ...]:
    from scipy.stats import studentized_range

    k = len(xs)
    out = []
    for i in range(k):
        for j in range(i + 1, k):
            vi, vj = xs[i].var(ddof=1) / xs[i].size, xs[j].var(ddof=1) / xs[j].size
            se = math.sqrt(vi + vj)
            if se == 0:
                raise StatsInputError(f"Games-Howell needs variation within groups {i + 1} and "
                                      f"{j + 1}")
            df = (vi + vj) ** 2 / (vi**2 / (xs[i].size - 1) + vj**2 / (xs[j].size - 1))
            d = float(xs[j].mean() - xs[i].mean())
            p = float(studentized_range.sf(abs(d) / se * math.sqrt(2), k, df))
            half = float(studentized_range.ppf(1 - alpha, k, df)) / math.sqrt(2) * se
            out.append(Pair(first=i + 1, second=j + 1, diff=d, ci=(d - half, d + half),
                            p_adj=min(p, 1.0), significant=bool(p < alpha)))
    return tuple(out)


def rescaled(pairs: tuple[Pair, ...], scale: float) -> tuple[Pair, ...]:
    """The same pairs in data units when the groups were divided by ``scale``."""
    if scale == 1.0:
        return pairs
    return tuple(Pair(first=p.first, second=p.second, diff=p.diff * scale,
                      ci=(p.ci[0] * scale, p.ci[1] * scale), p_adj=p.p_adj,
                      significant=p.significant) for p in pairs)
