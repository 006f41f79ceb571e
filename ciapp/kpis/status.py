"""A KPI's status as an improvement leader reads it: *variation* (common cause, or a special
cause that is improving or concerning) and *assurance* against the target (will consistently
meet it, will consistently miss it, or hit and miss with the share of periods that will
miss), plus *no data this period*. Colour on the board follows these, never the raw
comparison of the latest value with the target.

The conventions are the NHS "Making Data Count" ones (NHS England / NHS Improvement, "Making
Data Count: Getting started", 2019; as implemented by the NHS-R community's
NHSRplotthedots): a single point outside the process limits; a shift of 7 points on one
side of the mean; a trend of 7 points rising or falling; 2 of 3 points beyond 2 sigma on one
side (close to a limit). When rules clash on the latest point the trend decides the
direction, then the shift, then 2 of 3, then the single point (NHS Digital's SPC "rule
clash" note). Short histories (under ``MIN_FOR_LIMITS`` values) get a run chart with the
Anhøj rules instead, and say so.

Pure: the statistics come from ``ciapp.stats``; nothing here touches Flask or a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .. import stats
from ..stats.capability_indices import ppm_normal
from ..stats.rulesets import custom_rule_set
from . import periods as P

MIN_FOR_LIMITS = 20
"""Values before limits are computed (the first 20 are the default baseline)."""
MIN_EVENTS = 10
"""Events before a rare-event KPI gets limits (its default baseline runs to the 10th)."""
MIN_BASELINE = 12
"""The fewest values a person may choose as a baseline."""
MDC_RULES = custom_rule_set(
    "making data count", (3, 2, 5, 1), {2: 7, 3: 7},
    source="NHS England, Making Data Count (2019): shift 7, trend 7, 2 of 3 near a limit, "
           "a point outside the limits")
PRIORITY = (3, 2, 5, 1)  # trend, shift, 2 of 3, single point
RARE_EVENTS = ("g", "t")
RECENT = 30

VARIATION_TEXT = {
    "common": "Common cause: no signal",
    "improving": "Special cause, improving",
    "concerning": "Special cause, concerning",
    "neither": "Special cause, neither better nor worse",
    "none": "Not enough data",
}
ASSURANCE_TEXT = {
    "pass": "Will consistently meet the target",
    "fail": "Will consistently miss the target",
    "hit_and_miss": "Hit and miss: the limits straddle the target",
    "none": "No assurance",
}


COLOURS = {"improving": "blue", "concerning": "orange", "neither": "purple",
           "common": "neutral", "none": "grey"}


def colour(variation: str, no_data: bool) -> str:
    """The board's colour: grey without data this period, else the variation's; never the
    latest value against the target."""
    return "grey" if no_data else COLOURS[variation]


@dataclass(frozen=True)
class KpiStatus:
    """What the board shows of one KPI.

    ``method`` is ``"control chart"``, ``"run chart"`` or ``"none"``; ``latest`` the plotted
    value of the latest point (a proportion for p, a rate for u; for g and t the periods
    since the last event, the quiet spell so far) and ``center`` / ``lower`` / ``upper``
    the limits in force there.
    ``miss_share`` is the expected share of periods that miss the target (normal
    approximation with the sigma of the latest point), for hit and miss only.
    """

    method: str
    variation: str
    assurance: str
    no_data: bool
    miss_share: float | None = None
    latest: float | None = None
    latest_period: str | None = None
    center: float | None = None
    lower: float | None = None
    upper: float | None = None
    signals: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    n_values: int = 0
    recent: tuple[tuple[Any, ...], ...] = ()
    """The last ``RECENT`` points as (value, center, lower, upper, signal), for the board's
    small chart; the limits are None on a run chart."""

    @property
    def colour(self) -> str:
        return colour(self.variation, self.no_data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"colour": self.colour,
                               "variation_text": VARIATION_TEXT[self.variation],
                               "assurance_text": ASSURANCE_TEXT[self.assurance]}


@dataclass(frozen=True)
class Series:
    """The points a KPI's chart plots, from its values per period.

    For i, p, u and c one point per period. For g and t (rare events: the values are event
    counts per period) one point per event: g the whole periods without an event before it,
    t the time since the previous event in periods (several events in one period are
    spread evenly through it). ``period_of`` gives each point's position in the values.
    """

    kind: str
    data: np.ndarray
    sizes: np.ndarray | None
    period_of: np.ndarray
    statistic_better: str
    open_gap: float | None = None  # periods since the last event (g, t)
    notes: tuple[str, ...] = field(default_factory=tuple)


def series(chart: str, values: Sequence[float], sizes: Sequence[float] | None,
           periods: Sequence[date], frequency: str, better: str) -> Series:
    v = np.asarray(values, dtype=float)
    if chart not in RARE_EVENTS:
        n = None if sizes is None or chart not in ("p", "u") else np.asarray(sizes, float)
        return Series(chart, v, n, np.arange(v.size), better)
    index = P.index_of(list(periods), frequency)
    counts = np.round(v).astype(int)
    has = np.flatnonzero(counts > 0)
    where = np.repeat(has, counts[has])  # one entry per event: its value position
    if chart == "g":
        # whole periods with no event between an event and the previous one
        gaps = np.empty(where.size)
        if where.size:
            prev = np.r_[index[0] - 1, index[where[:-1]]]
            gaps = (index[where] - prev - 1).astype(float)
            gaps[1:][where[1:] == where[:-1]] = 0.0
        data = gaps
    else:
        k = counts[where]
        rank = np.zeros(where.size)
        if where.size:
            first = np.r_[True, where[1:] != where[:-1]]
            start = np.flatnonzero(first)
            rank = np.arange(where.size) - np.repeat(start, np.diff(np.r_[start, where.size]))
        times = index[where] + (rank + 1) / (k + 1)
        data = np.diff(np.r_[index[0], times]) if times.size else np.empty(0)
    last_index = int(index[-1]) if index.size else 0
    open_gap = float(last_index - index[where[-1]]) if where.size else None
    flipped = "higher" if better == "lower" else "lower"
    return Series(chart, data, None, where, flipped, open_gap)


def kpi_status(values: Sequence[float], *, periods: Sequence[date], frequency: str,
               today: date, chart: str = "i", better: str = "higher",
               target: float | None = None, sizes: Sequence[float] | None = None,
               baseline: int | None = None) -> KpiStatus:
    """The status of a KPI from its values in period order.

    ``baseline`` is how many leading values set the limits (the rest are judged against
    them); without it the first ``MIN_FOR_LIMITS`` do, and a shorter history gets a run
    chart. ``today`` decides whether the newest complete period has its value.
    """
    n = len(values)
    no_data = n == 0 or periods[-1] < P.last_complete(today, frequency)
    if n == 0:
        return KpiStatus("none", "none", "none", True)
    latest_period = periods[-1].isoformat()
    s = series(chart, values, sizes, periods, frequency, better)
    if baseline is None:
        baseline = default_baseline(chart, values)
    base = dict(no_data=no_data, latest_period=latest_period, n_values=n)
    if baseline is None:
        return _run_chart_status(s, base)
    try:
        return _control_status(s, min(baseline, n), target, base)
    except stats.StatsInputError as exc:
        return KpiStatus("none", "none", "none", notes=(f"No limits: {exc}",), **base)


def default_baseline(chart: str, values: Sequence[float]) -> int | None:
    """How many leading values make the first baseline: the first ``MIN_FOR_LIMITS``, or
    for a rare-event KPI every period up to its ``MIN_EVENTS``-th event; None until then."""
    if chart not in RARE_EVENTS:
        return MIN_FOR_LIMITS if len(values) >= MIN_FOR_LIMITS else None
    reached = np.flatnonzero(np.cumsum(np.asarray(values, dtype=float)) >= MIN_EVENTS)
    return int(reached[0]) + 1 if reached.size else None


def _statistics(s: Series) -> np.ndarray:
    if s.sizes is not None:
        with np.errstate(all="ignore"):
            return s.data / s.sizes
    return s.data


def _run_chart_status(s: Series, base: dict[str, Any]) -> KpiStatus:
    note = (f"Fewer than {MIN_FOR_LIMITS} values: a run chart with the Anhøj rules until "
            "there are enough for limits.")
    y = _statistics(s)
    if y.size < 2:
        return KpiStatus("run chart", "none", "none", notes=(note,),
                         latest=float(y[-1]) if y.size else None, **base)
    run = stats.run_chart(y)
    variation, signals = "common", []
    if run.long_run_signal:
        first, _ = run.long_runs[-1]
        up = y[list(run.index).index(first)] > run.center
        variation = _judged(1 if up else -1, s.statistic_better)
        signals.append(f"a run of {run.longest_run} values {'above' if up else 'below'} the "
                       f"median (more than {run.longest_run_max})")
    if run.crossings_signal:
        variation = variation if variation != "common" else "neither"
        signals.append(f"only {run.crossings} crossings of the median (fewer than "
                       f"{run.crossings_min})")
    recent = tuple((float(v), run.center, None, None, run.signal) for v in y[-RECENT:])
    return KpiStatus("run chart", variation, "none", latest=float(y[-1]),
                     center=run.center, signals=tuple(signals), notes=(note,),
                     recent=recent, **base)


def _judged(direction: int, better: str) -> str:
    if direction == 0:
        return "neither"
    return "improving" if (direction > 0) == (better == "higher") else "concerning"


def control(s: Series, baseline_points: int) -> stats.ControlChart:
    """The chart of ``s`` with limits from its first ``baseline_points`` points."""
    labels = ["baseline"] * baseline_points + ["judged"] * (s.data.size - baseline_points)
    return stats.control_chart(s.kind, s.data, s.sizes, stages=labels,
                               limits_from="baseline", rules=MDC_RULES)


def _control_status(s: Series, baseline: int, target: float | None,
                    base: dict[str, Any]) -> KpiStatus:
    points = int(np.searchsorted(s.period_of, baseline)) if s.kind in RARE_EVENTS else baseline
    if s.kind in RARE_EVENTS and points < 2:
        return KpiStatus("none", "none", "none", notes=(
            f"{points} event(s) in the baseline: a rare-event chart needs at least 2.",),
            **base)
    chart = control(s, points)
    j = chart.statistics.size - 1
    pos = int(chart.index[j])
    y, cl = chart.statistics, float(chart.center[j])
    lo, hi = float(chart.lcl[j]), float(chart.ucl[j])
    flagged = [r for r in PRIORITY if pos in chart.violations.get(r, ())]
    signals = [_words(r, y, j, cl, lo, hi) for r in flagged]
    variation = "common"
    if flagged:
        rule = flagged[0]
        ref = y[j - 1] if rule == 3 else cl
        variation = _judged(int(np.sign(y[j] - ref)), s.statistic_better)
    # the rules a p, u, c, g or t chart cannot apply are left out by design, not news
    notes = [n for n in chart.notes if not n.startswith("rules [")]
    if s.open_gap is not None and s.open_gap > hi and variation == "common":
        variation = _judged(1, s.statistic_better)
        signals.append(f"{s.open_gap:g} periods since the last event, beyond the upper "
                       f"limit {hi:.4g}")
    assurance, share = _assurance(s, target, cl, lo, hi, float(chart.sigma_of_point[j]))
    latest = float(y[j])
    if s.open_gap is not None:  # what a rare-event board shows: the quiet spell so far
        latest = s.open_gap
        notes.append(f"Latest: {s.open_gap:g} periods since the last event.")
    return KpiStatus("control chart", variation, assurance, miss_share=share,
                     latest=latest, center=cl, lower=lo, upper=hi,
                     signals=tuple(signals), notes=tuple(notes), recent=_recent(chart),
                     **base)


def _recent(chart: stats.ControlChart) -> tuple[tuple[Any, ...], ...]:
    flagged = set(chart.signals)
    start = max(0, chart.statistics.size - RECENT)
    return tuple((float(chart.statistics[k]), float(chart.center[k]), float(chart.lcl[k]),
                  float(chart.ucl[k]), int(chart.index[k]) in flagged)
                 for k in range(start, chart.statistics.size))


def _words(rule: int, y: np.ndarray, j: int, cl: float, lo: float, hi: float) -> str:
    side = "above" if y[j] > cl else "below"
    if rule == 1:
        return (f"the latest value {y[j]:.4g} is {side} the "
                f"{'upper' if side == 'above' else 'lower'} limit "
                f"{hi if side == 'above' else lo:.4g}")
    if rule == 2:
        return f"a shift: 7 or more values in a row {side} the mean {cl:.4g}"
    if rule == 3:
        return f"a trend: 7 or more values in a row {'rising' if y[j] > y[j-1] else 'falling'}"
    return f"2 of the last 3 values close to the {'upper' if side == 'above' else 'lower'} limit"


def _assurance(s: Series, target: float | None, cl: float, lo: float, hi: float,
               sigma: float) -> tuple[str, float | None]:
    if target is None or s.kind in RARE_EVENTS:
        return "none", None
    higher = s.statistic_better == "higher"
    if (lo > target) if higher else (hi < target):
        return "pass", None
    if (hi < target) if higher else (lo > target):
        return "fail", None
    # the expected share beyond the target under N(center, sigma of the latest point): the
    # one-sided expected PPM of a capability study, with the target as the limit
    ppm = ppm_normal(cl, sigma, target if higher else None, None if higher else target)
    return "hit_and_miss", ppm["total"] / 1e6
