"""Counts: two proportions (z-test or Fisher's exact), two Poisson rates, contingency tables."""

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
    _finite_or_none,
    _load_sm_warnings,
    _power_pair,
    _quiet,
    _z_p,
)
from ._numeric import MAX_MAGNITUDE

__all__ = ["ChiSquare", "chi_square", "compare_proportions", "compare_rates"]


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


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, *, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "",
    method: Literal["auto", "z", "fisher"] = "auto",
) -> Comparison:
    """Two-proportion z-test (pooled, no continuity correction), or Fisher's exact test.

    With ``method="auto"`` Fisher's exact test replaces the z-test when any expected count of
    the 2x2 table is below 5; ``"z"`` or ``"fisher"`` force one.
    ``x1`` of ``n1`` before, ``x2`` of ``n2`` after. The interval for p2 - p1 is the
    unpooled Wald interval. Power and sample size: statsmodels ``NormalIndPower`` with
    Cohen's h (``proportion_effectsize``).
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    if method not in ("auto", "z", "fisher"):
        raise StatsInputError(f"method must be 'auto', 'z' or 'fisher', got {method!r}")
    _check_counts(x1, n1, "before")
    _check_counts(x2, n2, "after")
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    table = np.array([[x2, n2 - x2], [x1, n1 - x1]], dtype=float)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if pooled in (0.0, 1.0):
        raise StatsInputError("every item is a success (or none is) in both samples: "
                              "nothing to test")
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se0
    if method == "fisher" or (method == "auto" and expected.min() < 5):
        res = stats.fisher_exact(table.astype(int), alternative=alternative)
        test, statistic, p = "Fisher's exact test", float(res.statistic), float(res.pvalue)
        reason = (f"an expected count is below 5 ({expected.min():.2g}): Fisher's exact test"
                  if method == "auto" else "Fisher's exact test on request")
    else:
        test, statistic = "two-proportion z-test", z
        p = _z_p(z, alternative)
        reason = ("all expected counts are at least 5: two-proportion z-test"
                  if method == "auto" else "two-proportion z-test on request")
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    half = stats.norm.isf(alpha / 2) * se
    power, need = _power_prop(p1, p2, n1, n2, alpha, alternative)
    return _finish(
        test=test, statistic=statistic, p=p, df=None, alternative=alternative, alpha=alpha,
        better=better, measure="proportion", before=p1, after=p2, change=p2 - p1,
        ci=(p2 - p1 - half, p2 - p1 + half), n_b=int(n1), n_a=int(n2), n_missing=0,
        assumptions={"expected_counts": readonly(expected), "min_expected": float(expected.min()),
                     "n_before": int(n1), "n_after": int(n2)},
        power=power, n_needed=need, unit=unit, reason=reason,
    )


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


# -- rates ------------------------------------------------------------------------------------


def compare_rates(
    c1: int, t1: float, c2: int, t2: float, *, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "",
) -> Comparison:
    """Exact conditional test of two Poisson rates (as R's ``poisson.test``).

    Given the total count, the after count is binomial with p = t2 / (t1 + t2) under equal
    rates; the test is SciPy's exact binomial test and the rate-ratio interval comes from the
    Clopper-Pearson interval for p. ``change`` is rate2 - rate1 (events per unit exposure);
    its interval is rate1 times (ratio interval - 1), and the percent interval is exact.
    statsmodels' score test (``test_poisson_2indep``) is reported in ``assumptions`` as a
    second opinion. ``power`` is statsmodels' ``power_poisson_ratio_2indep`` (Wald-type test
    of the log rate ratio) at the observed rates and exposures; no sample size is given,
    since for rates it is an exposure.
    """
    from scipy import stats
    from statsmodels.stats.rates import test_poisson_2indep

    _check_options(alternative, better, alpha)
    for label, c, t in (("before", c1, t1), ("after", c2, t2)):
        if isinstance(c, bool) or c != int(c) or c < 0:
            raise StatsInputError(f"{label} count must be a whole number >= 0, got {c!r}")
        if not (math.isfinite(t) and t > 0):
            raise StatsInputError(f"{label} exposure must be a positive number, got {t!r}")
        if not 1 / MAX_MAGNITUDE <= t <= MAX_MAGNITUDE:
            raise StatsInputError(f"{label} exposure {t:g} is out of range: rescale its unit")
    if not 1e-12 <= t1 / t2 <= 1e12:
        raise StatsInputError(f"exposures {t1:g} and {t2:g} differ by more than 10^12 times: "
                              "check that they are in the same unit")
    total = int(c1) + int(c2)
    if total == 0:
        raise StatsInputError("no events in either period: nothing to test")
    r1, r2 = c1 / t1, c2 / t2
    if r1 == 0:
        raise StatsInputError("no events before: the percent change is undefined")
    res = stats.binomtest(int(c2), total, t2 / (t1 + t2), alternative=alternative)
    pci = stats.binomtest(int(c2), total, t2 / (t1 + t2)).proportion_ci(1 - alpha)
    with np.errstate(divide="ignore"):
        ratio_ci = [pp / (1 - pp) * t1 / t2 if pp < 1 else math.inf
                    for pp in (pci.low, pci.high)]
    score = test_poisson_2indep(int(c2), t2, int(c1), t1, method="score",
                                alternative={"two-sided": "two-sided", "less": "smaller",
                                             "greater": "larger"}[alternative])
    return _finish(
        test="exact Poisson rate test (conditional binomial)", statistic=float(c2),
        p=res.pvalue, df=None, alternative=alternative, alpha=alpha, better=better,
        measure="rate", before=r1, after=r2, change=r2 - r1,
        ci=(r1 * (ratio_ci[0] - 1), r1 * (ratio_ci[1] - 1)), n_b=int(c1), n_a=int(c2),
        n_missing=0,
        assumptions={"rate_ratio": r2 / r1, "rate_ratio_ci": (ratio_ci[0], ratio_ci[1]),
                     "expected_after_count": total * t2 / (t1 + t2),
                     "score_test_p_value": float(score.pvalue)},
        power=_power_rates(r1, r2, t1, t2, alpha, alternative), n_needed=None, unit=unit,
        pct_ci=((ratio_ci[0] - 1) * 100, (ratio_ci[1] - 1) * 100),
    )


def _power_rates(r1: float, r2: float, t1: float, t2: float, alpha: float,
                 alternative: str) -> float | None:
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    if r2 <= 0 or r1 <= 0 or r1 == r2:
        return None
    alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    if alt != "two-sided" and (r2 > r1) != (alt == "larger"):
        return None
    _load_sm_warnings()
    with _quiet():
        value = power_poisson_ratio_2indep(rate1=r2, rate2=r1, nobs1=t2, nobs_ratio=t1 / t2,
                                           value=1, alpha=alpha, alternative=alt,
                                           return_results=False)
    return _finite_or_none(value)


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


