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
