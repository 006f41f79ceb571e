"""Tests for special causes: Nelson's eight rules with Minitab's default run lengths, and
the four more that the Westgard and healthcare sets need (numbered 9-12, see rulesets.py).

Every rule is its own function of the standardised distances ``z = (x - center) / sigma``
(or of the raw statistics, for the trend rules 3 and 4) and returns the 0-based indices of the
points that *complete* the pattern: the last point of a run, and every later point that
extends it. Rules are evaluated inside each segment (stage) separately, so a run never spans
a stage boundary. Everything is vectorised with cumulative sums; there is no Python loop over
points.

Semantics (Minitab's tests for special causes):

1. one point more than K sigma (default 3) from the center line;
2. K points in a row (9) on the same side of the center line;
3. K points in a row (6) all increasing or all decreasing (K - 1 strict steps);
4. K points in a row (14) alternating up and down;
5. K out of K + 1 points (2 of 3) more than 2 sigma from the center, same side;
6. K out of K + 1 points (4 of 5) more than 1 sigma from the center, same side;
7. K points in a row (15) within 1 sigma of the center, either side;
8. K points in a row (8) more than 1 sigma from the center, either side;
9. K points in a row (2) more than 2 sigma from the center, same side;
10. K points in a row (4) more than 1 sigma from the center, same side;
11. two consecutive points on opposite sides, each more than K sigma (2) from the center;
12. K out of K + 1 points (2 of 3) more than 2 sigma from the center, either side.

A point exactly on the center line belongs to neither side and breaks rules 2, 5 and 6; two
equal consecutive values break rules 3 and 4. For rules 5 and 6 the flagged point is itself
beyond the zone (the pattern is complete only once its last needed point arrives), and a
window may be shorter than K + 1 at the start of a segment. Points whose statistic or sigma
is missing (NaN) or whose sigma is not positive satisfy no condition and break every run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ._base import StatsInputError
from .rulesets import DEFAULT_RUN_LENGTHS, RULE_SETS, RuleSet, resolve_rules

__all__ = ["RULE_SETS", "RuleSet", "nelson_rules", "resolve_rules", "DEFAULT_RUN_LENGTHS"]

# --- building blocks -------------------------------------------------------------------


_SHORT_WINDOW = 16
"""Up to this many points a window count is a few shifted adds of bytes, beyond it a
cumulative sum."""


def _window_counts(cond: np.ndarray, window: int) -> np.ndarray:
    """Number of trues among the last ``window`` points (fewer at the start)."""
    if window <= _SHORT_WINDOW:
        counts = cond.astype(np.uint8)
        for lag in range(1, min(window, cond.size)):
            counts[lag:] += cond[:-lag]
        return counts
    csum = np.cumsum(cond, dtype=np.int64)
    if window >= cond.size:
        return csum
    counts = np.empty_like(csum)
    counts[:window] = csum[:window]
    np.subtract(csum[window:], csum[:-window], out=counts[window:])
    return counts


def _all_of_window(cond: np.ndarray, length: int) -> np.ndarray:
    """out[j] = all(cond[j : j + length]), for j = 0 .. n - length.

    By doubling: a window of 2m is two windows of m side by side, and a window of a + b is
    one of a followed by one of b; so ``length`` costs about 2 log2(length) ANDs of bytes,
    where a cumulative sum costs a pass of wider integers and a subtraction."""
    n = cond.size
    acc: np.ndarray | None = None
    acc_len, power, power_len = 0, cond, 1
    while True:
        if length & 1:
            if acc is None:
                acc, acc_len = power, power_len
            else:
                size = n - acc_len - power_len + 1
                acc = acc[:size] & power[acc_len:acc_len + size]
                acc_len += power_len
        length >>= 1
        if not length:
            return acc if acc is not None else np.ones(n + 1, dtype=bool)
        power = power[:-power_len] & power[power_len:]
        power_len *= 2


def _run_ends(cond: np.ndarray, length: int) -> np.ndarray:
    """Indices i where cond[i - length + 1 .. i] are all true."""
    if length <= 0:
        return np.arange(cond.size)
    if cond.size < length:
        return np.empty(0, dtype=np.intp)
    return np.flatnonzero(_all_of_window(cond, length)) + (length - 1)


def _k_of_window(cond: np.ndarray, k: int, window: int) -> np.ndarray:
    """Indices i with cond[i] true and at least k trues among the last ``window`` points."""
    return np.flatnonzero(cond & (_window_counts(cond, window) >= k))


def _union(*parts: np.ndarray) -> np.ndarray:
    """Sorted union of index arrays that never share an index (up and down runs of one
    rule, or the segments of a series): a merge, not a hash of every hit."""
    if not parts:
        return np.empty(0, dtype=np.intp)
    out = np.concatenate(parts)
    return out if len(parts) == 1 else np.sort(out, kind="stable")


# --- the eight rules: each takes (z, x, k) within one segment ---------------------------


def rule1(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """One point more than ``k`` sigma from the center line."""
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(np.abs(z) > k)


def rule2(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row on the same side of the center line."""
    with np.errstate(invalid="ignore"):
        return _union(_run_ends(z > 0, int(k)), _run_ends(z < 0, int(k)))


