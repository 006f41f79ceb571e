"""Control chart constants computed exactly for any subgroup size n >= 2.

d2(n) is the expected range of n standard normal values and d3(n) its standard deviation,
both by numerical integration of the distribution of the range (Tippett, 1925); c4(n) is the
bias of the sample standard deviation, from the gamma function. No table, so no upper limit
on n.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ._base import StatsInputError

__all__ = ["c4", "d2", "d3", "A2", "D3", "D4", "B3", "B4"]


def _check_n(n: int) -> int:
    if isinstance(n, bool) or int(n) != n or n < 2:
        raise StatsInputError(f"subgroup size must be a whole number >= 2, got {n!r}")
    return int(n)


@lru_cache(maxsize=4096)
def _d2(n: int) -> float:
    if n == 2:  # the moving range of the I-MR chart: E|X1 - X2| = 2/sqrt(pi), exactly
        return 2.0 / math.sqrt(math.pi)
    from scipy import integrate, stats

    def integrand(x: float) -> float:
        return 1.0 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n

    value, _ = integrate.quad(integrand, -math.inf, math.inf, epsabs=1e-12, epsrel=1e-12,
                              limit=200)
    return float(value)


@lru_cache(maxsize=4096)
def _d3(n: int) -> float:
    from scipy import integrate, special

    def ncdf(x: float) -> float:
        return 0.5 * special.erfc(-x / math.sqrt(2.0))

    def inner(x: float) -> float:
        fx = ncdf(x)
        sx = 1.0 - fx

        def f(y: float) -> float:
            fy = ncdf(y)
            return 1.0 - fy**n - sx**n + (fy - fx) ** n

        return integrate.quad(f, x, math.inf, epsabs=1e-11, epsrel=1e-11, limit=200)[0]

    second_moment_half, _ = integrate.quad(inner, -math.inf, math.inf, epsabs=1e-11,
                                           epsrel=1e-11, limit=200)
    variance = 2.0 * second_moment_half - _d2(n) ** 2
    return math.sqrt(max(variance, 0.0))


def d2(n: int) -> float:
    """Expected range of ``n`` independent standard normal values (``E[R]/sigma``)."""
    return _d2(_check_n(n))


def d3(n: int) -> float:
    """Standard deviation of the range of ``n`` standard normal values (``sd(R)/sigma``)."""
    return _d3(_check_n(n))


def c4(n: int) -> float:
    """``E[s]/sigma`` for a sample of ``n`` normal values: sqrt(2/(n-1)) G(n/2) / G((n-1)/2)."""
    n = _check_n(n)
    return math.exp(
        0.5 * math.log(2.0 / (n - 1)) + math.lgamma(n / 2.0) - math.lgamma((n - 1) / 2.0)
    )


def A2(n: int) -> float:
    """Xbar chart factor with R: limits are Xbar +/- A2 * Rbar."""
    return 3.0 / (d2(n) * math.sqrt(n))


def D3(n: int) -> float:
    """R chart lower factor, floored at 0."""
    return max(0.0, 1.0 - 3.0 * d3(n) / d2(n))


def D4(n: int) -> float:
    """R chart upper factor."""
    return 1.0 + 3.0 * d3(n) / d2(n)


def B3(n: int) -> float:
    """S chart lower factor, floored at 0."""
    c = c4(n)
    return max(0.0, 1.0 - 3.0 * math.sqrt(1.0 - c * c) / c)


def B4(n: int) -> float:
    """S chart upper factor."""
    c = c4(n)
    return 1.0 + 3.0 * math.sqrt(1.0 - c * c) / c
