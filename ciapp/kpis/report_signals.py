"""The signals of a report's period, in words, from the KPI's values near the period rather
than its whole history: the report of 500 KPIs with three years of daily values each would
otherwise chart 550,000 values on every view.

The result is the KPI page's (``chart.staged``): each limits record is a stage whose limits
come from its baseline, and the tests for special causes run inside each stage. A test
looks back at most ``LOOKBACK`` points, so a point of the period is judged the same when the
chart holds, per stage, the stage's baseline (which sets its limits) and the period's
values with the ``LOOKBACK`` values before them (or from the stage's first value, when it
started later), the run tests reading only the latter. ``tests/kpis/test_report_signals``
compares the two, period after period. Rare-event charts (g, t) measure the
gaps between events over the whole history, so they are charted whole, as on the KPI page.
Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ..charts.control import PointInfo
from ..charts.words import describe_rule
from ..stats import CHARTS, StatsInputError, control_chart
from ..stats.rules import find_patterns
from ..stats.rulesets import resolve_rules
from . import periods as P
from . import status as S
from .chart import _signals

LOOKBACK = 10
"""Values before a point that a test may look at: the longest rule here is a trend of 7
(8 points with the first); 10 leaves room."""
RULES, LENGTHS = resolve_rules(S.MDC_RULES)


def rules_of(chart: str) -> tuple[int, ...]:
    """The rules of ``S.MDC_RULES`` a chart kind applies, as ``control_chart`` narrows a
    named rule set (an attribute chart skips the zone tests, as Minitab does)."""
    spec = CHARTS[chart]
    chosen = tuple(r for r in RULES if spec.named_rules is None or r in spec.named_rules)
    return tuple(r for r in chosen if r in spec.allowed_rules)


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


def first_from(points: Sequence[Any], start: date) -> int:
    """The position of the first point on or after ``start`` (points in order)."""
    return bisect_left(points, start, key=lambda p: p.period)


def window(points: Sequence[Any], start: date) -> list[Any]:
    """The points from ``start`` on and the ``LOOKBACK`` before them (points in order)."""
    return list(points[max(0, first_from(points, start) - LOOKBACK):])


@dataclass(frozen=True)
class Job:
    """One KPI's part of the report: ``near`` its values from ``LOOKBACK`` before the
    period to its end (for g and t charts, the values with events, the first value and the
    period's), each with ``period``, ``value`` and ``n``; ``baselines[k]`` the values of
    stage ``k``'s baseline, with ``value`` and ``n``."""

    chart: str
    frequency: str
    better: str
    stages: Sequence[Stage]
    near: Sequence[Any]
    baselines: Sequence[Sequence[Any]]


def signals_of(jobs: Mapping[int, Job], start: date, end: date) -> dict[int, list[str]]:
    """Each job's signals between ``start`` and ``end``, newest first, in words.

    The KPIs of one chart kind are charted together, each KPI's stages as stages of one
    chart (the tests run inside each stage, the limits are each baseline's own): one call
    of the statistics for hundreds of KPIs instead of one each. Should that one call refuse
    the data, each KPI is charted alone, so one KPI's problem costs only its own signals.
    """
    out: dict[int, list[str]] = {key: [] for key in jobs}
    kinds: dict[str, list[int]] = {}
    for key, job in jobs.items():
        if not job.stages or not job.near:
            continue
        if job.chart in S.RARE_EVENTS:
            out[key] = _whole(job, start, end)
        else:
            kinds.setdefault(job.chart, []).append(key)
    for chart, keys in kinds.items():
        try:
            out.update(_together(chart, [(k, jobs[k]) for k in keys], start, end))
        except StatsInputError:
            for k in keys:
                try:
                    out.update(_together(chart, [(k, jobs[k])], start, end))
                except StatsInputError:
                    out[k] = []
    return out


def _together(chart: str, jobs: Sequence[tuple[int, Job]], start: date, end: date
              ) -> dict[int, list[str]]:
    """One chart of several KPIs: per KPI and stage, the baseline (which sets the limits)
    then the values near the period, each pair a stage of the chart. The limits and the
    points outside them come from that chart; the run tests are then read on the judged
    values alone, ``LOOKBACK`` missing points between two KPIs' stages (a missing point
    breaks every run), in one pass rather than one per stage."""
    values: list[float] = []
    sizes: list[float] = []
    group: list[int] = []
    base: list[bool] = []
    judged: list[bool] = []
    offsets: list[int] = []  # where each part starts, and whose it is
    parts: list[tuple[int, str, Sequence[Any]]] = []
    with_n = chart in ("p", "u")
    number = 0
    for key, job in jobs:
        starts = [st.baseline_start for st in job.stages]
        if job.near[0].period >= starts[-1]:  # all under the newest limits, the usual case
            which, stages = [], [len(starts) - 1]
        else:
            which = [max(bisect_right(starts, p.period) - 1, 0) for p in job.near]
            stages = sorted(set(which))
        for k in stages:
            number += 1
            mine = job.near if len(stages) == 1 else \
                [p for p, w in zip(job.near, which, strict=True) if w == k]
            for part, is_base in ((job.baselines[k], True), (mine, False)):
                offsets.append(len(values))
                parts.append((key, job.frequency, part))
                values.extend([p.value for p in part])
                if with_n:
                    sizes.extend([p.n or math.nan for p in part])
                group.extend([number] * len(part))
                base.extend([is_base] * len(part))
                judged.extend([False] * len(part) if is_base else
                              [start <= p.period <= end for p in part])
    if not any(judged):
        return {}
    drawn = control_chart(chart, np.array(values, dtype=float), sizes if with_n else None,
                          stages=group, limits_from=base, rules=(1,))
    plotted = np.asarray(drawn.index)
    keep = np.flatnonzero(~np.asarray(base, dtype=bool)[plotted])
    at = plotted[keep]
    groups = np.asarray(group)[at]
    # each stage's judged values after LOOKBACK missing points
    moved = np.arange(at.size) + LOOKBACK * np.cumsum(np.r_[True, groups[1:] != groups[:-1]])
    size = int(moved[-1]) + 1 if moved.size else 0
    x, center, sigma = (np.full(size, np.nan) for _ in range(3))
    x[moved] = drawn.statistics[keep]
    center[moved] = drawn.center[keep]
    sigma[moved] = drawn.sigma_of_point[keep]
    back = np.full(size, -1)
    back[moved] = at
    chosen = rules_of(chart)
    runs = find_patterns(x, center, sigma, rules=[r for r in chosen if r != 1],
                         run_lengths=LENGTHS) if len(chosen) > 1 else {}
    hits = {1: list(drawn.violations.get(1, ())) if 1 in chosen else []} | {
        r: back[v].tolist() for r, v in runs.items()}
    found: dict[int, list[tuple[int, str]]] = {}
    for rule, positions in hits.items():
        words = describe_rule(rule, LENGTHS.get(rule))
        for pos in positions:
            if judged[pos]:
                i = bisect_right(offsets, pos) - 1
                key, frequency, part = parts[i]
                period = part[pos - offsets[i]].period
                found.setdefault(key, []).append(
                    (pos, f"{P.label(period, frequency)}: {words}"))
    # newest first, at most 30 a KPI, as the KPI page lists them
    return {key: [text for _, text in sorted(hits, reverse=True)[:30]]
            for key, hits in found.items()}


def _whole(job: Job, start: date, end: date) -> list[str]:
    """A rare-event chart over the whole history, one stage per limits record."""
    chart, frequency, stages, rows = job.chart, job.frequency, job.stages, job.near
    periods = [p.period for p in rows]
    s = S.series(chart, [p.value for p in rows], None, periods, frequency, job.better)
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
