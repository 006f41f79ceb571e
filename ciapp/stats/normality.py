"""Anderson-Darling test for normality, with the p-value that Minitab and R's nortest use.

Kept apart from capability and comparisons, which both check normality with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._base import Result

__all__ = ["AndersonDarling", "anderson_darling", "AD_MIN_N"]

AD_MIN_N = 8
"""Fewest points nortest::ad.test accepts; below it the p-value formula is not calibrated."""


@dataclass(frozen=True)
class AndersonDarling(Result):
    """Anderson-Darling normality test with mean and sd estimated from the data.

    ``statistic`` is A-squared as Minitab and ``nortest::ad.test`` print it; ``p_value`` comes
    from the small-sample adjusted A* = A2 (1 + 0.75/n + 2.25/n^2) through the piecewise
    formula of D'Agostino & Stephens (1986, Table 4.9).
    """

    statistic: float
    adjusted: float
    p_value: float
    n: int
    method: str = "Anderson-Darling (D'Agostino & Stephens p-value)"

    def normal(self, alpha: float = 0.05) -> bool:
        return self.p_value >= alpha


def _p_value(aa: float) -> float:
    if aa < 0.2:
        return 1.0 - math.exp(-13.436 + 101.14 * aa - 223.73 * aa**2)
    if aa < 0.34:
        return 1.0 - math.exp(-8.318 + 42.796 * aa - 59.938 * aa**2)
    if aa < 0.6:
        return math.exp(0.9177 - 4.279 * aa - 1.38 * aa**2)
    if aa < 10:
        return math.exp(1.2937 - 5.709 * aa + 0.0186 * aa**2)
    return 3.7e-24


def anderson_darling(x: np.ndarray) -> AndersonDarling | None:
    """Test a clean 1-D sample; ``None`` when it is too small or has no spread.

    Returns ``None`` rather than raising because callers (capability, compare) report an
    untestable sample as a warning, not as an error.
    """
    from scipy import special

    n = int(x.size)
    if n < AD_MIN_N:
        return None
    sd = float(np.std(x, ddof=1))
    if not sd > 0:
        return None
    z = np.sort((x - x.mean()) / sd)
    log_cdf = special.log_ndtr(z)
    log_sf = special.log_ndtr(-z[::-1])
    i = np.arange(1, n + 1)
    a2 = float(-n - np.sum((2 * i - 1) * (log_cdf + log_sf)) / n)
    aa = a2 * (1.0 + 0.75 / n + 2.25 / n**2)
    return AndersonDarling(statistic=a2, adjusted=aa, p_value=_p_value(aa), n=n)
