"""Counts: two proportions (z-test or Fisher's exact) and contingency tables."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._base import Result, StatsInputError, readonly
from ._compare_core import (
    TARGET_POWER,
    Alternative,
    Better,
    Comparison,
    _check_options,
    _finish,
    _load_sm_warnings,
    _power_pair,
    _quiet,
    _z_p,
)

__all__ = ["ChiSquare", "chi_square", "compare_proportions"]


@dataclass(frozen=True)
class ChiSquare(Result):
    """Pearson chi-square test of independence on a contingency table."""

    statistic: float
    p_value: float
    df: int
    expected: np.ndarray
    yates: bool
    significant: bool
    alpha: float
    warnings: tuple[str, ...] = field(default_factory=tuple)


# -- proportions --------------------------------------------------------------------------------


def _check_counts(x: float, n: float, label: str) -> None:
    for name, v in ((f"{label} count", x), (f"{label} size", n)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer, float)) or \
                not math.isfinite(v) or v != int(v):
            raise StatsInputError(f"{name} must be a whole number, got {v!r}")
    if x < 0:
        raise StatsInputError(f"{label} count is negative ({x})")
    if n <= 0:
        raise StatsInputError(f"{label} size must be positive, got {n}")
    if x > n:
        raise StatsInputError(f"{label} count ({x}) exceeds its sample size ({n})")


FISHER_MAX_N = 10**9
"""Largest total Fisher's exact test is run on: beyond it the z-test is exact to print."""


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, *, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "",
    method: Literal["auto", "z", "fisher"] = "auto", correction: bool = False,
) -> Comparison:
    """Two-proportion z-test (pooled), or Fisher's exact test.

    ``x1`` of ``n1`` before, ``x2`` of ``n2`` after. With ``method="auto"`` Fisher's exact
    test replaces the z-test when any expected count of the 2x2 table is below 5; ``"z"`` or
    ``"fisher"`` force one.

    ``correction=False`` (Minitab's default) is the plain pooled z-test with the Wald interval
    for p2 - p1. ``correction=True`` applies Yates' continuity correction to the test and the
    interval exactly as R's ``prop.test`` does by default (the statistic is then the signed
    square root of R's X-squared); the two can fall on either side of 0.05, so ``method``
    names which was used. Fisher's ``statistic`` is the conditional maximum-likelihood odds
    ratio of after versus before (R's ``fisher.test`` estimate), with its exact interval in
    ``assumptions["odds_ratio_ci"]`` for the same ``alternative``.
    Power and sample size: statsmodels ``NormalIndPower`` with Cohen's h.
    """
    _check_options(alternative, better, alpha)
    if method not in ("auto", "z", "fisher"):
        raise StatsInputError(f"method must be 'auto', 'z' or 'fisher', got {method!r}")
    if not isinstance(correction, bool):
        raise StatsInputError(f"correction must be True or False, got {correction!r}")
    _check_counts(x1, n1, "before")
    _check_counts(x2, n2, "after")
    p1, p2 = x1 / n1, x2 / n2
    pooled = x1 / (n1 + n2) + x2 / (n1 + n2)
    if pooled in (0.0, 1.0):
        raise StatsInputError("every item is a success (or none is) in both samples: "
                              "nothing to test")
    # expected counts as row total x column share: the outer product of the totals
    # overflows for sizes near 1e300
    rows = np.array([n2, n1], dtype=float)
    expected = np.column_stack([rows * pooled, rows * (1 - pooled)])
    assumptions: dict[str, Any] = {
        "expected_counts": readonly(expected), "min_expected": float(expected.min()),
        "n_before": int(n1), "n_after": int(n2)}
    inv_n = 1 / n1 + 1 / n2
    yates = min(0.5, abs(p2 - p1) / inv_n) if correction else 0.0
    use_fisher = method == "fisher" or (method == "auto" and expected.min() < 5)
    if use_fisher:
        if n1 + n2 > FISHER_MAX_N:
            raise StatsInputError(f"Fisher's exact test is for tables up to {FISHER_MAX_N:g} "
                                  "items; use method='z' (exact to every printed digit here)")
        statistic, p, or_ci = _fisher(int(x1), int(n1), int(x2), int(n2), alternative, alpha)
        test = "Fisher's exact test"
        assumptions.update(odds_ratio=statistic, odds_ratio_ci=or_ci)
        desc = ("Fisher's exact test; odds ratio after/before is the conditional maximum-"
                "likelihood estimate (as R's fisher.test)")
        reason = (f"an expected count is below 5 ({expected.min():.2g}): Fisher's exact test"
                  if method == "auto" else "Fisher's exact test on request")
    else:
        # R prop.test: X^2 = (|x - E| - Y)^2 summed over the four cells, which for a 2x2
        # table is this; z is its signed square root.
        gap = max(abs(p2 - p1) / inv_n - yates, 0.0)
        statistic = math.copysign(gap * math.sqrt(inv_n / (pooled * (1 - pooled))), p2 - p1)
        p = _z_p(statistic, alternative)
        test = "two-proportion z-test"
        desc = ("two-proportion z-test (pooled) with Yates' continuity correction, as R's "
                "prop.test default" if correction else
                "two-proportion z-test (pooled), no continuity correction (Minitab's default)")
        reason = ("all expected counts are at least 5: two-proportion z-test"
                  if method == "auto" else "two-proportion z-test on request")
    half = _z_crit(alpha) * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) + yates * inv_n
    ci = (max(p2 - p1 - half, -1.0), min(p2 - p1 + half, 1.0))
    power, need = _power_prop(p1, p2, n1, n2, alpha, alternative)
    return _finish(
        test=test, statistic=statistic, p=p, df=None, alternative=alternative, alpha=alpha,
        better=better, measure="proportion", before=p1, after=p2, change=p2 - p1, ci=ci,
        n_b=int(n1), n_a=int(n2), n_missing=0, assumptions=assumptions, power=power,
        n_needed=need, unit=unit, reason=reason, method=desc,
    )


