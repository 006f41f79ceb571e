"""Run charts with the Anhøj rules: the test for non-random variation on short series.

A run chart plots the values around their median, with no control limits; it is the tool
for a KPI or a Kaizen baseline with few points (under about 20), before limits mean much.
Two rules, as qicharts2 applies them (Anhøj & Olesen 2014, PLoS ONE 9(11): e113825;
Anhøj 2015, PLoS ONE 10(3): e0121349), on the *useful* points, those not on the median:

* unusually long run: the longest run of points on one side of the median is longer than
  ``round(log2(n)) + 3``;
* too few crossings: the series crosses the median fewer than ``qbinom(0.05, n - 1, 0.5)``
  times (the 5th percentile of a binomial(n - 1, 1/2)).

Either signals non-random variation (a shift, a trend or a cycle); they are two views of
one test, so the chart reports one verdict, ``signal``, and which rule gave it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, all_finite, as_float_array

__all__ = ["RunChart", "anhoej_limits", "run_chart"]

FEW_USEFUL = 10
"""Below this many useful points the rules have little power to see anything."""


@dataclass(frozen=True)
class RunChart(Result):
    """A run chart with the Anhøj rules.

    ``values`` and ``index`` are the plotted points and their 0-based positions in the input
    (missing values dropped, listed in ``missing``). ``n_useful`` counts the points not on
    the center line. ``long_runs`` lists (first, last) input positions of every run longer
    than ``longest_run_max``.
    """

    n: int
    values: np.ndarray
    index: np.ndarray
    missing: tuple[int, ...]
    center: float
    center_method: str
    n_useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    long_run_signal: bool
    crossings_signal: bool
    signal: bool
    long_runs: tuple[tuple[int, int], ...]
    verdict: str
    method: str = ("Anhøj rules: longest run > round(log2(n)) + 3, or crossings < "
                   "qbinom(0.05, n - 1, 0.5), n = points not on the center line")
    warnings: tuple[str, ...] = field(default_factory=tuple)


def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """(longest run allowed, fewest crossings expected) for ``n_useful`` points."""
    from scipy.stats import binom

    if n_useful < 1:
        return 0, 0
    longest = round(math.log2(n_useful)) + 3
    crossings = int(binom.ppf(0.05, n_useful - 1, 0.5)) if n_useful > 1 else 0
    return longest, crossings


def run_chart(values: Any, *, center: float | None = None) -> RunChart:
    """Run chart of ``values`` in time order, with the Anhøj rules.

    Parameters
    ----------
    values : sequence of numbers
        The series; NaN / None are dropped (a run continues across them, as in qicharts2).
    center : float, optional
        A center line other than the median (a target or a baseline median). The rules are
        calibrated for the median; with another center they test for a shift away from it.

    Raises
    ------
    StatsInputError
        Non-numeric or infinite values, a non-finite center, or fewer than 2 values.
    """
    raw = as_float_array(values, "values")
    if raw.ndim != 1:
        raise StatsInputError(f"values: expected a 1-D series, got {raw.ndim}-D")
    if all_finite(raw):
        keep, y = np.arange(raw.size), (raw.copy() if raw is values else raw)
    else:
        keep = np.flatnonzero(~np.isnan(raw))
        y = raw[keep]
    if keep.size < 2:
        raise StatsInputError(f"values: a run chart needs at least 2 values, got {keep.size}")
    if center is None:
        cl, how = float(np.median(y)), "median"
    else:
        try:
            cl = float(center)
        except (TypeError, ValueError):
            raise StatsInputError(f"center must be a number, got {center!r}") from None
        if not math.isfinite(cl):
            raise StatsInputError(f"center must be finite, got {center!r}")
        how = "given"
    side = y > cl  # points on the center line belong to no run
    on_line = y == cl
    if on_line.any():
        useful = np.flatnonzero(~on_line)
        s = side[useful]
    else:
        useful, s = np.arange(y.size), side
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if s.size else np.empty(0, int)
    lengths = np.diff(np.r_[starts, s.size])
    n_useful = int(s.size)
    longest = int(lengths.max()) if lengths.size else 0
    crossings = max(int(starts.size) - 1, 0)
    longest_max, crossings_min = anhoej_limits(n_useful)
    long_flag = longest > longest_max
    cross_flag = crossings < crossings_min
    over = np.flatnonzero(lengths > longest_max)  # few, so the loop below is short
    first, last = keep[useful[starts[over]]], keep[useful[starts[over] + lengths[over] - 1]]
    long_runs = tuple(zip(first.tolist(), last.tolist(), strict=True))
    warnings: list[str] = []
    if n_useful < FEW_USEFUL:
        warnings.append(f"only {n_useful} points off the center line: the run chart rules "
                        "can rarely signal with so few")
    return RunChart(
        n=int(y.size), values=_frozen(y), index=_frozen(keep),
        missing=tuple(np.flatnonzero(np.isnan(raw)).tolist()) if keep.size < raw.size else (),
        center=cl, center_method=how,
        n_useful=n_useful, longest_run=longest, longest_run_max=longest_max,
        crossings=crossings, crossings_min=crossings_min, long_run_signal=long_flag,
        crossings_signal=cross_flag, signal=long_flag or cross_flag, long_runs=long_runs,
        verdict=_verdict(long_flag, cross_flag, longest, longest_max, crossings,
                         crossings_min),
        warnings=tuple(warnings),
    )


def _frozen(arr: np.ndarray) -> np.ndarray:
    """Our own array (never the caller's), made read-only without a copy."""
    arr.setflags(write=False)
    return arr


def _verdict(long_flag: bool, cross_flag: bool, longest: int, longest_max: int,
             crossings: int, crossings_min: int) -> str:
    if not (long_flag or cross_flag):
        return (f"random variation: longest run {longest} (at most {longest_max} expected), "
                f"{crossings} crossings (at least {crossings_min} expected)")
    reasons = []
    if long_flag:
        reasons.append(f"a run of {longest} points on one side (more than {longest_max})")
    if cross_flag:
        reasons.append(f"only {crossings} crossings of the center line (fewer than "
                       f"{crossings_min})")
    return "non-random variation: " + " and ".join(reasons)
