"""Control charts drawn from a :class:`ciapp.stats.ControlChart`: points, center line and
limits labelled with their values, signals marked with their rule numbers, stage
boundaries and names, excluded points hollow, optional specification limits, and a tooltip
on every point. Computation stays in ``ciapp.stats``; this module only draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .style import INK, LIGHT, PALETTE, figure, fmt, label_right
from .svg import to_png, to_svg, with_point_titles
from .words import describe_rule

WINDOW = 2000  # above this many points a chart shows a window; statistics use them all


@dataclass(frozen=True)
class PointInfo:
    """What the page knows of each input position: its label (a time or subgroup), a note,
    and the link that opens its row; by position, for every point or (a mapping) only the
    plotted ones."""

    labels: Sequence[str] | Mapping[int, str] | None = None
    notes: Sequence[str | None] | Mapping[int, str | None] | None = None
    links: Sequence[str | None] | Mapping[int, str] | None = None


@dataclass(frozen=True)
class ChartView:
    title: str = ""
    unit: str = ""
    specs: dict[str, float | None] = field(default_factory=dict)  # lsl / usl / target
    show_specs: bool = False
    window: tuple[int, int] | None = None  # plotted positions [start, stop)
    width: float = 9.0


def window_of(n: int, window: tuple[int, int] | None) -> tuple[int, int]:
    """The plotted range: the one asked for, clipped, or the last WINDOW points."""
    if window is None:
        return (max(0, n - WINDOW), n)
    start, stop = window
    start = max(0, min(start, n - 1))
    stop = max(start + 1, min(stop, n, start + WINDOW))
    return start, stop


def _signals_by_position(chart: Any) -> dict[int, list[int]]:
    by_point: dict[int, list[int]] = {}
    for rule, positions in chart.violations.items():
        for pos in positions:
            by_point.setdefault(int(pos), []).append(int(rule))
    return by_point


def _stage_breaks(chart: Any) -> list[tuple[int, str]]:
    """(first plotted index, label) of every stage."""
    if not chart.stages:
        return []
    out, last = [], object()
    for i, label in enumerate(chart.stages):
        if label != last:
            out.append((i, str(label)))
            last = label
    return out


def draw(chart: Any, info: PointInfo | None = None, view: ChartView | None = None
         ) -> tuple[Figure, list[tuple[str, list[str], list[str | None]]]]:
    """The figure, and per group of markers its SVG id, and each marker's tooltip and link."""
    info, view = info or PointInfo(), view or ChartView()
    stats_y = np.asarray(chart.statistics, dtype=float)
    n = len(stats_y)
    start, stop = window_of(n, view.window)
    x = np.arange(start, stop) + 1  # numbered from 1, as the rows and subgroups are
    y = stats_y[start:stop]
    positions = np.asarray(chart.index)[start:stop]
    signals = _signals_by_position(chart)
    fig, ax = figure(view.width, 3.6 if n > 1 else 3.0)

    breaks = _stage_breaks(chart) or [(0, "")]
    ends = [b for b, _ in breaks[1:]] + [n]
    center_name = "X̄" if chart.kind == "xbar" else "CL"
    for (first, label), last in zip(breaks, ends, strict=True):
        lo, hi = max(first, start), min(last, stop)
        if lo >= hi:
            continue
        xs = np.arange(lo, hi) + 1
        for values, name in ((chart.ucl, "UCL"), (chart.center, center_name),
                             (chart.lcl, "LCL")):
            v = np.asarray(values, dtype=float)[lo:hi]
            is_center = name == center_name
            ax.step(xs, v, where="mid", color=INK if is_center else PALETTE["limit"],
                    linewidth=1.1 if is_center else 1.0, linestyle="-" if is_center else "--")
            if np.isfinite(v[-1]):
                ax.annotate(f"{name}={fmt(float(v[-1]))}", xy=(hi + 0.4, v[-1]),
                            xytext=(0, 2), textcoords="offset points", ha="right",
                            va="bottom", fontsize=7.5, color=INK)
        if label and len(breaks) > 1:
            ax.axvline(first + 0.5, color=LIGHT, linewidth=1)
            ax.annotate(label, xy=(lo + 0.6, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(2, -2), textcoords="offset points", va="top", ha="left",
                        fontsize=8, color=INK)

    ax.plot(x, y, color=PALETTE["line"], linewidth=0.8, zorder=2)
    excluded = np.array([int(p) in chart.excluded for p in positions], dtype=bool)
    flagged = np.array([int(p) in signals for p in positions], dtype=bool)
    size = 16 if len(x) <= 300 else 6
    groups = []  # one scatter per look: uniform colours draw far faster than per-point ones
    for gid, mask, colour, hollow in (("pts-ok", ~flagged & ~excluded, PALETTE["point"], False),
                                      ("pts-signal", flagged & ~excluded, PALETTE["signal"],
                                       False),
                                      ("pts-excl", excluded & ~flagged, PALETTE["point"], True),
                                      ("pts-excl-signal", excluded & flagged,
                                       PALETTE["signal"], True)):
        if mask.any():
            ax.scatter(x[mask], y[mask], s=size, facecolors="none" if hollow else colour,
                       edgecolors=colour, linewidths=0.9, zorder=3, gid=gid)
            groups.append((gid, np.flatnonzero(mask)))
    if flagged.sum() <= 60:
        for xi, yi, pos in zip(x[flagged], y[flagged], positions[flagged], strict=True):
            ax.annotate(",".join(map(str, sorted(signals[int(pos)]))), (xi, yi),
                        textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7,
                        color=PALETTE["signal"])

    if view.show_specs:
        for key, name in (("lsl", "LSL"), ("usl", "USL"), ("target", "Target")):
            value = view.specs.get(key)
            if value is not None:
                ax.axhline(value, color=PALETTE["spec"], linewidth=1.2, linestyle=":")
                label_right(ax, value, f"{name}={fmt(value)}", colour=PALETTE["spec"],
                            left=True)

    ax.set_xlim(start + 0.2, stop + 0.8 + max(1, (stop - start) * 0.01))
    ax.set_ylabel(_y_label(chart, view.unit))
    ax.set_xlabel("Subgroup" if chart.kind in ("xbar", "r", "s") else "Observation")
    if view.title:
        ax.set_title(view.title, loc="left", fontsize=10, pad=4)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.15)
    titles = [_tooltip(chart, int(pos), float(yv), signals, info, view.unit)
              for pos, yv in zip(positions, y, strict=True)]
    links = [info.links[int(p)] if info.links else None for p in positions]
    return fig, [(gid, [titles[i] for i in idx], [links[i] for i in idx])
                 for gid, idx in groups]


