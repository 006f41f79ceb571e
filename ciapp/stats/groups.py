"""Several groups: one-way ANOVA (classic F and Welch's), Kruskal-Wallis, Mood's median test,
and tests for equal variances; all return the same ``Anova`` shape.

Data whose largest |value| is below 1e-100 are divided by a power of two first (exact): the
statistics do not depend on the scale, and squares of 1e-300 would underflow to zero. Values
beyond 1e100 are refused, as everywhere in the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._base import Result, StatsInputError, clean_1d, readonly
from ._compare_core import _quiet, pow2_scale
from ._numeric import check_scale
from .pairwise import Pair, pairwise_differences, rescaled

__all__ = ["Anova", "anova_oneway", "equal_variances", "kruskal_wallis", "mood_median"]


@dataclass(frozen=True)
class Anova(Result):
    """A test across several groups with the group summaries.

    ``df`` is (numerator, denominator) for F tests and (k - 1,) for chi-square ones
    (Kruskal-Wallis, Mood, Bartlett). The sums of squares are those of the one-way ANOVA
    (``None`` for the other tests), in squared data units: for data near 1e-300 they
    underflow to 0 although F and p are right. ``pairwise`` answers "which groups differ"
    after an ANOVA: Tukey's HSD after the classic F, Games-Howell after Welch's.
    """

    test: str
    statistic: float
    p_value: float
    df: tuple[float, ...]
    group_n: np.ndarray
    group_means: np.ndarray
    group_sds: np.ndarray
    grand_mean: float
    ss_between: float | None
    ss_within: float | None
    ms_within: float | None
    significant: bool
    alpha: float
    n_missing: int
    method: str = ""
    group_medians: np.ndarray | None = None
    pairwise: tuple[Pair, ...] = field(default_factory=tuple)
    reason: str = ""


def _groups(groups: tuple[Any, ...], what: str, min_n: int = 2,
            ) -> tuple[list[np.ndarray], int, float]:
    if len(groups) < 2:
        raise StatsInputError(f"{what} needs at least 2 groups, got {len(groups)}")
    clean = [clean_1d(g, name=f"group {i + 1}", min_n=min_n) for i, g in enumerate(groups)]
    xs = [c[0] for c in clean]
    for i, x in enumerate(xs):
        check_scale(x, f"group {i + 1}")
    scale = pow2_scale(*xs)
    return [x / scale for x in xs], sum(c[1] for c in clean), scale


def _shape(xs: list[np.ndarray], scale: float, **fields: Any) -> Anova:
    allx = np.concatenate(xs)
    alpha = fields["alpha"]
    fields.setdefault("ss_between", None)
    fields.setdefault("ss_within", None)
    fields.setdefault("ms_within", None)
    return Anova(
        group_n=readonly([x.size for x in xs], int),
        group_means=readonly([x.mean() * scale for x in xs]),
        group_sds=readonly([x.std(ddof=1) * scale for x in xs]),
        group_medians=readonly([np.median(x) * scale for x in xs]),
        grand_mean=float(allx.mean() * scale), significant=bool(fields["p_value"] < alpha),
        **fields)


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise StatsInputError(f"alpha must be between 0 and 1, got {alpha!r}")


def anova_oneway(*groups: Any, welch: bool = False, alpha: float = 0.05) -> Anova:
    """One-way ANOVA F test; ``welch=True`` for Welch's test without equal variances.

    ``pairwise`` holds Tukey's HSD (classic) or Games-Howell (Welch) for every pair.
    """
    from scipy import stats

    _check_alpha(alpha)
    xs, n_missing, scale = _groups(groups, "ANOVA")
    if all(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("every group has zero variance: the F ratio is undefined")
    if welch and any(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("Welch's ANOVA needs variation within every group")
    with _quiet():
        res = stats.f_oneway(*xs, equal_var=not welch)
    allx = np.concatenate(xs)
    means = np.array([x.mean() for x in xs])
    ns = np.array([x.size for x in xs])
    ssb = float(np.sum(ns * (means - allx.mean()) ** 2))
    ssw = float(sum(np.sum((x - x.mean()) ** 2) for x in xs))
    k, n = len(xs), allx.size
    df = (float(k - 1), _welch_df2(xs) if welch else float(n - k))
    pairs = rescaled(pairwise_differences(xs, "games-howell" if welch else "tukey", alpha), scale)
    return _shape(
        xs, scale, test="Welch's ANOVA" if welch else "one-way ANOVA",
        statistic=float(res.statistic), p_value=float(res.pvalue), df=df,
        ss_between=ssb * scale**2, ss_within=ssw * scale**2,
        ms_within=ssw / (n - k) * scale**2, alpha=alpha, n_missing=n_missing,
        method=("Welch's ANOVA (no equal-variance assumption); pairs by Games-Howell" if welch
                else "one-way ANOVA F test (pooled variance); pairs by Tukey's HSD"),
        pairwise=pairs)


def _welch_df2(xs: list[np.ndarray]) -> float:
    """Denominator df of Welch's ANOVA: (k^2 - 1) / (3 sum((1 - w_i/W)^2 / (n_i - 1)))."""
    w = np.array([x.size / x.var(ddof=1) for x in xs])
    ns = np.array([x.size for x in xs])
    a = float(np.sum((1 - w / w.sum()) ** 2 / (ns - 1)))
    return (len(xs) ** 2 - 1) / (3 * a)


