"""Before / after comparisons that say, in one sentence, whether the change is an improvement.

The tests live by family in ``means`` (t-tests, variances), ``nonparametric`` (rank tests),
``proportions`` (proportions, tables), ``rates``, ``groups`` (several groups, with
``pairwise``) and ``one_sample`` (against a target); this module holds the choosers
``compare`` and ``compare_groups`` and re-exports them all, so ``ciapp.stats.compare`` keeps every
name it always had. Conventions (before first, change = after - before) are in
``_compare_core``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from ._base import StatsInputError, clean_1d
from ._compare_core import (
    SMALL_SAMPLE,
    Better,
    Comparison,
    _is_normal,
    _normality,
    _two_samples,
)
from .groups import Anova, anova_oneway, equal_variances, kruskal_wallis, mood_median
from .means import compare_means, compare_variances
from .nonparametric import compare_medians
from .one_sample import (
    TargetTest,
    one_sample_proportion,
    one_sample_rate,
    one_sample_t,
    one_sample_wilcoxon,
)
from .proportions import ChiSquare, chi_square, compare_proportions
from .rates import compare_rates

__all__ = [
    "Anova", "ChiSquare", "Comparison", "TargetTest", "anova_oneway", "chi_square", "compare",
    "compare_groups", "compare_means", "compare_medians", "compare_proportions",
    "compare_rates", "compare_variances", "equal_variances", "kruskal_wallis", "mood_median",
    "one_sample_proportion", "one_sample_rate", "one_sample_t", "one_sample_wilcoxon",
]


def compare(
    before: Any, after: Any, *more: Any,
    kind: Literal["continuous", "proportion", "rate"] = "continuous",
    better: Better = "lower", paired: bool = False, alpha: float = 0.05, unit: str = "",
) -> Comparison | Anova:
    """Choose the test the data call for and run it; ``reason`` says why.

    Three or more continuous groups (``compare(g1, g2, g3, ...)``) go to ``compare_groups``.

    continuous: the t-test (Welch, or paired) unless a sample of fewer than 30 fails the
    normality check (Anderson-Darling, Shapiro-Wilk below 8 points, at 0.05), in which case
    Mann-Whitney (Wilcoxon signed-rank when paired). With 30 or more points per sample the
    t-test stands on the central limit theorem.
    proportion: ``before`` and ``after`` are (count, size) pairs.
    rate: ``before`` and ``after`` are (events, exposure) pairs.
    """
    if more:
        if kind != "continuous" or paired:
            raise StatsInputError("three or more groups: only independent continuous data "
                                  "(kind='continuous', paired=False)")
        return compare_groups(before, after, *more, alpha=alpha)
    if kind == "proportion":
        (x1, n1), (x2, n2) = _pair(before, "before"), _pair(after, "after")
        return compare_proportions(x1, n1, x2, n2, better=better, alpha=alpha, unit=unit)
    if kind == "rate":
        (c1, t1), (c2, t2) = _pair(before, "before"), _pair(after, "after")
        return compare_rates(c1, t1, c2, t2, better=better, alpha=alpha, unit=unit)
    if kind != "continuous":
        raise StatsInputError(f"kind must be 'continuous', 'proportion' or 'rate', got {kind!r}")
    b, a, _ = _two_samples(before, after, paired, min_n=2)
    samples = {"differences": a - b} if paired else {"before": b, "after": a}
    failing = [name for name, x in samples.items()
               if x.size < SMALL_SAMPLE and _is_normal(_normality(x)) is False]
    if failing:
        reason = (f"normality fails for the {' and '.join(failing)} on a small sample "
                  f"(< {SMALL_SAMPLE}): rank test")
        return compare_medians(before, after, paired=paired, better=better, alpha=alpha,
                               unit=unit, _reason=reason)
    untested = [name for name, x in samples.items() if x.size < 3]
    if paired:
        reason = "paired data, differences consistent with normal: paired t-test"
    elif min(b.size, a.size) >= SMALL_SAMPLE:
        reason = (f"{SMALL_SAMPLE} or more points per sample: Welch t-test "
                  "(the central limit theorem covers moderate non-normality)")
    else:
        reason = "samples consistent with normal: Welch t-test (no equal-variance assumption)"
    if untested:
        reason += f"; too few points to check normality of the {' and '.join(untested)}"
    return compare_means(before, after, paired=paired, better=better, alpha=alpha, unit=unit,
                         _reason=reason)


def compare_groups(*groups: Any, alpha: float = 0.05) -> Anova:
    """Choose among the tests for several groups and run it; ``reason`` says why.

    A group of fewer than 30 values that fails the normality check (as ``compare``) sends
    all to Kruskal-Wallis (ranks). Otherwise the Brown-Forsythe test decides on the
    variances: equal (p >= 0.05) gives the classic ANOVA with Tukey's pairs, unequal gives
    Welch's ANOVA with Games-Howell pairs.
    """
    if len(groups) < 2:
        raise StatsInputError(f"need at least 2 groups, got {len(groups)}")
    xs = [clean_1d(g, name=f"group {i + 1}", min_n=2)[0] for i, g in enumerate(groups)]
    failing = [str(i + 1) for i, x in enumerate(xs)
               if x.size < SMALL_SAMPLE and _is_normal(_normality(x)) is False]
    if failing:
        result = kruskal_wallis(*groups, alpha=alpha)
        reason = (f"normality fails for group{'s' if len(failing) > 1 else ''} "
                  f"{', '.join(failing)} on a small sample (< {SMALL_SAMPLE}): Kruskal-Wallis "
                  "test on ranks")
    else:
        spread = equal_variances(*groups, alpha=alpha)
        equal = spread.p_value >= 0.05
        result = anova_oneway(*groups, welch=not equal, alpha=alpha)
        reason = (("groups consistent with normal" if min(x.size for x in xs) < SMALL_SAMPLE
                   else f"{SMALL_SAMPLE} or more values per group") + "; " + (
            f"Brown-Forsythe finds no difference in spread (p = {spread.p_value:.3g}): "
            "one-way ANOVA with Tukey's pairwise comparisons" if equal else
            f"Brown-Forsythe finds unequal spread (p = {spread.p_value:.3g}): Welch's ANOVA "
            "with Games-Howell pairwise comparisons"))
    return dataclasses.replace(result, reason=reason)


def _pair(value: Any, label: str) -> tuple[Any, Any]:
    try:
        first, second = value
    except (TypeError, ValueError):
        raise StatsInputError(f"{label}: expected a (count, size or exposure) pair, "
                              f"got {value!r}") from None
    return first, second
