"""The leadership summary's cumulative benefits chart: projected, realized and validated
running totals over the months of a year. Plain numbers in, a figure out."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .style import INK, PALETTE, figure

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")
SERIES = (("projected", "Projected", PALETTE["line"], "--"),
          ("realized", "Realized", PALETTE["point"], "-"),
          ("realized_validated", "Realized, validated by finance", PALETTE["spec"], "-"))


def _money(value: float, _pos: int = 0) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.0f}"


def cumulative_figure(series: dict[str, Sequence[float]], currency: str, year: int,
                      months_shown: int = 12) -> Figure:
    """``series`` maps projected / realized / realized_validated to twelve running totals;
    realized lines stop at ``months_shown`` (the months that have happened)."""
    fig, ax = figure(8.0, 3.2)
    x = list(range(1, 13))
    for name, label, colour, style in SERIES:
        values = list(series.get(name, ()))
        if name != "projected":
            values = values[:months_shown]
        if values:
            ax.plot(x[:len(values)], values, style, color=colour, linewidth=1.8,
                    marker="o", markersize=3, label=label)
    ax.set_xticks(x, MONTH_NAMES, fontsize=8)
    ax.set_xlim(0.6, 12.4)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(_money))
    ax.set_ylabel(f"Cumulative benefits ({currency})")
    ax.set_title(f"Benefits {year}, cumulative", loc="left", fontsize=10, color=INK)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.12)
    return fig