def kruskal_wallis(*groups: Any, alpha: float = 0.05) -> Anova:
    """Kruskal-Wallis H test (chi-square approximation, tie-corrected, as R's kruskal.test)."""
    from scipy import stats

    _check_alpha(alpha)
    xs, n_missing, scale = _groups(groups, "Kruskal-Wallis", min_n=1)
    if np.ptp(np.concatenate(xs)) == 0:
        raise StatsInputError("all values are equal: nothing to rank")
    res = stats.kruskal(*xs)
    return _shape(xs, scale, test="Kruskal-Wallis test", statistic=float(res.statistic),
                  p_value=float(res.pvalue), df=(float(len(xs) - 1),), alpha=alpha,
                  n_missing=n_missing,
                  method="Kruskal-Wallis H, chi-square approximation with tie correction")


def mood_median(*groups: Any, alpha: float = 0.05) -> Anova:
    """Mood's median test as Minitab: per group, values above the grand median against values
    at or below it; Pearson chi-square without continuity correction, df = k - 1."""
    from scipy import stats

    _check_alpha(alpha)
    xs, n_missing, scale = _groups(groups, "Mood's median test", min_n=1)
    m = float(np.median(np.concatenate(xs)))
    above = np.array([np.count_nonzero(x > m) for x in xs])
    table = np.vstack([above, [x.size for x in xs] - above])
    if table.sum(axis=1).min() == 0:
        raise StatsInputError("no value lies above the grand median (too many ties at it): "
                              "Mood's median test cannot split the groups")
    res = stats.chi2_contingency(table, correction=False)
    return _shape(xs, scale, test="Mood's median test", statistic=float(res.statistic),
                  p_value=float(res.pvalue), df=(float(len(xs) - 1),), alpha=alpha,
                  n_missing=n_missing,
                  method=f"Mood's median test: counts above / at or below the grand median "
                         f"{m * scale:.6g}, Pearson chi-square without correction")


def equal_variances(*groups: Any, method: Literal["brown-forsythe", "levene", "bartlett"] =
                    "brown-forsythe", alpha: float = 0.05) -> Anova:
    """Test that every group has the same variance.

    Brown-Forsythe (default; Levene's statistic on deviations from the group medians, R's
    ``car::leveneTest``) and Levene (deviations from the means) are robust to non-normal
    data; Bartlett's test is exact only for normal data.
    """
    from scipy import stats

    _check_alpha(alpha)
    if method not in ("brown-forsythe", "levene", "bartlett"):
        raise StatsInputError(f"method must be 'brown-forsythe', 'levene' or 'bartlett', "
                              f"got {method!r}")
    xs, n_missing, scale = _groups(groups, "a test of equal variances")
    k, n = len(xs), sum(x.size for x in xs)
    if method == "bartlett":
        flat = [i + 1 for i, x in enumerate(xs) if np.ptp(x) == 0]
        if flat:
            raise StatsInputError(f"Bartlett's test needs variation within every group; group "
                                  f"{flat[0]} has none (use method='brown-forsythe')")
        res, df, test = stats.bartlett(*xs), (float(k - 1),), "Bartlett's test"
    else:
        center = "median" if method == "brown-forsythe" else "mean"
        with _quiet():
            res = stats.levene(*xs, center=center)
        if not np.isfinite(res.statistic):
            raise StatsInputError("no variation of the deviations from the group centers: the "
                                  "test statistic is undefined")
        df = (float(k - 1), float(n - k))
        test = "Brown-Forsythe test" if center == "median" else "Levene test"
    return _shape(xs, scale, test=test, statistic=float(res.statistic),
                  p_value=float(res.pvalue), df=df, alpha=alpha, n_missing=n_missing,
                  method={"brown-forsythe": "Levene's F on |x - group median| (Brown-Forsythe)",
                          "levene": "Levene's F on |x - group mean|",
                          "bartlett": "Bartlett's chi-square (assumes normal data)"}[method])
