"""Timings of the statistics package on large inputs, next to a plain numpy pass.

Run: .venv/bin/python bench/stats_bench.py
Each line shows the best of a few runs, and beside it np.mean + np.std over the same data
for scale.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ciapp import stats  # noqa: E402


def best_of(func: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def numpy_pass(data: np.ndarray) -> float:
    return best_of(lambda: (np.mean(data), np.std(data)))


def line(label: str, seconds: float | None, baseline: float) -> None:
    shown = "not available" if seconds is None else f"{seconds * 1e3:9.1f} ms"
    print(f"{label:<48} {shown:>14}   numpy mean+std {baseline * 1e3:7.1f} ms")


def optional(name: str, call: Callable[[], Any]) -> float | None:
    try:
        getattr(stats, name)
    except (AttributeError, ImportError):
        return None
    return best_of(call)


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import ciapp.stats; " \
           "print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout) for _ in range(3)]
    return min(runs)


def main() -> None:
    rng = np.random.default_rng(2024)
    stats.control_chart("i", [1.0, 2.0, 1.5])  # warm the lazy imports and d2 cache
    for n in (10**5, 10**6):
        x = rng.normal(10, 1, n)
        line(f"I-MR, all eight rules, {n:.0e} points",
             best_of(lambda x=x: (stats.control_chart("i", x),
                                  stats.control_chart("mr", x))), numpy_pass(x))
    groups = rng.normal(10, 1, (200_000, 5))
    line("Xbar-R, 2e5 subgroups of 5",
         best_of(lambda: (stats.control_chart("xbar", groups),
                          stats.control_chart("r", groups))), numpy_pass(groups))
    sizes = rng.integers(50, 500, 10**5)
    defectives = rng.binomial(sizes, 0.05)
    line("p chart, 1e5 points of varying size",
         best_of(lambda: stats.control_chart("p", defectives, sizes)), numpy_pass(sizes))
    skewed = rng.lognormal(1.0, 0.4, 10**6)
    line("capability with Box-Cox, 1e6 points",
         optional("capability", lambda: stats.capability(skewed, lsl=0.5, usl=12.0,
                                                         transform="boxcox")),
         numpy_pass(skewed))
    before, after = rng.normal(10, 1, 10**6), rng.normal(9.9, 1, 10**6)
    line("compare(before, after), 2 x 1e6 points",
         optional("compare", lambda: stats.compare(before, after)), numpy_pass(before))
    print(f"{'import ciapp.stats (fresh process)':<48} {import_time() * 1e3:9.1f} ms")


if __name__ == "__main__":
    main()
