"""The signals of a report's period, in words, from the KPI's values near the period rather
than its whole history: the report of 500 KPIs with three years of daily values each would
otherwise chart 550,000 values on every view.

The result is the KPI page's (``chart.staged``): each limits record is a stage whose limits
come from its baseline, and the tests for special causes run inside each stage. A test
looks back at most ``LOOKBACK`` points, so a point of the period is judged the same when the
chart holds, per stage, the stage's baseline (a stage of its own, whose limits the next
stage inherits) followed by the period's values and the ``LOOKBACK`` values before them
(or the stage's first values, when it started later). Rare-event charts (g, t) measure the
gaps between events over the whole history, so they are charted whole, as on the KPI page.
Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..charts.control import PointInfo
from ..stats import StatsInputError, control_chart
from . import periods as P
from . import status as S
from .chart import _signals

LOOKBACK = 10
"""Values before a point that a test may look at: the longest rule here is a trend of 7
(8 points with the first); 10 leaves room."""


@dataclass(frozen=True)
class Point:
    period: date
    value: float
    n: float | None
    note: str


@dataclass(frozen=True)
class Stage:
    """A limits record: in force from ``baseline_start`` to the next record's."""

    baseline_start: date
    baseline_end: date


def stage_of(stages: Sequence[Stage], day: date) -> int:
    """The record in force on ``day`` (the first one before the first record, as the KPI
    page charts it)."""
    which = 0
    for i, stage in enumerate(stages):
        if stage.baseline_start <= day:
            which = i
    return which


def window(points: Sequence[Point], start: date) -> list[Point]:
    """The points from ``start`` on and the ``LOOKBACK`` before them (points in order)."""
    first = next((i for i, p in enumerate(points) if p.period >= start), len(points))
    return list(points[max(0, first - LOOKBACK):])


def period_signals(chart: str, frequency: str, better: str, stages: Sequence[Stage],
                   near: Sequence[Point], baselines: Sequence[Sequence[Point]],
                   start: date, end: date) -> list[str]:
    """The signals that fell between ``start`` and ``end``, newest first, in words.

    ``near``: the values from ``LOOKBACK`` before ``start`` to ``end`` (for g and t charts,
    every value to ``end``); ``baselines[k]``: the values of stage ``k``'s baseline.
    """
    if not stages or not near:
        return []
    if chart in S.RARE_EVENTS:
        return _whole(chart, frequency, better, stages, near, start, end)
    points: list[Point] = []
    labels: list[str] = []
    base: list[bool] = []
    judged: list[bool] = []
    for k in sorted({stage_of(stages, p.period) for p in near}):
        mine = [p for p in near if stage_of(stages, p.period) == k]
        for part, is_base in ((baselines[k], True), (mine, False)):
            points += part
            labels += [f"{'baseline' if is_base else 'stage'} {k}"] * len(part)
            base += [is_base] * len(part)
            judged += [not is_base and start <= p.period <= end for p in part]
    if not any(judged):
        return []
    sizes = [p.n or math.nan for p in points] if chart in ("p", "u") else None
    try:
        drawn = control_chart(chart, np.array([p.value for p in points], dtype=float), sizes,
                              stages=labels, limits_from=base, rules=S.MDC_RULES)
    except StatsInputError:
        return []
    info = PointInfo(labels=[P.label(p.period, frequency) for p in points])
    return _signals(drawn, info, keep=lambda pos: judged[pos])


def _whole(chart: str, frequency: str, better: str, stages: Sequence[Stage],
           rows: Sequence[Point], start: date, end: date) -> list[str]:
    """A rare-event chart over the whole history, one stage per limits record."""
    periods = [p.period for p in rows]
    s = S.series(chart, [p.value for p in rows], None, periods, frequency, better)
    which = [stage_of(stages, d) for d in periods]
    in_base = [stages[w].baseline_start <= d <= stages[w].baseline_end
               for w, d in zip(which, periods, strict=True)]
    positions = [int(i) for i in s.period_of]
    if not positions:
        return []
    try:
        drawn = control_chart(chart, s.data, None,
                              stages=[f"limits from {stages[which[i]].baseline_start}"
                                      for i in positions],
                              limits_from=[in_base[i] for i in positions], rules=S.MDC_RULES)
    except StatsInputError:
        return []
    info = PointInfo(labels=[P.label(periods[i], frequency) for i in positions])
    return _signals(drawn, info, keep=lambda pos: start <= periods[positions[pos]] <= end)
