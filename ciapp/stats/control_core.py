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

from ._base import StatsInputError, all_finite, as_float_array
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
    def adjacent(self) -> np.ndarray | None:
        """Per pair of consecutive kept points: were they neighbours in the input? None when
        nothing was removed (every pair was).

        A moving range between two points with a removed (missing) value between them would
        span the gap, so estimators skip those pairs, as qicharts2 does.
        """
        if self.values.size == self.n_total:
            return None
        return np.diff(self.index) == 1

    @property
    def missing(self) -> list[int]:
        if self.values.size == self.n_total:
            return []
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


def individuals(data: Any, min_n: int = 2, copy: bool = True) -> Prepared:
    """One value per point; missing values are dropped and reported.

    ``copy=False`` when the chart plots something computed from the values (moving ranges)
    and never hands them back: the caller's array is then only read."""
    arr = as_float_array(data, "data")
    if arr.ndim != 1:
        raise StatsInputError(f"data: expected a 1-D sequence of values, got {arr.ndim}-D")
    if not all_finite(arr):  # as_float_array refused infinities: these are NaNs
        keep = np.flatnonzero(~np.isnan(arr))
        values = arr[keep]
    else:
        keep = np.arange(arr.size)
        values = arr.copy() if copy and arr is data else arr  # never the caller's own array
    if keep.size < min_n:
        raise StatsInputError(f"data: needs at least {min_n} values, got {keep.size}")
    return Prepared(values=values, index=keep, n_total=arr.size)


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


def subgroups(data: Any, *, min_size: int = 2, min_groups: int = 1,
              need_sd: bool = True) -> Prepared:
    """Per subgroup: mean, range, standard deviation (``need_sd``) and size; empty subgroups
    dropped."""
    if isinstance(data, np.ndarray) and data.ndim == 1 or _is_flat(data):
        raise StatsInputError("data: this chart needs subgroups (a 2-D array or a list of "
                              "lists); for single values use the 'i' chart")
    mat = _subgroup_matrix(data)
    n_rows = mat.shape[0]
    has_nan = not all_finite(mat)
    if has_nan:
        sizes = mat.shape[1] - np.isnan(mat).sum(axis=1)
        keep = np.flatnonzero(sizes > 0)
        mat, sizes = mat[keep], sizes[keep]
    else:
        sizes, keep = np.full(mat.shape[0], mat.shape[1]), np.arange(mat.shape[0])
    if keep.size < min_groups:
        raise StatsInputError(f"data: needs at least {min_groups} subgroups, got {keep.size}")
    small = np.flatnonzero(sizes < min_size)
    if small.size:
        raise StatsInputError(
            f"subgroup {int(keep[small[0]]) + 1} has {int(sizes[small[0]])} value(s); this "
            f"chart needs at least {min_size} per subgroup (use the 'i' chart for single values)"
        )
    means, ranges, sds = _subgroup_stats(mat, sizes, has_nan, need_sd)
    extra = {"range": ranges} if sds is None else {"range": ranges, "sd": sds}
    return Prepared(values=means, index=keep, n_total=n_rows, sizes=sizes, extra=extra)


def _is_flat(data: Any) -> bool:
    if isinstance(data, np.ndarray):
        return data.ndim == 1
    try:
        first = next(iter(data))
    except (TypeError, StopIteration):
        return False
    return first is None or isinstance(first, (int, float, np.number))


_NARROW = 32
"""Up to this many columns, a row-wise reduction runs column by column: numpy reduces short
rows one by one, several times slower than a handful of whole-column operations."""


