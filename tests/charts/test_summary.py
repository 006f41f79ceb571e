"""Capability histogram, before/after box plots, Pareto and Gage R&R drawings."""

from __future__ import annotations

import numpy as np

from ciapp import stats
from ciapp.charts import summary
from ciapp.charts.svg import to_svg

RNG = np.random.default_rng(5)


def test_capability_shows_the_specs_and_both_sigmas() -> None:
    x = RNG.normal(10, 1, 100)
    cap = stats.capability(x, lsl=7, usl=13, target=10)
    svg = to_svg(summary.capability_figure(x, cap, unit="g", title="Fill weight"))
    for text in ("LSL=7", "USL=13", "Target=10", "within σ=", "overall σ=", "Value (g)"):
        assert text in svg


def test_comparison_labels_both_groups() -> None:
    svg = to_svg(summary.comparison_figure([1, 2, 3], [2, 3, 4], labels=("Baseline",
                                                                         "After change")))
    assert ">Baseline</text>" in svg and ">After change</text>" in svg


def test_pareto_wraps_long_labels_and_keeps_their_order() -> None:
    result = stats.pareto(["Late supplier delivery", "Wrong label", "Other"], [40, 25, 3])
    svg = to_svg(summary.pareto_figure(result))
    assert svg.index(">Late supplier</text>") < svg.index(">Wrong label</text>")
    assert "Cumulative %" in svg


def test_gage_rr_components() -> None:
    parts = np.repeat(np.arange(10), 6)
    operators = np.tile(np.repeat(np.arange(3), 2), 10)
    values = parts * 1.0 + RNG.normal(0, 0.2, 60)
    svg = to_svg(summary.gage_figure(stats.gage_rr(values, parts, operators)))
    assert "Gage R&amp;R" in svg and "% study variation" in svg
