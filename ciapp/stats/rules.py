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


def _window_counts(cond: np.ndarray, window: int) -> np.ndarray:
    """Number of trues among the last ``window`` points (fewer at the start)."""
    csum = np.cumsum(cond, dtype=np.int32)
    counts = csum.copy()
    if window < cond.size:
        counts[window:] -= csum[: cond.size - window]
    return counts


def _run_ends(cond: np.ndarray, length: int) -> np.ndarray:
    """Indices i where cond[i - length + 1 .. i] are all true."""
    if length <= 0:
        return np.arange(cond.size)
    if cond.size < length:
        return np.empty(0, dtype=np.intp)
    counts = _window_counts(cond, length)
    return np.flatnonzero(counts[length - 1:] == length) + (length - 1)


def _k_of_window(cond: np.ndarray, k: int, window: int) -> np.ndarray:
    """Indices i with cond[i] true and at least k trues among the last ``window`` points."""
    return np.flatnonzero(cond & (_window_counts(cond, window) >= k))


def _union(*parts: np.ndarray) -> np.ndarray:
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.intp)


# --- the eight rules: each takes (z, x, k) within one segment ---------------------------


def rule1(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """One point more than ``k`` sigma from the center line."""
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(np.abs(z) > k)


def rule2(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row on the same side of the center line."""
    with np.errstate(invalid="ignore"):
        return _union(_run_ends(z > 0, int(k)), _run_ends(z < 0, int(k)))


def rule3(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row all increasing or all decreasing (ties break the run)."""
    steps = np.diff(x)
    with np.errstate(invalid="ignore"):
        ups, downs = steps > 0, steps < 0
    # step j joins points j and j + 1, so a run of k - 1 steps ending at step j ends at j + 1
    return _union(_run_ends(ups, int(k) - 1), _run_ends(downs, int(k) - 1)) + 1


def rule4(z: np.ndarray, x: np.ndarray, k: float) -> np.ndarray:
    """``k`` points in a row alternating up and down (ties break the run)."""
    steps = np.diff(x)
    with np.errstate(invalid="ignore"):
        flips = (steps[:-1] * steps[1:]) < 0
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
        return np.full(n, float(arr))
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
    with np.errstate(all="ignore"):
        z = (x - center) / sigma
    z[~(sigma > 0)] = np.nan
    return z


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
    x = np.asarray(statistics, dtype=float)
    if x.ndim != 1:
        raise StatsInputError(f"statistics: expected a 1-D series, got {x.ndim}-D")
    n = x.size
    chosen, lengths = resolve_rules(rules, run_lengths)
    z = standardise(x, _as_points(center, n, "center"), _as_points(sigma_of_point, n, "sigma"))
    found: dict[int, list[np.ndarray]] = {r: [] for r in chosen}
    for start, stop in _segments(n, segments):
        for rule in chosen:
            hits = _RULES[rule](z[start:stop], x[start:stop], lengths[rule])
            found[rule].append(hits + start)
    return {r: _union(*parts).astype(int).tolist() for r, parts in found.items()}
