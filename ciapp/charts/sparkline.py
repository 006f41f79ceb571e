"""A small chart of a KPI's recent points with its limits and target, written as SVG text
directly: a board of hundreds of KPIs cannot afford a matplotlib figure each (about 45 ms
apiece), and a few polylines say what a tile needs. Same palette as the full charts;
presentation attributes only, so a strict content security policy lets it draw."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

from .style import INK, PALETTE


def _finite(values: Sequence[Any]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def sparkline(points: Sequence[Sequence[Any]], *, target: float | None = None,
              title: str = "", width: int = 180, height: int = 48) -> str:
    """``points`` are (value, center, lower, upper, signal) rows, oldest first; limits may
    be None (a run chart's), signals are drawn in the signal colour."""
    if not points:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'role="img" viewBox="0 0 {width} {height}"><title>{html.escape(title)}'
                f'</title><text x="4" y="{height // 2}" font-size="10" fill="{INK}">'
                "no values yet</text></svg>")
    columns = list(zip(*points, strict=True))
    every = _finite(columns[0]) + _finite(columns[2]) + _finite(columns[3]) + \
        _finite(columns[1]) + ([target] if target is not None else [])
    lo, hi = min(every), max(every)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad
    n = len(points)
    step = (width - 8) / max(n - 1, 1)

    def x(i: int) -> float:
        return 4 + i * step

    def y(v: float) -> float:
        return height - 3 - (v - lo) / (hi - lo) * (height - 6)

    def line(k: int, colour: str, dash: str = "") -> str:
        pts = [(x(i), y(float(p[k]))) for i, p in enumerate(points)
               if p[k] is not None and math.isfinite(float(p[k]))]
        if not pts:
            return ""
        if len(pts) == 1:
            pts = [(4, pts[0][1]), (width - 4, pts[0][1])]
        d = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="1"'
                f"{extra}/>")

    parts = [line(2, PALETTE["limit"], "3,2"), line(3, PALETTE["limit"], "3,2"),
             line(1, INK, "")]
    if target is not None:
        ty = y(target)
        parts.append(f'<line x1="4" x2="{width - 4}" y1="{ty:.1f}" y2="{ty:.1f}" '
                     f'stroke="{PALETTE["spec"]}" stroke-width="1.2" stroke-dasharray="1,2"/>')
    parts.append(line(0, PALETTE["point"]))
    for i, p in enumerate(points):
        if p[4] or i == n - 1:
            colour = PALETTE["signal"] if p[4] else PALETTE["point"]
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(float(p[0])):.1f}" r="2.2" '
                         f'fill="{colour}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img"><title>{html.escape(title)}</title>'
            + "".join(parts) + "</svg>")