def _z_crit(alpha: float) -> float:
    from scipy import stats

    return float(stats.norm.isf(alpha / 2))


def _fisher(x1: int, n1: int, x2: int, n2: int, alternative: str,
            alpha: float) -> tuple[float, float, tuple[float, float]]:
    """p-value, conditional MLE odds ratio (after vs before) and its exact interval.

    SciPy's ``odds_ratio(kind="conditional")`` solves the same equations as R's
    ``fisher.test``, to full precision (R's uniroot stops at about 1e-4).
    """
    from scipy import stats
    from scipy.stats.contingency import odds_ratio

    table = np.array([[x2, n2 - x2], [x1, n1 - x1]])
    with _quiet():
        p = float(stats.fisher_exact(table, alternative=alternative).pvalue)
        res = odds_ratio(table, kind="conditional")
        ci = res.confidence_interval(confidence_level=1 - alpha, alternative=alternative)
    return float(res.statistic), p, (float(ci.low), float(ci.high))


def _power_prop(p1: float, p2: float, n1: int, n2: int, alpha: float,
                alternative: str) -> tuple[float | None, int | None]:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    _load_sm_warnings()
    h = float(proportion_effectsize(p2, p1))
    if h == 0 or not math.isfinite(h):
        return None, None
    alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    if alt != "two-sided" and (h > 0) != (alt == "larger"):
        return None, None
    solver = NormalIndPower()
    with _quiet():
        power = solver.power(effect_size=h, nobs1=n1, ratio=n2 / n1, alpha=alpha,
                             alternative=alt)
        need = solver.solve_power(effect_size=abs(h) if alt == "two-sided" else h, nobs1=None,
                                  ratio=1.0, alpha=alpha, power=TARGET_POWER, alternative=alt)
    return _power_pair(power, need)


def chi_square(table: Any, *, correction: bool = True, alpha: float = 0.05) -> ChiSquare:
    """Pearson chi-square test of independence, Yates-corrected for 2x2 tables (as R)."""
    from scipy import stats

    try:
        t = np.array(table, dtype=float)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"table: counts must be numbers ({exc})") from None
    if t.ndim != 2 or min(t.shape) < 2:
        raise StatsInputError(f"table must be 2-D with at least 2 rows and 2 columns, "
                              f"got shape {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(t != np.round(t)):
        raise StatsInputError("table: counts must be finite whole numbers >= 0")
    if np.any(t.sum(axis=0) == 0) or np.any(t.sum(axis=1) == 0):
        raise StatsInputError("table: a row or column has no counts")
    res = stats.chi2_contingency(t, correction=correction)
    yates = bool(correction and t.shape == (2, 2))
    warn = []
    if res.expected_freq.min() < 5:
        warn.append(f"an expected count is {res.expected_freq.min():.2g} (< 5): the chi-square "
                    "approximation may be poor; for a 2x2 table use Fisher's exact test")
    return ChiSquare(statistic=float(res.statistic), p_value=float(res.pvalue), df=int(res.dof),
                     expected=readonly(res.expected_freq), yates=yates,
                     significant=bool(res.pvalue < alpha), alpha=alpha, warnings=tuple(warn))


