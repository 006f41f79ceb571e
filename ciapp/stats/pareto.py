"""Pareto analysis: categories by count, cumulative percent, and the vital few."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, readonly
from ._numeric import MAX_MAGNITUDE

__all__ = ["Pareto", "pareto"]


@dataclass(frozen=True)
class Pareto(Result):
    """Categories sorted by count, largest first (ties keep their first-seen order).

    ``vital_few`` are the leading categories needed to reach ``threshold`` of the total:
    the category that crosses the threshold is included.
    """

    labels: tuple[str, ...]
    counts: np.ndarray
    percent: np.ndarray
    cumulative_percent: np.ndarray
    total: float
    threshold: float
    vital_few: tuple[str, ...]
    merged_duplicates: tuple[str, ...]


def pareto(labels: Sequence[Any], counts: Sequence[float], *, vital_few: float = 0.8) -> Pareto:
    """Sort categories by count; merge repeated labels by summing their counts.

    Raises
    ------
    StatsInputError
        Lengths differ, no categories, a count that is negative, missing or not finite, a
        total of zero, or ``vital_few`` outside (0, 1].
    """
    if len(labels) != len(counts):
        raise StatsInputError(f"{len(labels)} labels but {len(counts)} counts")
    if not labels:
        raise StatsInputError("pareto needs at least one category")
    if not 0 < vital_few <= 1:
        raise StatsInputError(f"vital_few must be in (0, 1], got {vital_few!r}")
    merged: dict[str, float] = {}
    seen: Counter[str] = Counter()
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        value = _count(count, i, label)
        key = str(label)
        merged[key] = merged.get(key, 0.0) + value
        seen[key] += 1
    dupes = tuple(k for k in merged if seen[k] > 1)
    names = list(merged)
    values = np.array([merged[k] for k in names])
    total = float(values.sum())
    if total <= 0:
        raise StatsInputError("all counts are zero: nothing to rank")
    order = np.argsort(-values, kind="stable")
    values = values[order]
    pct = values / total * 100
    cum = np.cumsum(pct)
    cum[-1] = 100.0
    crossing = int(np.searchsorted(cum, vital_few * 100 - 1e-9)) + 1
    sorted_names = tuple(names[i] for i in order)
    return Pareto(labels=sorted_names, counts=readonly(values), percent=readonly(pct),
                  cumulative_percent=readonly(cum), total=total, threshold=vital_few,
                  vital_few=sorted_names[:crossing], merged_duplicates=dupes)


def _count(value: Any, i: int, label: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise StatsInputError(f"count for {label!r} (row {i + 1}) is not a number: "
                              f"{value!r}") from None
    if not math.isfinite(v):
        raise StatsInputError(f"count for {label!r} (row {i + 1}) is not finite: {value!r}")
    if v < 0:
        raise StatsInputError(f"count for {label!r} (row {i + 1}) is negative: {v:g}")
    if v > MAX_MAGNITUDE:
        raise StatsInputError(f"count for {label!r} (row {i + 1}) is implausibly large: {v:g}")
    return v
