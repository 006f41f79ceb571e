"""Shared machinery of the control charts: parsed data, estimates, per-kind specifications.

A chart kind is a ``ChartSpec``: ``prepare`` turns raw input into per-point values (dropping
missing points), ``estimate`` computes the center and sigma from a boolean selection of
points (the phase I base of one stage), and ``evaluate`` turns an estimate into statistics,
center line, limits and the standard deviation of each plotted point for one stage.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ._base import StatsInputError, as_float_array
from ._numeric import check_scale, unit_scale
from .constants import c4, d2, d3


@dataclasses.dataclass
class Prepared:
    """Input after cleaning: one entry per plotted point, missing points dropped."""

    values: np.ndarray
    index: np.ndarray
    n_total: int
    sizes: np.ndarray | None = None
    extra: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def adjacent(self) -> np.ndarray:
        """Per pair of consecutive kept points: were they neighbours in the input?

        A moving range between two points with a removed (missing) value between them would
        span the gap, so estimators skip those pairs, as qicharts2 does.
        """
        return np.diff(self.index) == 1

    @property
    def missing(self) -> list[int]:
        kept = np.zeros(self.n_total, dtype=bool)
        kept[self.index] = True
        return np.flatnonzero(~kept).tolist()


@dataclasses.dataclass
class Estimate:
    """Center and sigma that set the limits of one stage."""

    center: float
    sigma: float
    sigma_method: str
    n_base: int
    params: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Evaluated:
    """One stage's plotted values and limits (arrays of the stage's length)."""

    statistics: np.ndarray
    center: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    sigma_point: np.ndarray
    extra: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ChartSpec:
    """What a chart kind needs: how to prepare, estimate and evaluate, and its rule policy.

    ``allowed_rules`` are the tests that make sense on the chart; ``named_rules`` replaces a
    named rule set (e.g. "nelson") by this tuple, as Minitab does for R, S and MR charts.
    """

    title: str
    prepare: Callable[[Any, Any, Mapping[str, Any]], Prepared]
    estimate: Callable[[Prepared, np.ndarray, Mapping[str, Any]], Estimate]
    evaluate: Callable[[Prepared, slice, Estimate, float, Mapping[str, Any]], Evaluated]
    options: frozenset[str] = frozenset()
    allowed_rules: frozenset[int] = frozenset(range(1, 13))
    named_rules: tuple[int, ...] | None = None
    center_override: bool = True
    sigma_override: bool = True


# --- input parsing ---------------------------------------------------------------------


def individuals(data: Any, min_n: int = 2) -> Prepared:
    """One value per point; missing values are dropped and reported."""
    arr = as_float_array(data, "data")
    if arr.ndim != 1:
        raise StatsInputError(f"data: expected a 1-D sequence of values, got {arr.ndim}-D")
    keep = np.flatnonzero(~np.isnan(arr))
    if keep.size < min_n:
        raise StatsInputError(f"data: needs at least {min_n} values, got {keep.size}")
    return Prepared(values=arr[keep], index=keep, n_total=arr.size)


def _subgroup_matrix(data: Any) -> np.ndarray:
    if isinstance(data, np.ndarray) and data.ndim == 2:
        return as_float_array(data, "data")
    try:
        rows = [np.atleast_1d(as_float_array(row, f"subgroup {i + 1}"))
                for i, row in enumerate(data)]
    except TypeError:
        raise StatsInputError("data: expected subgroups (a 2-D array or a list of lists)") \
            from None
    if not rows or any(r.ndim != 1 for r in rows):
        raise StatsInputError("data: expected subgroups (a 2-D array or a list of lists)")
    lengths = np.array([r.size for r in rows])
    mat = np.full((len(rows), max(int(lengths.max()), 1)), np.nan)
    mat[np.arange(mat.shape[1]) < lengths[:, None]] = np.concatenate(rows) if rows else []
    return mat


def subgroups(data: Any, *, min_size: int = 2, min_groups: int = 1) -> Prepared:
    """Per subgroup: mean, range, standard deviation and size; empty subgroups dropped."""
    if isinstance(data, np.ndarray) and data.ndim == 1 or _is_flat(data):
        raise StatsInputError("data: this chart needs subgroups (a 2-D array or a list of "
                              "lists); for single values use the 'i' chart")
    mat = _subgroup_matrix(data)
    nan = np.isnan(mat)
    sizes = mat.shape[1] - nan.sum(axis=1) if nan.any() else np.full(mat.shape[0], mat.shape[1])
    keep = np.flatnonzero(sizes > 0)
    if keep.size < min_groups:
        raise StatsInputError(f"data: needs at least {min_groups} subgroups, got {keep.size}")
    mat, sizes = mat[keep], sizes[keep]
    small = np.flatnonzero(sizes < min_size)
    if small.size:
        raise StatsInputError(
            f"subgroup {int(keep[small[0]]) + 1} has {int(sizes[small[0]])} value(s); this "
            f"chart needs at least {min_size} per subgroup (use the 'i' chart for single values)"
        )
    means, ranges, sds = _subgroup_stats(mat, sizes, bool(nan.any()))
    return Prepared(values=means, index=keep, n_total=nan.shape[0], sizes=sizes,
                    extra={"range": ranges, "sd": sds})


def _is_flat(data: Any) -> bool:
    if isinstance(data, np.ndarray):
        return data.ndim == 1
    try:
        first = next(iter(data))
    except (TypeError, StopIteration):
        return False
    return first is None or isinstance(first, (int, float, np.number))


def subgroup_ranges(mat: np.ndarray, has_nan: bool) -> np.ndarray:
    """Range of each row of a subgroup matrix (rows NaN-padded when ``has_nan``)."""
    with np.errstate(all="ignore"):
        if not has_nan:
            return np.ptp(mat, axis=1)
        return np.nanmax(mat, axis=1) - np.nanmin(mat, axis=1)


def _subgroup_stats(mat: np.ndarray, sizes: np.ndarray, has_nan: bool):
    ranges = subgroup_ranges(mat, has_nan)
    with np.errstate(all="ignore"):
        if not has_nan:
            means = mat.mean(axis=1)
            dev = mat - means[:, None]
        else:
            means = np.nansum(mat, axis=1) / sizes
            dev = np.where(np.isnan(mat), 0.0, mat - means[:, None])
        scale = unit_scale(ranges)  # deviations near 1e-300 would square to 0
        if scale != 1.0:
            dev = dev / scale
        ss = np.einsum("ij,ij->i", dev, dev)
        sds = np.sqrt(ss / (sizes - 1)) * scale
    sds[sizes < 2] = np.nan
    return means, ranges, sds


def counts_and_sizes(data: Any, sizes: Any, *, need_sizes: bool, at_most_size: bool,
                     allow_sizes: bool = True) -> Prepared:
    """Attribute data: non-negative counts with positive sizes (dropped together if missing)."""
    counts = as_float_array(data, "counts")
    if counts.ndim != 1:
        raise StatsInputError(f"counts: expected a 1-D sequence, got {counts.ndim}-D")
    if sizes is None:
        if need_sizes:
            raise StatsInputError("sizes: this chart needs the sample size of every point")
        n = np.ones(counts.size)
    elif not allow_sizes:
        raise StatsInputError("sizes: a c chart assumes equal areas of opportunity; "
                              "use the 'u' chart for counts with sizes")
    else:
        n = as_float_array(np.broadcast_to(np.asarray(sizes, dtype=object), counts.shape)
                           if np.ndim(sizes) == 0 else sizes, "sizes")
        if n.shape != counts.shape:
            raise StatsInputError(f"sizes: got {n.size} sizes for {counts.size} counts")
    keep = np.flatnonzero(~(np.isnan(counts) | np.isnan(n)))
    c, n_kept = counts[keep], n[keep]
    check_scale(c, "counts")
    check_scale(n_kept, "sizes")
    _check_counts(c, n_kept, keep, at_most_size, whole_sizes=at_most_size)
    if keep.size < 2:
        raise StatsInputError(f"counts: needs at least 2 points, got {keep.size}")
    return Prepared(values=c, index=keep, n_total=counts.size,
                    sizes=n_kept if sizes is not None else None)


def _check_counts(c: np.ndarray, n: np.ndarray, keep: np.ndarray, at_most_size: bool,
                  whole_sizes: bool) -> None:
    """Counts of defectives or defects are whole numbers; so are binomial sample sizes (a u
    chart's area of opportunity may be fractional, e.g. 2.5 thousand hours)."""
    none = np.zeros(c.size, bool)
    for bad, what in ((c < 0, "negative count"),
                      (c != np.floor(c), "counts must be whole numbers"),
                      (n <= 0, "sample size must be positive"),
                      ((n != np.floor(n)) if whole_sizes else none,
                       "sample sizes must be whole numbers"),
                      ((c > n) if at_most_size else none,
                       "more defectives than the sample size")):
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise StatsInputError(f"point {int(keep[i]) + 1}: {what} "
                                  f"(count {c[i]:g}, size {n[i]:g})")


# --- estimators ------------------------------------------------------------------------

MR_METHOD = "mean moving range / d2(2)"


def per_size(func: Callable[[int], float], sizes: np.ndarray) -> np.ndarray:
    """Evaluate a constant once per distinct subgroup size."""
    if sizes.size and sizes.min() == sizes.max():
        return np.full(sizes.size, func(int(sizes[0])))
    unique, inverse = np.unique(sizes.astype(np.int64), return_inverse=True)
    return np.array([func(int(k)) for k in unique])[inverse]


def mr_sigma(x: np.ndarray, base: np.ndarray,
             adjacent: np.ndarray | None = None) -> tuple[float, int]:
    """sigma = mean(MR) / d2(2), MR over consecutive points that are both in the base
    (and, given ``adjacent``, were neighbours in the input: no range across a gap)."""
    pairs = base[1:] & base[:-1]
    if adjacent is not None:
        pairs &= adjacent
    if not pairs.any():
        raise StatsInputError("needs at least 2 consecutive points to estimate sigma from "
                              "moving ranges")
    mr = np.abs(np.diff(x))[pairs]
    return float(mr.mean()) / d2(2), int(pairs.sum())


def rbar_sigma(ranges: np.ndarray, sizes: np.ndarray) -> float:
    """Rbar/d2(n); unequal sizes: sum(f R/d2) / sum(f), f = d2^2/d3^2 (unbiased, weighted)."""
    d2s = per_size(d2, sizes)
    f = d2s**2 / per_size(d3, sizes) ** 2
    return float(np.sum(f * ranges / d2s) / np.sum(f))


def sbar_sigma(sds: np.ndarray, sizes: np.ndarray) -> float:
    """Sbar/c4(n); unequal sizes: weighted s/c4 with weights c4^2 / (1 - c4^2)."""
    c4s = per_size(c4, sizes)
    h = c4s**2 / (1 - c4s**2)
    return float(np.sum(h * sds / c4s) / np.sum(h))


def pooled_sigma(sds: np.ndarray, sizes: np.ndarray) -> float:
    """sp / c4(sum(n_i - 1) + 1): pooled standard deviation, unbiased."""
    dof = float(np.sum(sizes - 1))
    sp = math.sqrt(float(np.sum((sizes - 1) * sds**2)) / dof)
    return sp / c4(int(dof) + 1)


SUBGROUP_SIGMA = {
    "rbar": (rbar_sigma, "range", "Rbar / d2(n) (unequal n: weights d2^2/d3^2)"),
    "sbar": (sbar_sigma, "sd", "Sbar / c4(n) (unequal n: weights c4^2/(1-c4^2))"),
    "pooled": (pooled_sigma, "sd", "pooled s / c4(sum(n_i - 1) + 1)"),
}


def subgroup_sigma(prep: Prepared, base: np.ndarray, method: str) -> float:
    if method not in SUBGROUP_SIGMA:
        raise StatsInputError(
            f"sigma_method {method!r} is not available here; choose {', '.join(SUBGROUP_SIGMA)}"
        )
    func, key, _ = SUBGROUP_SIGMA[method]
    return func(prep.extra[key][base], prep.sizes[base])


def require_positive_sigma(sigma: float, what: str) -> None:
    if not sigma > 0:
        raise StatsInputError(f"sigma is 0: {what}, so control limits would be meaningless")


def constant(value: float, size: int) -> np.ndarray:
    return np.full(size, float(value))
