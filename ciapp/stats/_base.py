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


class FrozenList(list):
    """A list that refuses changes: compares, iterates and serialises as a list does."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("results are read-only")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse  # type: ignore

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (list(self),)


class FrozenDict(dict):
    """A dict that refuses changes: compares equal to, and serialises as, a plain dict."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("results are read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (dict(self),)


_SCALARS = frozenset({int, float, str, bool, bytes, type(None)})


def deep_freeze(value: Any) -> Any:
    """Read-only copy of nested dicts, lists and arrays (tuples and scalars pass through).

    Lists and dicts stay list and dict subclasses so existing comparisons such as
    ``chart.violations == {1: [3]}`` keep holding; arrays become read-only views. Already
    frozen parts are returned as they are, so freezing twice costs one scan.
    """
    if isinstance(value, np.ndarray):
        if value.flags.writeable:
            value = value.view()
            value.setflags(write=False)
        return value
    if type(value) in _SCALARS or isinstance(value, (Result, np.generic)):
        return value
    if isinstance(value, Mapping):
        items = {k: deep_freeze(v) for k, v in value.items()}
        if isinstance(value, FrozenDict) and all(items[k] is v for k, v in value.items()):
            return value
        return FrozenDict(items)
    if isinstance(value, (list, tuple)):
        if set(map(type, value)) <= _SCALARS:  # the common case, e.g. violation positions
            frozen, same = value, True
        else:
            frozen = [deep_freeze(v) for v in value]
            same = all(a is b for a, b in zip(frozen, value, strict=True))
        if isinstance(value, tuple):
            if same:
                return value
            return type(value)(*frozen) if hasattr(value, "_fields") else tuple(frozen)
        if same and isinstance(value, FrozenList):
            return value
        return FrozenList(frozen)
    return value


_PLAIN = frozenset({str, int, bool, type(None)})  # JSON as they are


def _jsonable(value: Any) -> Any:
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biu":
            return value.tolist()
        if value.dtype.kind == "f" and value.ndim == 1:
            # A chart of a million points: one tolist, then None only where not finite,
            # instead of a Python call per value.
            out = value.tolist()
            if not all_finite(value):
                for i in np.flatnonzero(~np.isfinite(value)).tolist():
                    out[i] = None
            return out
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if set(map(type, value)) <= _PLAIN:  # e.g. a million stage labels
            return list(value)
        return [_jsonable(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Result:
    """Base of every statistics result: frozen, and turns into plain JSON types.

    Non-finite floats become ``None`` in ``to_dict()`` so the output is valid JSON.
    """

    def __post_init__(self) -> None:
        # Deeply read-only: a caller cannot change chart.violations[1] or cap.ci["cp"] in
        # place and so make a result disagree with the data it came from.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            frozen = deep_freeze(value)
            if frozen is not value:
                object.__setattr__(self, f.name, frozen)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}


def as_float_array(data: Any, name: str = "data") -> np.ndarray:
    """A float array from numbers or None (-> NaN), any shape; infinities raise.

    The one place where raw input becomes numbers: every function of the package reads its
    data through here (directly or through ``clean_1d``), so None, NaN, strings and
    infinities mean the same thing everywhere.
    """
    try:
        if isinstance(data, np.ndarray):
            arr = np.asarray(data, dtype=float)  # no copy: callers never write into it
        elif isinstance(data, (str, bytes)):
            raise TypeError(f"got text {data!r}")
        else:
            arr = np.asarray([np.nan if v is None else v for v in data], dtype=float)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"{name}: values must be numbers ({exc})") from None
    if not all_finite(arr):
        bad = np.isinf(arr)
        if bad.any():
            where = int(np.flatnonzero(bad.ravel())[0])
            raise StatsInputError(f"{name}: infinite value at position {where + 1}")
    return arr


def all_finite(arr: np.ndarray) -> bool:
    """True when no value is NaN or infinite, in one pass without a temporary array: a
    finite sum proves it (an overflowing sum falls back to the exact check)."""
    with np.errstate(all="ignore"):
        if np.isfinite(np.add.reduce(arr, axis=None)):
            return True
    return bool(np.isfinite(arr).all())


def clean_1d(data: Any, *, name: str = "data", min_n: int = 1) -> tuple[np.ndarray, int]:
    """Turn ``data`` into a 1-D float array with missing values (NaN/None) dropped.

    Returns the array and the number of missing values dropped. Infinite values, non-numeric
    entries and too few values raise ``StatsInputError``.
    """
    arr = as_float_array(data, name)
    if arr.ndim != 1:
        raise StatsInputError(f"{name}: expected a 1-D sequence of numbers, got {arr.ndim}-D")
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