def _rows(ufunc: np.ufunc, mat: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(mat, axis=1)``, fast for the narrow matrices of subgroup data."""
    if mat.shape[1] > _NARROW or mat.shape[1] == 0:
        return ufunc.reduce(mat, axis=1)
    out = mat[:, 0].copy()
    for j in range(1, mat.shape[1]):
        ufunc(out, mat[:, j], out=out)
    return out


def subgroup_ranges(mat: np.ndarray, has_nan: bool) -> np.ndarray:
    """Range of each row of a subgroup matrix (rows NaN-padded when ``has_nan``)."""
    with np.errstate(all="ignore"):
        if not has_nan:
            return _rows(np.maximum, mat) - _rows(np.minimum, mat)
        return _rows(np.fmax, mat) - _rows(np.fmin, mat)  # fmax/fmin skip NaN


def _subgroup_stats(mat: np.ndarray, sizes: np.ndarray, has_nan: bool, need_sd: bool = True):
    ranges = subgroup_ranges(mat, has_nan)
    with np.errstate(all="ignore"):
        if not has_nan:
            means = _rows(np.add, mat) / mat.shape[1]
            if not need_sd:
                return means, ranges, None
            dev = mat - means[:, None]
        else:
            means = np.nansum(mat, axis=1) / sizes
            if not need_sd:
                return means, ranges, None
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
    if all_finite(counts) and all_finite(n):
        keep = np.arange(counts.size)
        c = counts.copy() if counts is data else counts  # never the caller's own array
        n_kept = n
    else:
        keep = np.flatnonzero(~(np.isnan(counts) | np.isnan(n)))
        c, n_kept = counts[keep], n[keep]
    check_scale(c, "counts")
    check_scale(n_kept, "sizes")
    _check_counts(c, n_kept, keep, at_most_size, whole_sizes=at_most_size,
                  known_whole=(_integer_array(data), _integer_array(sizes)))
    if keep.size < 2:
        raise StatsInputError(f"counts: needs at least 2 points, got {keep.size}")
    return Prepared(values=c, index=keep, n_total=counts.size,
                    sizes=n_kept if sizes is not None else None)


def _integer_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "iub"


def _check_counts(c: np.ndarray, n: np.ndarray, keep: np.ndarray, at_most_size: bool,
                  whole_sizes: bool, known_whole: tuple[bool, bool] = (False, False)) -> None:
    """Counts of defectives or defects are whole numbers; so are binomial sample sizes (a u
    chart's area of opportunity may be fractional, e.g. 2.5 thousand hours).

    Each test runs as a cheap whole-array check first (min, or values already integers);
    only a failing one looks for the first offending point."""
    checks = (
        (lambda: c.min() < 0, lambda: c < 0, "negative count"),
        (lambda: not known_whole[0] and bool((c != np.floor(c)).any()),
         lambda: c != np.floor(c), "counts must be whole numbers"),
        (lambda: n.min() <= 0, lambda: n <= 0, "sample size must be positive"),
        (lambda: whole_sizes and not known_whole[1] and bool((n != np.floor(n)).any()),
         lambda: n != np.floor(n), "sample sizes must be whole numbers"),
        (lambda: at_most_size and bool((c > n).any()), lambda: c > n,
         "more defectives than the sample size"),
    )
    for failed, where, what in checks:
        if c.size and failed():
            i = int(np.flatnonzero(where())[0])
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


def moving_ranges(prep: Prepared) -> np.ndarray:
    """|x_i - x_(i-1)| of the kept values, computed once per chart (estimate and MR chart).

    They are the tail of one array whose first entry is NaN (the first point has no moving
    range), so an MR chart of one stage plots that array as it is, without a copy."""
    if "abs_mr" not in prep.extra:
        x = prep.values
        padded = np.empty(x.size)
        padded[0] = np.nan
        mr = padded[1:]
        np.subtract(x[1:], x[:-1], out=mr)
        np.abs(mr, out=mr)
        prep.extra["abs_mr"] = mr
    return prep.extra["abs_mr"]


def mr_sigma(x: np.ndarray, base: np.ndarray, adjacent: np.ndarray | None = None,
             mr: np.ndarray | None = None) -> tuple[float, int]:
    """sigma = mean(MR) / d2(2), MR over consecutive points that are both in the base
    (and, given ``adjacent``, were neighbours in the input: no range across a gap).
    ``mr`` is |diff(x)| when the caller has it already."""
    pairs = base[1:] & base[:-1]
    if adjacent is not None:
        pairs &= adjacent
    n_pairs = int(np.count_nonzero(pairs))
    if not n_pairs:
        raise StatsInputError("needs at least 2 consecutive points to estimate sigma from "
                              "moving ranges")
    mr = take(np.abs(np.diff(x)) if mr is None else mr, pairs)
    return float(mr.mean()) / d2(2), n_pairs


def take(arr: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``arr[mask]``, without the copy when the mask selects everything (the usual case)."""
    return arr if mask.all() else arr[mask]


def rbar_sigma(ranges: np.ndarray, sizes: np.ndarray) -> float:
    """Rbar/d2(n); unequal sizes: sum(f R/d2) / sum(f), f = d2^2/d3^2 (unbiased, weighted)."""
    if sizes.min() == sizes.max():
        return float(ranges.mean()) / d2(int(sizes[0]))
    d2s = per_size(d2, sizes)
    f = d2s**2 / per_size(d3, sizes) ** 2
    return float(np.sum(f * ranges / d2s) / np.sum(f))


def sbar_sigma(sds: np.ndarray, sizes: np.ndarray) -> float:
    """Sbar/c4(n); unequal sizes: weighted s/c4 with weights c4^2 / (1 - c4^2)."""
    if sizes.min() == sizes.max():
        return float(sds.mean()) / c4(int(sizes[0]))
    c4s = per_size(c4, sizes)
    h = c4s**2 / (1 - c4s**2)
    return float(np.sum(h * sds / c4s) / np.sum(h))


def pooled_sigma(sds: np.ndarray, sizes: np.ndarray) -> float:
    """sp / c4(sum(n_i - 1) + 1): pooled standard deviation, unbiased."""
    dof = float(np.sum(sizes - 1))
    top = float(np.max(sds)) if sds.size else 0.0
    if not top > 0:
        return 0.0
    # in units of the largest s: the squares of standard deviations near 1e-300 underflow
    sp = top * math.sqrt(float(np.sum((sizes - 1) * (sds / top) ** 2)) / dof)
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
    return func(take(prep.extra[key], base), take(prep.sizes, base))


def require_positive_sigma(sigma: float, what: str) -> None:
    if not sigma > 0:
        raise StatsInputError(f"sigma is 0: {what}, so control limits would be meaningless")


def constant(value: float, size: int) -> np.ndarray:
    """``size`` copies of ``value`` as a read-only view of one number: a center line or limit
    that is the same for every point costs no memory and no pass over the data."""
    return np.broadcast_to(np.float64(value), (size,))


def uniform(arr: np.ndarray) -> float | None:
    """The value of an array made by ``constant`` (or of one point), else None."""
    if arr.ndim == 1 and arr.size and (arr.strides[0] == 0 or arr.size == 1):
        return float(arr[0])
    return None
