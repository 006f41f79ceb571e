"""Hodges-Lehmann shift estimates and their distribution-free intervals, in O(n log n).

The estimates are order statistics of n1*n2 pairwise differences (or n(n+1)/2 Walsh
averages). With both samples sorted, those values form a matrix whose rows are sorted, so
the number of values below any t is found row by row with one ``searchsorted`` (O(n log n)).
Selection keeps, per row, the band of columns that can still hold the wanted rank: a random
sample of the band gives two pivots that bracket the rank with near certainty (Floyd and
Rivest's idea), each round shrinks the band about 80-fold, and once it holds a few million
values they are built and partitioned. Three or four rounds suffice for 10^6 x 10^6 pairs;
no array of all pairs is ever built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["kth_differences", "kth_walsh", "shift_one_sample", "shift_two_sample"]

_SAMPLE = 1 << 18
"""Band values sampled per round: the pivots sit 3 sampling sds either side of the rank."""
_BUILD = 1 << 22
"""Build and partition the band once it holds at most this many values (32 MiB)."""


@dataclass(frozen=True)
class _Rows:
    """Pairwise statistics as sorted rows: row i holds value(i, j) for start[i] <= j < stop[i].

    ``split(t, side)`` gives per row the first column whose value is > t (side="right") or
    >= t (side="left"), as an absolute column index.
    """

    start: np.ndarray
    stop: np.ndarray
    value: Callable[[np.ndarray, np.ndarray], np.ndarray]
    split: Callable[[float, str], np.ndarray]


def _split(rows: _Rows, t: float, side: str) -> np.ndarray:
    """``rows.split`` made to agree exactly with ``rows.value``.

    The split works on a transformed threshold (b_j >= a_i - t for a_i - b_j <= t), whose
    rounding can disagree with the computed difference by one position among near-ties; that
    would let a pivot fall outside its own count. The boundary is nudged until it agrees.
    """
    cut = np.clip(rows.split(t, side), rows.start, rows.stop).astype(np.int64)
    beyond = (lambda v: v > t) if side == "right" else (lambda v: v >= t)
    while True:
        i = np.flatnonzero(cut < rows.stop)
        up = i[~beyond(rows.value(i, cut[i]))]  # first column past the cut is still inside
        i = np.flatnonzero(cut > rows.start)
        down = i[beyond(rows.value(i, cut[i] - 1))]  # last column before it is outside
        if not up.size and not down.size:
            return cut
        cut[up] += 1
        cut[down] -= 1


def _select(rows: _Rows, ranks: Sequence[int],
            band: tuple[np.ndarray, np.ndarray, int] | None = None) -> list[float]:
    """Values of the given 1-based ranks among all rows.

    Ranks close together (k and k + 1, or an interval's ends around the median) share their
    rounds until the band cannot narrow further; each then goes on alone from that band.
    """
    k_min, k_max = min(ranks), max(ranks)
    if band is None:
        band = rows.start.astype(np.int64), rows.stop.astype(np.int64), 0
    lo, hi, below = band  # below: values left of the band, all smaller than those in it
    rng = np.random.default_rng(20240611 + k_min)  # fixed seed: same data, same rounds
    while True:
        width = hi - lo
        total = int(width.sum())
        if total <= max(_BUILD, 4 * width.size):
            r = np.repeat(np.arange(width.size), width)
            offset = np.arange(total) - np.repeat(np.cumsum(width) - width, width)
            vals = rows.value(r, lo[r] + offset)
            want = [k - below - 1 for k in ranks]
            part = np.partition(vals, want)
            return [float(part[w]) for w in want]
        cum = np.cumsum(width)
        pos = np.sort(rng.integers(0, total, _SAMPLE))
        r = np.searchsorted(cum, pos, side="right")
        sample = np.sort(rows.value(r, lo[r] + pos - (cum[r] - width[r])))
        spread = 3 * math.sqrt(_SAMPLE)
        i_lo = math.floor((k_min - below) / total * _SAMPLE - spread)
        i_hi = math.ceil((k_max - below) / total * _SAMPLE + spread)
        t_lo = float(sample[max(i_lo, 0)])
        t_hi = float(sample[min(i_hi, _SAMPLE - 1)])
        new_lo = lo if i_lo < 0 else np.clip(_split(rows, t_lo, "left"), lo, hi)
        new_hi = hi if i_hi >= _SAMPLE else np.clip(_split(rows, t_hi, "right"), new_lo, hi)
        left = below + int((new_lo - lo).sum())
        kept = int((new_hi - new_lo).sum())
        inside = left < k_min and k_max <= left + kept
        if inside and (kept <= total // 8 or len(ranks) == 1 and kept < total):
            lo, hi, below = new_lo, new_hi, left
        elif k_max <= left:  # an unlucky sample: keep the side that holds the ranks
            hi = new_lo
        elif k_min > left + kept:
            below, lo = left + kept, new_hi
        elif len(ranks) > 1:  # ranks too far apart to share the band: split at the widest gap
            if inside:
                lo, hi, below = new_lo, new_hi, left
            order = sorted(ranks)
            cut = max(range(1, len(order)), key=lambda i: order[i] - order[i - 1])
            found = dict(zip(order[:cut], _select(rows, order[:cut], (lo, hi, below)),
                             strict=True))
            found.update(zip(order[cut:], _select(rows, order[cut:], (lo, hi, below)),
                             strict=True))
            return [found[k] for k in ranks]
        else:
            # Heavy ties kept the band whole. One pivot at the rank: the values equal to it
            # either hold the rank (done) or leave with one side, so the band shrinks.
            t = float(sample[min(max(round((k_min - below) / total * _SAMPLE), 0), _SAMPLE - 1)])
            new_lo = np.clip(_split(rows, t, "left"), lo, hi)
            new_hi = np.clip(_split(rows, t, "right"), new_lo, hi)
            left = below + int((new_lo - lo).sum())
            kept = int((new_hi - new_lo).sum())
            if left < k_min <= left + kept:
                return [t]
            if k_min <= left:
                hi = new_lo
            else:
                below, lo = left + kept, new_hi


def kth_differences(a: np.ndarray, b: np.ndarray, ranks: Sequence[int]) -> list[float]:
    """Order statistics (1-based ``ranks``) of all differences a_i - b_j."""
    as_, bs = np.sort(a), np.sort(b)
    bd = bs[::-1]  # columns by decreasing b, so each row a_i - b_j increases
    nb = bs.size

    def split(t: float, side: str) -> np.ndarray:
        # a_i - b_j <= t  <=>  b_j >= a_i - t;   a_i - b_j < t  <=>  b_j > a_i - t
        flip = "left" if side == "right" else "right"
        return nb - np.searchsorted(bs, as_ - t, side=flip)

    rows = _Rows(np.zeros(as_.size, np.int64), np.full(as_.size, nb, np.int64),
                 lambda i, j: as_[i] - bd[j], split)
    return _select(rows, ranks)


def kth_walsh(d: np.ndarray, ranks: Sequence[int]) -> list[float]:
    """Order statistics (1-based ``ranks``) of the Walsh averages (d_i + d_j) / 2, i <= j."""
    ds = np.sort(d)
    idx = np.arange(ds.size, dtype=np.int64)

    def split(t: float, side: str) -> np.ndarray:
        # needles in increasing order: numpy's searchsorted then reuses the last position
        return np.clip(np.searchsorted(ds, (2 * t - ds)[::-1], side=side)[::-1], idx, ds.size)

    rows = _Rows(idx, np.full(ds.size, ds.size, np.int64), lambda i, j: (ds[i] + ds[j]) / 2,
                 split)
    return _select(rows, ranks)


def _median_and_ends(kth: Callable[[Sequence[int]], list[float]], n: int,
                     k: int) -> tuple[float, tuple[float, float]]:
    mid = [n // 2 + 1] if n % 2 else [n // 2, n // 2 + 1]
    k = min(max(k, 1), n)
    values = kth([k, *mid, n - k + 1])  # one selection: the ends lie close to the median
    return float(np.mean(values[1:-1])), (values[0], values[-1])


def shift_two_sample(a: np.ndarray, b: np.ndarray, alpha: float,
                     k: int | None = None) -> tuple[float, tuple[float, float]]:
    """Median of all differences a_i - b_j and its distribution-free interval.

    The interval is the k-th smallest and k-th largest difference. Without ``k`` it comes
    from the normal approximation to the Mann-Whitney statistic (no tie correction), as in
    Minitab's Mann-Whitney for large samples; the exact rank is passed in for small samples.
    """
    from scipy import stats

    n = a.size * b.size
    if k is None:
        z = stats.norm.isf(alpha / 2)
        k = int(math.floor(n / 2 - z * math.sqrt(n * (a.size + b.size + 1) / 12)))
    return _median_and_ends(lambda ranks: kth_differences(a, b, ranks), n, k)


def shift_one_sample(d: np.ndarray, alpha: float,
                     k: int | None = None) -> tuple[float, tuple[float, float]]:
    """Median of the Walsh averages (d_i + d_j) / 2, i <= j, and its interval (as above)."""
    from scipy import stats

    m = d.size
    n = m * (m + 1) // 2
    if k is None:
        z = stats.norm.isf(alpha / 2)
        k = int(math.floor(n / 2 - z * math.sqrt(m * (m + 1) * (2 * m + 1) / 24)))
    return _median_and_ends(lambda ranks: kth_walsh(d, ranks), n, k)
