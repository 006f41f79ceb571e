"""Before / after comparisons that say, in one sentence, whether the change is an improvement.

The tests live by family in ``means`` (t-tests, variances), ``nonparametric`` (rank tests),
``proportions`` (proportions, rates, tables) and ``groups`` (several groups); this module
holds the chooser ``compare`` and re-exports them all, so ``ciapp.stats.compare`` keeps every
name it always had. Conventions (before first, change = after - before) are in
``_compare_core``.
"""

from __future__ import annotations

from typing import Any, Literal

from ._base import StatsInputError
from ._compare_core import (
    SMALL_SAMPLE,
    Better,
    Comparison,
    _is_normal,
    _normality,
    _two_samples,
)
from .groups import Anova, anova_oneway
from .means import compare_means, compare_variances
from .nonparametric import compare_medians
from .proportions import ChiSquare, chi_square, compare_proportions
from .rates import compare_rates

__all__ = [
    "Anova", "ChiSquare", "Comparison", "anova_oneway", "chi_square", "compare",
    "compare_means", "compare_medians", "compare_proportions", "compare_rates",
    "compare_variances",
]


def compare(
    before: Any, after: Any, *, kind: Literal["continuous", "proportion", "rate"] = "continuous",
    better: Better = "lower", paired: bool = False, alpha: float = 0.05, unit: str = "",
) -> Comparison:
    """Choose the test the data call for and run it; ``reason`` says why.

    continuous: the t-test (Welch, or paired) unless a sample of fewer than 30 fails the
    normality check (Anderson-Darling, Shapiro-Wilk below 8 points, at 0.05), in which case
    Mann-Whitney (Wilcoxon signed-rank when paired). With 30 or more points per sample the
    t-test stands on the central limit theorem.
    proportion: ``before`` and ``after`` are (count, size) pairs.
    rate: ``before`` and ``after`` are (events, exposure) pairs.
    """
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


def _pair(value: Any, label: str) -> tuple[Any, Any]:
    try:
        first, second = value
    except (TypeError, ValueError):
        raise StatsInputError(f"{label}: expected a (count, size or exposure) pair, "
                              f"got {value!r}") from None
    return first, second
