"""Power and sample size for t-tests and two-proportion tests (statsmodels.stats.power).

``delta`` is the difference in means to detect and ``sd`` the standard deviation (of the
data, or of the paired differences); for proportions, ``p1`` (before) and ``p2`` (after)
give Cohen's h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1)). One-sided alternatives are about
after - before: "greater" means the change to detect is an increase.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from ._base import Result, StatsInputError

__all__ = ["PowerResult", "power", "sample_size"]

Test = Literal["two-sample", "one-sample", "paired", "proportions"]
_ALT = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}


@dataclass(frozen=True)
class PowerResult(Result):
    """Power of a test, or the sample size it needs.

    ``n`` is per group (two-sample and proportions; the after group has ``ratio * n``) or the
    number of observations or pairs (one-sample, paired). ``n_exact`` is the unrounded
    solution; ``n`` rounds it up when it was solved for.
    """

    test: str
    method: str
    solved_for: str
    effect_size: float
    n: int
    n_exact: float
    power: float
    alpha: float
    alternative: str
    ratio: float


def _effect(test: str, delta: float | None, sd: float, p1: float | None,
            p2: float | None) -> float:
    if test == "proportions":
        from statsmodels.stats.proportion import proportion_effectsize

        for label, v in (("p1", p1), ("p2", p2)):
            if v is None or not 0 <= v <= 1:
                raise StatsInputError(f"{label} must be a proportion between 0 and 1, got {v!r}")
        if p1 == p2:
            raise StatsInputError("p1 equals p2: there is no difference to detect")
        return float(proportion_effectsize(p2, p1))
    if delta is None or not math.isfinite(delta) or delta == 0:
        raise StatsInputError(f"delta must be a non-zero finite difference, got {delta!r}")
    if not (math.isfinite(sd) and sd > 0):
        raise StatsInputError(f"sd must be a positive number, got {sd!r}")
    return delta / sd


def _solver(test: str) -> tuple[Any, str]:
    from statsmodels.stats.power import NormalIndPower, TTestIndPower, TTestPower

    if test == "two-sample":
        return TTestIndPower(), "two-sample t-test (statsmodels TTestIndPower)"
    if test in ("one-sample", "paired"):
        return TTestPower(), f"{test} t-test (statsmodels TTestPower)"
    if test == "proportions":
        return NormalIndPower(), "two-proportion z-test, Cohen's h (statsmodels NormalIndPower)"
    raise StatsInputError(f"test must be 'two-sample', 'one-sample', 'paired' or "
                          f"'proportions', got {test!r}")


def _check(alpha: float, alternative: str, ratio: float) -> str:
    if not 0 < alpha < 1:
        raise StatsInputError(f"alpha must be between 0 and 1, got {alpha!r}")
    if alternative not in _ALT:
        raise StatsInputError(f"alternative must be 'two-sided', 'greater' or 'less', "
                              f"got {alternative!r}")
    if not (math.isfinite(ratio) and ratio > 0):
        raise StatsInputError(f"ratio must be a positive number, got {ratio!r}")
    return _ALT[alternative]


def _kwargs(test: str, n: float | None, ratio: float) -> dict[str, Any]:
    if test in ("one-sample", "paired"):
        return {"nobs": n}
    return {"nobs1": n, "ratio": ratio}


def _power_value(solver: Any, es: float, alpha: float, alt: str, test: str, n: float,
                 ratio: float) -> float:
    value = float(solver.power(effect_size=es, alpha=alpha, alternative=alt,
                               **_kwargs(test, n, ratio)))
    if not math.isfinite(value):
        raise StatsInputError(f"power could not be computed for effect size {es:.3g} with n = "
                              f"{n:g} (the noncentral t distribution fails numerically)")
    return value


def power(
    *, n: float, test: Test = "two-sample", delta: float | None = None, sd: float = 1.0,
    p1: float | None = None, p2: float | None = None, alpha: float = 0.05,
    alternative: str = "two-sided", ratio: float = 1.0,
) -> PowerResult:
    """Power to detect ``delta`` (or p1 -> p2) with ``n`` per group at level ``alpha``.

    The two-sided t power counts both rejection tails (R's ``power.t.test(strict = TRUE)``);
    R's default counts one, which differs only for tiny effects.
    """
    alt = _check(alpha, alternative, ratio)
    solver, method = _solver(test)
    minimum = 2 if test in ("one-sample", "paired") else 2
    if not (math.isfinite(n) and n >= minimum):
        raise StatsInputError(f"n must be at least {minimum}, got {n!r}")
    es = _effect(test, delta, sd, p1, p2)
    value = _power_value(solver, es, alpha, alt, test, n, ratio)
    return PowerResult(test=test, method=method, solved_for="power", effect_size=es,
                       n=int(math.ceil(n)), n_exact=float(n), power=value, alpha=alpha,
                       alternative=alternative, ratio=ratio)


def sample_size(
    *, power: float = 0.8, test: Test = "two-sample", delta: float | None = None,
    sd: float = 1.0, p1: float | None = None, p2: float | None = None, alpha: float = 0.05,
    alternative: str = "two-sided", ratio: float = 1.0,
) -> PowerResult:
    """Smallest n (per group) that gives ``power`` to detect ``delta`` (or p1 -> p2)."""
    import numpy as np

    alt = _check(alpha, alternative, ratio)
    if not 0 < power < 1:
        raise StatsInputError(f"power must be between 0 and 1, got {power!r}")
    solver, method = _solver(test)
    es = _effect(test, delta, sd, p1, p2)
    if alt != "two-sided" and (es > 0) != (alt == "larger"):
        raise StatsInputError(f"a one-sided '{alternative}' test cannot detect a change of the "
                              "opposite sign")
    import statsmodels.tools.sm_exceptions  # noqa: F401  (adds its filters before ours)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed root search returns NaN, handled below
        n = float(np.squeeze(solver.solve_power(effect_size=es, alpha=alpha, power=power,
                                                alternative=alt, **_kwargs(test, None, ratio))))
    if not math.isfinite(n):
        floor = _power_value(solver, es, alpha, alt, test, 2, ratio)
        if floor < power:
            raise StatsInputError(f"effect size {es:.3g} is too small: the sample size needed "
                                  "is beyond what the solver can find")
        n = 2.0  # the effect is so large that the smallest usable sample already suffices
    achieved = _power_value(solver, es, alpha, alt, test, math.ceil(n), ratio)
    return PowerResult(test=test, method=method, solved_for="n", effect_size=es,
                       n=int(math.ceil(n - 1e-9)), n_exact=n, power=achieved, alpha=alpha,
                       alternative=alternative, ratio=ratio)
