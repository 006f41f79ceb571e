"""Guards for the floating-point range, so extreme input fails with a message, not overflow."""

from __future__ import annotations

import numpy as np

from ._base import StatsInputError

MAX_MAGNITUDE = 1e100
"""Largest |value| accepted: squares and sums of 10^6 such values stay finite in float64."""


def check_scale(x: np.ndarray, name: str = "data") -> None:
    """Raise when values are so large that sums of squares would overflow."""
    if x.size and float(np.max(np.abs(x))) > MAX_MAGNITUDE:
        raise StatsInputError(
            f"{name}: values beyond {MAX_MAGNITUDE:g} in magnitude; rescale the data "
            "(another unit) before analysing it"
        )


def check_scalar(value: float | None, name: str) -> None:
    if value is not None and abs(value) > MAX_MAGNITUDE:
        raise StatsInputError(f"{name} ({value:g}) is beyond {MAX_MAGNITUDE:g} in magnitude")


MIN_MAGNITUDE = 1e-100
"""Below this largest |value|, squared deviations would underflow: data are rescaled first."""


def unit_scale(x: np.ndarray) -> float:
    """A power of two that brings tiny data (all below ``MIN_MAGNITUDE``) near 1, else 1.

    Dividing by a power of two is exact, so the statistics of ``x / scale`` times ``scale``
    are those of ``x`` without the underflow of squares near 1e-300.
    """
    if not x.size:
        return 1.0
    with np.errstate(invalid="ignore"):
        top = float(np.nanmax(np.abs(x))) if not np.isnan(x).all() else 0.0
    if top == 0.0 or not top < MIN_MAGNITUDE:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1])))
