"""The other drawings of an analysis: the capability histogram, before/after box plots,
the Pareto chart and the Gage R&R components of variation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .style import INK, LIGHT, PALETTE, figure, fmt

SPEC_LINES = (("lsl", "LSL"), ("target", "Target"), ("usl", "USL"))


def capability_figure(values: Sequence[float], cap: Any, *, unit: str = "",
                      title: str = "") -> Any:
    """Histogram of the values with the normal curves of the within and overall sigma and
    the specification limits, as Minitab's capability report draws them."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    fig, ax = figure(7.5, 3.6)
    bins = int(np.clip(np.ceil(np.log2(len(x)) + 1), 5, 40))  # Sturges, bounded
    ax.hist(x, bins=bins, density=True, color=PALETTE["line"], edgecolor="white")
    specs = {k: getattr(cap, k, None) for k, _ in SPEC_LINES}
    span = [v for v in (x.min(), x.max(), *(s for s in specs.values() if s is not None))]
    lo, hi = min(span), max(span)
    pad = (hi - lo) * 0.08 or 1.0
    grid = np.linspace(lo - pad, hi + pad, 300)
    mean = float(np.mean(x))
    for sigma, colour, style, name in ((getattr(cap, "sigma_within", None), PALETTE["point"],
                                        "-", "within"),
                                       (getattr(cap, "sigma_overall", None), INK, "--",
                                        "overall")):
        if sigma and np.isfinite(sigma) and sigma > 0:
            density = np.exp(-0.5 * ((grid - mean) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
            ax.plot(grid, density, color=colour, linestyle=style, linewidth=1.2,
                    label=f"Normal, {name} σ={fmt(sigma)}")
    for key, name in SPEC_LINES:
        value = specs[key]
        if value is not None:
            ax.axvline(value, color=PALETTE["spec"] if key != "target" else LIGHT,
                       linewidth=1.4, linestyle="-" if key != "target" else ":")
            ax.annotate(f"{name}={fmt(value)}", xy=(value, 1.0),
                        xycoords=("data", "axes fraction"), xytext=(2, -2),
                        textcoords="offset points", va="top", fontsize=7.5, color=INK)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_yticks([])
    ax.set_xlabel(f"Value ({unit})" if unit else "Value")
    ax.legend(fontsize=7, frameon=False, loc="upper right", bbox_to_anchor=(1, 0.9))
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    fig.subplots_adjust(left=0.04, right=0.98, top=0.88, bottom=0.16)
    return fig


def comparison_figure(before: Sequence[float], after: Sequence[float], *,
                      labels: tuple[str, str] = ("Before", "After"), unit: str = "",
                      title: str = "") -> Any:
    """Box plots of before and after side by side, each with its points and its mean."""
    fig, ax = figure(8.0, 2.8)
    groups = [np.asarray(before, dtype=float), np.asarray(after, dtype=float)]
    labels = (_wrap(labels[0], 18), _wrap(labels[1], 18))
    ax.boxplot(groups, orientation="horizontal", widths=0.5, showmeans=True,
               tick_labels=list(labels),
               medianprops={"color": INK}, meanprops={"marker": "D", "markerfacecolor": INK,
                                                      "markeredgecolor": INK, "markersize": 4},
               flierprops={"marker": "o", "markersize": 3, "markeredgecolor": LIGHT})
    rng = np.random.default_rng(0)  # a fixed jitter: the same data draw the same picture
    for k, (values, colour) in enumerate(zip(groups, (PALETTE["point"], PALETTE["after"]),
                                             strict=True), start=1):
        shown = values if len(values) <= 2000 else values[:: len(values) // 2000 + 1]
        ax.scatter(shown, k + rng.uniform(-0.12, 0.12, len(shown)), s=6, color=colour,
                   alpha=0.5, zorder=1)
    ax.set_xlabel(f"Value ({unit})" if unit else "Value")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    fig.subplots_adjust(left=0.2, right=0.98, top=0.9, bottom=0.2)
    return fig


def pareto_figure(result: Any, *, title: str = "") -> Any:
    """Bars in falling order with the cumulative percentage line and the vital-few cut."""
    labels = [str(label) for label in result.labels]
    counts = np.asarray(result.counts, dtype=float)
    fig, ax = figure(max(5.0, min(12.0, 0.6 * len(labels) + 3)), 3.8)
    vital = set(map(str, result.vital_few))
    colours = [PALETTE["point"] if label in vital else PALETTE["line"] for label in labels]
    positions = np.arange(len(labels))
    ax.bar(positions, counts, color=colours)
    ax.set_xticks(positions, [_wrap(label) for label in labels], fontsize=7.5, rotation=0)
    ax.set_ylabel("Count")
    right = ax.twinx()
    right.plot(positions, result.cumulative_percent, color=PALETTE["signal"], marker="o",
               markersize=3, linewidth=1.2)
    right.set_ylim(0, 105)
    right.axhline(100 * result.threshold, color=LIGHT, linestyle=":", linewidth=1)
    right.set_ylabel("Cumulative %", fontsize=9)
    right.tick_params(labelsize=8)
    for side in ("top",):
        right.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    fig.subplots_adjust(left=0.08, right=0.88, top=0.88, bottom=0.2)
    return fig


def _wrap(label: str, width: int = 14) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def gage_figure(result: Any, *, title: str = "") -> Any:
    """Components of variation as % contribution and % study variation, as Minitab draws
    the first panel of its Gage R&R report."""
    d = result.to_dict()
    names = [("total_gage_rr", "Gage R&R"), ("repeatability", "Repeat"),
             ("reproducibility", "Reprod"), ("part_to_part", "Part-to-part")]
    contribution = d.get("percent_contribution") or {}
    study = d.get("percent_study_variation") or {}
    shown = [(label, contribution.get(key), study.get(key)) for key, label in names
             if key in contribution]
    fig, ax = figure(6.5, 3.4)
    positions = np.arange(len(shown))
    ax.bar(positions - 0.2, [c or 0 for _, c, _ in shown], 0.4, color=PALETTE["point"],
           label="% contribution")
    ax.bar(positions + 0.2, [s or 0 for _, _, s in shown], 0.4, color=PALETTE["limit"],
           label="% study variation")
    ax.set_xticks(positions, [label for label, _, _ in shown], fontsize=8)
    ax.set_ylabel("Percent")
    ax.legend(fontsize=7, frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.98, top=0.88, bottom=0.14)
    return fig