def _directions(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(step up, step down) between consecutive points; ties and NaN are neither.

    Compared directly, not through np.diff: for floats b - a > 0 exactly when b > a, and
    the comparison needs no array of differences."""
    later, earlier = x[1:], x[:-1]
    with np.errstate(invalid="ignore"):
        return later > earlier, later < earlier


def rule3(z: np.ndarray, x: np.ndarray, k: float,
          directions: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``k`` points in a row all increasing or all decreasing (ties break the run)."""
    ups, downs = directions or _directions(x)
    # step j joins points j and j + 1, so a run of k - 1 steps ending at step j ends at j + 1
    return _union(_run_ends(ups, int(k) - 1), _run_ends(downs, int(k) - 1)) + 1


def rule4(z: np.ndarray, x: np.ndarray, k: float,
          directions: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``k`` points in a row alternating up and down (ties break the run)."""
    ups, downs = directions or _directions(x)
    flips = (ups[:-1] & downs[1:]) | (downs[:-1] & ups[1:])
    # flip j is the turn at point j + 1 between steps j and j + 1; k points have k - 2 turns
    return _run_ends(flips, int(k) - 2) + 2


def rule5(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` out of ``k + 1`` points more than 2 sigma from the center, same side."""
    with np.errstate(invalid="ignore"):
        return _union(_k_of_window(z > 2, int(k), int(k) + 1),
                      _k_of_window(z < -2, int(k), int(k) + 1))


def rule6(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` out of ``k + 1`` points more than 1 sigma from the center, same side."""
    with np.errstate(invalid="ignore"):
        return _union(_k_of_window(z > 1, int(k), int(k) + 1),
                      _k_of_window(z < -1, int(k), int(k) + 1))


def rule7(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row within 1 sigma of the center line (either side)."""
    with np.errstate(invalid="ignore"):
        return _run_ends(np.abs(z) < 1, int(k))


def rule8(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row more than 1 sigma from the center line (either side)."""
    with np.errstate(invalid="ignore"):
        return _run_ends(np.abs(z) > 1, int(k))


def rule9(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row more than 2 sigma from the center, same side (Westgard 2:2s)."""
    with np.errstate(invalid="ignore"):
        return _union(_run_ends(z > 2, int(k)), _run_ends(z < -2, int(k)))


def rule10(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row more than 1 sigma from the center, same side (Westgard 4:1s)."""
    with np.errstate(invalid="ignore"):
        return _union(_run_ends(z > 1, int(k)), _run_ends(z < -1, int(k)))


def rule11(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """Two consecutive points beyond ``k`` sigma on opposite sides (Westgard R:4s)."""
    with np.errstate(invalid="ignore"):
        high, low = z > k, z < -k
    return np.flatnonzero((high[1:] & low[:-1]) | (low[1:] & high[:-1])) + 1


def rule12(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` out of ``k + 1`` points more than 2 sigma from the center, either side."""
    with np.errstate(invalid="ignore"):
        return _k_of_window(np.abs(z) > 2, int(k), int(k) + 1)


_RULES: dict[int, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
    1: rule1, 2: rule2, 3: rule3, 4: rule4, 5: rule5, 6: rule6, 7: rule7, 8: rule8,
    9: rule9, 10: rule10, 11: rule11, 12: rule12,
}
assert set(_RULES) == set(DEFAULT_RUN_LENGTHS)


# --- public entry point ------------------------------------------------------------------


def _as_points(value: Any, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.broadcast_to(arr, (n,))
    if arr.shape != (n,):
        raise StatsInputError(f"{name}: expected a number or {n} values, got shape {arr.shape}")
    return arr


def _segments(n: int, segments: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if segments is None:
        return [(0, n)]
    out = [(int(a), int(b)) for a, b in segments]
    if any(not 0 <= a <= b <= n for a, b in out):
        raise StatsInputError(f"segments must lie within 0..{n}, got {out}")
    return out


def standardise(x: np.ndarray, center: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """``(x - center) / sigma`` with NaN where sigma is not positive or anything is missing."""
    c, s = _uniform(center), _uniform(sigma)
    with np.errstate(all="ignore"):
        z = x - (center if c is None else c)
        z /= sigma if s is None else s
    if s is None:
        z[~(sigma > 0)] = np.nan
    elif not s > 0:
        z[:] = np.nan
    return z


def _uniform(arr: np.ndarray) -> float | None:
    """The one value of a constant (zero-stride) array, else None."""
    if arr.ndim == 1 and arr.size and arr.strides[0] == 0:
        return float(arr[0])
    return None


def nelson_rules(
    statistics: Any,
    center: Any,
    sigma_of_point: Any,
    *,
    rules: str | RuleSet | Sequence[int] | None = (1, 2, 3, 4, 5, 6, 7, 8),
    run_lengths: Mapping[int, float] | None = None,
    segments: Sequence[tuple[int, int]] | None = None,
) -> dict[int, list[int]]:
    """Apply tests for special causes to a plotted series.

    Parameters
    ----------
    statistics : array-like
        The plotted values.
    center, sigma_of_point : float or array-like
        Center line and the standard deviation *of the plotted statistic* (sigma / sqrt(n)
        on an Xbar chart), one per point when subgroup sizes differ.
    rules : str, RuleSet or sequence of int
        A name from ``RULE_SETS`` (``"nelson"``, ``"western_electric"``, ``"westgard"``,
        ``"ihi"``...), a site's ``RuleSet``, or the rule numbers (1-12) to apply.
    run_lengths : mapping, optional
        Overrides of Minitab's K per rule, e.g. ``{2: 8}``; for rule 1 it is the number of
        sigmas, for rules 5 and 6 the K of "K out of K + 1".
    segments : sequence of (start, stop), optional
        Stage boundaries; each segment is tested on its own.

    Returns
    -------
    dict
        Rule number -> sorted 0-based indices of the points that complete the pattern; every
        requested rule has an entry, empty when it never fires.
    """
    found = find_patterns(statistics, center, sigma_of_point, rules=rules,
                          run_lengths=run_lengths, segments=segments)
    return {r: hits.tolist() for r, hits in found.items()}


def find_patterns(
    statistics: Any,
    center: Any,
    sigma_of_point: Any,
    *,
    rules: str | RuleSet | Sequence[int] | None = (1, 2, 3, 4, 5, 6, 7, 8),
    run_lengths: Mapping[int, float] | None = None,
    segments: Sequence[tuple[int, int]] | None = None,
) -> dict[int, np.ndarray]:
    """``nelson_rules`` returning index arrays (for callers that map them on)."""
    x = np.asarray(statistics, dtype=float)
    if x.ndim != 1:
        raise StatsInputError(f"statistics: expected a 1-D series, got {x.ndim}-D")
    n = x.size
    chosen, lengths = resolve_rules(rules, run_lengths)
    z = standardise(x, _as_points(center, n, "center"), _as_points(sigma_of_point, n, "sigma"))
    found: dict[int, list[np.ndarray]] = {r: [] for r in chosen}
    for start, stop in _segments(n, segments):
        zs, xs = z[start:stop], x[start:stop]
        # rules 3 and 4 read the same steps up and down: find them once
        directions = _directions(xs) if 3 in chosen or 4 in chosen else None
        for rule in chosen:
            hits = (_RULES[rule](zs, xs, lengths[rule]) if rule not in (3, 4) else
                    _RULES[rule](zs, xs, lengths[rule], directions))
            found[rule].append(hits + start if start else hits)
    return {r: _union(*parts).astype(np.intp, copy=False) for r, parts in found.items()}
