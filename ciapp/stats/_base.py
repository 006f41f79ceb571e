"""Shared pieces of the statistics package: the input error, result base, data cleaning."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np


class StatsInputError(ValueError):
    """Input that a method cannot use; the message names the problem and where it is."""


def readonly(values: Any, dtype: type = float) -> np.ndarray:
    """Return a read-only numpy array copy, so results stay immutable."""
    arr = np.array(values, dtype=dtype, copy=True)
    arr.setflags(write=False)
    return arr


def _jsonable(value: Any) -> Any:
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Result:
    """Base of every statistics result: frozen, and turns into plain JSON types.

    Non-finite floats become ``None`` in ``to_dict()`` so the output is valid JSON.
    """

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}


def clean_1d(data: Any, *, name: str = "data", min_n: int = 1) -> tuple[np.ndarray, int]:
    """Turn ``data`` into a 1-D float array with missing values (NaN/None) dropped.

    Returns the array and the number of missing values dropped. Infinite values, non-numeric
    entries and too few values raise ``StatsInputError``.
    """
    try:
        arr = np.asarray(
            [np.nan if v is None else v for v in data] if not isinstance(data, np.ndarray)
            else data,
            dtype=float,
        )
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"{name}: values must be numbers ({exc})") from None
    if arr.ndim != 1:
        raise StatsInputError(f"{name}: expected a 1-D sequence of numbers, got {arr.ndim}-D")
    if np.isinf(arr).any():
        where = int(np.flatnonzero(np.isinf(arr))[0])
        raise StatsInputError(f"{name}: infinite value at position {where + 1}")
    missing = np.isnan(arr)
    n_missing = int(missing.sum())
    if n_missing:
        arr = arr[~missing]
    if arr.size < min_n:
        raise StatsInputError(
            f"{name}: needs at least {min_n} values, got {arr.size}"
            + (f" ({n_missing} missing dropped)" if n_missing else "")
        )
    return arr, n_missing


def check_specs(lsl: float | None, usl: float | None) -> None:
    """Raise when the specification limits cannot both hold."""
    for label, v in (("LSL", lsl), ("USL", usl)):
        if v is not None and not math.isfinite(v):
            raise StatsInputError(f"{label} must be a finite number, got {v!r}")
    if lsl is not None and usl is not None and lsl >= usl:
        raise StatsInputError(f"LSL ({lsl}) must be below USL ({usl})")


