"""Poisson rates: two rates compared exactly (as R's ``poisson.test``)."""

from __future__ import annotations

import math

import numpy as np

from ._base import StatsInputError
from ._compare_core import (
    Alternative,
    Better,
    Comparison,
    _check_options,
    _finish,
    _finite_or_none,
    _load_sm_warnings,
    _quiet,
)
from ._numeric import MAX_MAGNITUDE

__all__ = ["compare_rates"]


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


