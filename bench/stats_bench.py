"""Timings of the statistics package on large inputs, each next to a bare numpy pass that
does the same work.

Run: .venv/bin/python bench/stats_bench.py
Each line shows the best of a few interleaved runs (CPU time) of ciapp.stats and of the
bare pass, and their ratio. "The same work" is what a numpy user would write for the same
numbers with no input checks, no result object and no missing-value handling: e.g. for an
I chart with the eight rules, the mean, the mean moving range, z-scores and each rule as
cumulative-sum windows. The goal is a ratio under 1.5 for every chart and capability.

For Box-Cox the bare pass is the work left once lambda is known (log, transform, a normal
capability), so its ratio is the cost of the lambda search; the goal there is an absolute
one, under 0.2 s. The rules run faster than the textbook cumulative-sum windows of the bare
pass (byte-wide doubling ANDs for runs, shifted adds for short windows), which is why some
ratios are near or under 1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import special

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ciapp import stats  # noqa: E402

GOAL = 1.5


def best_pair(ours: Callable[[], Any], bare: Callable[[], Any],
              repeat: int = 5) -> tuple[float, float]:
    """Best of ``repeat`` interleaved runs of each, in CPU time of this process: on a busy
    machine wall time mostly measures the other processes."""
    t_ours, t_bare = [], []
    for _ in range(repeat):
        for func, times in ((ours, t_ours), (bare, t_bare)):
            start = time.process_time()
            func()
            times.append(time.process_time() - start)
    return min(t_ours), min(t_bare)


def line(label: str, ours: float | None, bare: float, goal: float | None = GOAL) -> None:
    if ours is None:
        print(f"{label:<46} {'not available':>12}")
        return
    ratio = ours / bare
    flag = "" if goal is None else ("  ok" if ratio <= goal else f"  over {goal}x")
    print(f"{label:<46} {ours * 1e3:9.1f} ms   bare numpy {bare * 1e3:8.1f} ms   "
          f"x{ratio:5.2f}{flag}")


# --- bare numpy passes ---------------------------------------------------------------------


def _windows(cond: np.ndarray, k: int) -> np.ndarray:
    cs = np.cumsum(cond, dtype=np.int32)
    out = cs.copy()
    out[k:] -= cs[:-k]
    return out


def _runs(cond: np.ndarray, k: int) -> np.ndarray:
    return np.flatnonzero(_windows(cond, k)[k - 1:] == k) + k - 1


def bare_rules(x: np.ndarray, center: float, sigma: float, eight: bool = True) -> list:
    """Nelson's tests (Minitab's K) on a series with constant center and sigma."""
    z = (x - center) / sigma
    up, dn = z > 0, z < 0
    steps = np.diff(x)
    out = [np.flatnonzero(np.abs(z) > 3),
           np.sort(np.r_[_runs(up, 9), _runs(dn, 9)]),
           np.sort(np.r_[_runs(steps > 0, 5), _runs(steps < 0, 5)]) + 1,
           _runs(steps[:-1] * steps[1:] < 0, 12) + 2]
    if eight:
        a2, b2, a1, b1 = z > 2, z < -2, z > 1, z < -1
        out += [np.sort(np.r_[np.flatnonzero(a2 & (_windows(a2, 3) >= 2)),
                              np.flatnonzero(b2 & (_windows(b2, 3) >= 2))]),
                np.sort(np.r_[np.flatnonzero(a1 & (_windows(a1, 5) >= 4)),
                              np.flatnonzero(b1 & (_windows(b1, 5) >= 4))]),
                _runs(np.abs(z) < 1, 15), _runs(np.abs(z) > 1, 8)]
    return [hits.tolist() for hits in out]


def bare_imr(x: np.ndarray) -> None:
    center, mr = x.mean(), np.abs(np.diff(x))
    sigma = mr.mean() / 1.1283791670955126
    bare_rules(x, center, sigma)
    np.flatnonzero(mr > 3.267 * mr.mean()).tolist()


def bare_xbar_r(g: np.ndarray) -> None:
    means, ranges = g.mean(axis=1), np.ptp(g, axis=1)
    sigma = ranges.mean() / 2.3259289472
    bare_rules(means, means.mean(), sigma / np.sqrt(g.shape[1]))
    np.flatnonzero(ranges > 2.114 * ranges.mean()).tolist()


def bare_p(d: np.ndarray, n: np.ndarray) -> None:
    p = d / n
    pbar = d.sum() / n.sum()
    s = np.sqrt(pbar * (1 - pbar) / n)
    np.maximum(pbar - 3 * s, 0.0), np.minimum(pbar + 3 * s, 1.0)  # per-point limits
    z = (p - pbar) / s
    bare_rules(z, 0.0, 1.0, eight=False)


def bare_ad(x: np.ndarray) -> float:
    n = x.size
    z = np.sort((x - x.mean()) / x.std(ddof=1))
    i = np.arange(1, n + 1)
    return float(-n - np.sum((2 * i - 1) * (special.log_ndtr(z)
                                             + special.log_ndtr(-z[::-1]))) / n)


def bare_capability(x: np.ndarray, lsl: float, usl: float) -> None:
    mean, sd = x.mean(), x.std(ddof=1)
    within = np.abs(np.diff(x)).mean() / 1.1283791670955126
    for s in (within, sd):
        special.ndtr((lsl - mean) / s), special.ndtr((mean - usl) / s)
    np.count_nonzero(x < lsl), np.count_nonzero(x > usl)
    bare_ad(x)


def bare_boxcox_known_lambda(x: np.ndarray, lam: float, lsl: float, usl: float) -> None:
    y = np.expm1(lam * np.log(x)) / lam
    bare_capability(y, np.expm1(lam * np.log(lsl)) / lam, np.expm1(lam * np.log(usl)) / lam)


def bare_run_chart(x: np.ndarray) -> None:
    side = np.sign(x - np.median(x))
    side = side[side != 0]
    starts = np.flatnonzero(np.r_[True, side[1:] != side[:-1]])
    np.diff(np.r_[starts, side.size]).max()


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import ciapp.stats; " \
           "print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout) for _ in range(3)]
    return min(runs)


def main() -> None:
    rng = np.random.default_rng(2024)
    stats.control_chart("i", [1.0, 2.0, 1.5])  # warm the lazy imports and d2 cache
    stats.capability(rng.normal(size=50), lsl=-3, usl=3)
    for n in (10**5, 10**6):
        x = rng.normal(10, 1, n)
        line(f"I-MR, all eight rules, {n:.0e} points",
             *best_pair(lambda x=x: (stats.control_chart("i", x),
                                     stats.control_chart("mr", x)), lambda x=x: bare_imr(x),
                       repeat=15 if n < 10**6 else 5))
    groups = rng.normal(10, 1, (200_000, 5))
    line("Xbar-R, 2e5 subgroups of 5",
         *best_pair(lambda: (stats.control_chart("xbar", groups),
                             stats.control_chart("r", groups)), lambda: bare_xbar_r(groups)))
    sizes = rng.integers(50, 500, 10**5)
    defectives = rng.binomial(sizes, 0.05)
    line("p chart, 1e5 points of varying size",
         *best_pair(lambda: stats.control_chart("p", defectives, sizes),
                    lambda: bare_p(defectives, sizes)))
    x = rng.normal(10, 1, 10**6)
    line("capability (normal), 1e6 points",
         *best_pair(lambda: stats.capability(x, lsl=6.0, usl=14.0),
                    lambda: bare_capability(x, 6.0, 14.0)))
    from ciapp.stats.normality import anderson_darling
    line("Anderson-Darling, 1e6 points", *best_pair(lambda: anderson_darling(x),
                                                   lambda: bare_ad(x)))
    skewed = rng.lognormal(1.0, 0.4, 10**6)
    lam = stats.capability(skewed, lsl=0.5, usl=12.0, transform="boxcox").boxcox_lambda
    ours, bare = best_pair(lambda: stats.capability(skewed, lsl=0.5, usl=12.0,
                                                    transform="boxcox"),
                           lambda: bare_boxcox_known_lambda(skewed, lam, 0.5, 12.0), repeat=3)
    line("capability with Box-Cox, 1e6 points", ours, bare, goal=None)
    print(f"{'':<46} goal: under 200 ms -> {'ok' if ours < 0.2 else 'over'}")
    line("run chart (Anhoej rules), 1e6 points",
         *best_pair(lambda: stats.run_chart(x), lambda: bare_run_chart(x)))
    before, after = rng.normal(10, 1, 10**6), rng.normal(9.9, 1, 10**6)
    if hasattr(stats, "compare"):
        line("compare(before, after), 2 x 1e6 points",
             *best_pair(lambda: stats.compare(before, after),
                        lambda: (before.mean(), before.std(), after.mean(), after.std()),
                        repeat=3), goal=None)
    from scipy.stats import mannwhitneyu

    from ciapp.stats.hodges_lehmann import shift_two_sample
    line("Hodges-Lehmann + interval vs SciPy Mann-Whitney",  # goal: within 10x, 1e6 x 1e6
         *best_pair(lambda: shift_two_sample(after, before, 0.05),
                    lambda: mannwhitneyu(after, before), repeat=2), goal=10.0)
    print(f"{'import ciapp.stats (fresh process)':<46} {import_time() * 1e3:9.1f} ms")


if __name__ == "__main__":
    main()
