"""The look shared by every chart: the Okabe-Ito colour-blind-safe palette, figure set-up
without pyplot (pyplot keeps figures alive in a global registry, which leaks in a server),
value formatting and labels at the right edge of a chart."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
# colour blindness.
PALETTE = {
    "point": "#0072B2",  # blue
    "line": "#56B4E9",  # sky blue
    "signal": "#D55E00",  # vermillion
    "limit": "#E69F00",  # orange
    "spec": "#009E73",  # bluish green
    "after": "#CC79A7",  # reddish purple
}
INK = "#222222"
LIGHT = "#999999"


def figure(width: float = 9.0, height: float = 3.6) -> tuple[Figure, Any]:
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8, colors=INK)
    ax.xaxis.label.set_size(9)
    ax.yaxis.label.set_size(9)
    return fig, ax


def fmt(value: float) -> str:
    """Four significant figures, as a control card would write the limits."""
    if value == 0:
        return "0"
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.4e}"


def label_right(ax: Any, value: float, text: str, *, colour: str = INK,
                left: bool = False) -> None:
    """``text`` beside the line at ``value``, at the chart's right edge (or left)."""
    ax.annotate(text, xy=(0 if left else 1, value), xycoords=("axes fraction", "data"),
                xytext=(3, -2) if left else (-3, 2), textcoords="offset points",
                ha="left" if left else "right", va="top" if left else "bottom", fontsize=7.5,
                color=colour)