def _y_label(chart: Any, unit: str) -> str:
    names = {"i": "Individual value", "xbar": "Subgroup mean", "mr": "Moving range",
             "r": "Range", "s": "Standard deviation", "p": "Proportion", "np": "Count",
             "c": "Count", "u": "Defects per unit", "laney_p": "Proportion",
             "laney_u": "Defects per unit", "ewma": "EWMA", "cusum": "Cumulative sum",
             "g": "Opportunities between events", "t": "Time between events"}
    name = names.get(chart.kind, "Value")
    return f"{name} ({unit})" if unit and chart.kind not in ("p", "laney_p", "u", "laney_u",
                                                             "np", "c") else name


def _tooltip(chart: Any, pos: int, value: float, signals: dict[int, list[int]],
             info: PointInfo, unit: str) -> str:
    label = info.labels[pos] if info.labels else f"point {pos + 1}"
    lines = [f"{label}: {fmt(value)}{(' ' + unit) if unit else ''}"]
    for rule in sorted(signals.get(pos, [])):
        lines.append(f"Rule {rule}: {describe_rule(rule, chart.run_lengths.get(rule))}")
    if pos in chart.excluded:
        lines.append(f"Excluded from the limits: {chart.excluded[pos]}")
    if info.notes and info.notes[pos]:
        lines.append(f"Note: {info.notes[pos]}")
    return "\n".join(lines)


def svg(chart: Any, info: PointInfo | None = None, view: ChartView | None = None) -> str:
    fig, groups = draw(chart, info, view)
    out = to_svg(fig)
    for gid, titles, links in groups:
        out = with_point_titles(out, gid, titles, links)
    return out


def png(chart: Any, info: PointInfo | None = None, view: ChartView | None = None) -> bytes:
    fig, _ = draw(chart, info, view)
    return to_png(fig)
