"""Guards for the floating-point range, so extreme input fails with a message, not overflow."""

from __future__ import annotations

import numpy as np

from ._base import StatsInputError

MAX_MAGNITUDE = 1e100
"""Largest |value| accepted: squares and sums of 10^6 such values stay finite in float64."""


def magnitude(x: np.ndarray) -> float:
    """Largest |value| (NaN ignored), from min and max: two passes, no temporary array."""
    if not x.size:
        return 0.0
    lo, hi = float(x.min()), float(x.max())
    if np.isnan(lo) or np.isnan(hi):  # only then the slower NaN-aware pass
        with np.errstate(invalid="ignore"):
            if np.isnan(x).all():
                return 0.0
            lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
    return max(-lo, hi)


def check_scale(x: np.ndarray, name: str = "data", top: float | None = None) -> None:
    """Raise when values are so large that sums of squares would overflow."""
    if x.size and (magnitude(x) if top is None else top) > MAX_MAGNITUDE:
        raise StatsInputError(
            f"{name}: values beyond {MAX_MAGNITUDE:g} in magnitude; rescale the data "
            "(another unit) before analysing it"
        )


def check_scalar(value: float | None, name: str) -> None:
    if value is not None and abs(value) > MAX_MAGNITUDE:
        raise StatsInputError(f"{name} ({value:g}) is beyond {MAX_MAGNITUDE:g} in magnitude")


MIN_MAGNITUDE = 1e-100
"""Below this largest |value|, squared deviations would underflow: data are rescaled first."""


def unit_scale(x: np.ndarray, top: float | None = None) -> float:
    """A power of two that brings tiny data (all below ``MIN_MAGNITUDE``) near 1, else 1.

    Dividing by a power of two is exact, so the statistics of ``x / scale`` times ``scale``
    are those of ``x`` without the underflow of squares near 1e-300.
    """
    if top is None:
        top = magnitude(x)
    if top == 0.0 or not top < MIN_MAGNITUDE:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1])))
