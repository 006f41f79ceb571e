"""The KPI page's full chart: every value, one stage per limits record (each judged against
the limits of its own baseline), drawn by ``ciapp.charts``; a short history as a run chart;
the capability against the target for an individuals chart."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..charts import control as draw
from ..charts.sparkline import sparkline
from ..stats import ControlChart, StatsInputError, capability, control_chart
from . import periods as P
from . import services
from . import status as S
from .models import Kpi, KpiLimits, KpiValue


@dataclass(frozen=True)
class FullChart:
    svg: str
    chart: ControlChart | None
    signals: list[str] = field(default_factory=list)
    capability: Any = None
    problem: str = ""


def _stage_name(record: KpiLimits) -> str:
    return f"limits from {record.baseline_start}"


def staged(kpi: Kpi, rows: list[KpiValue],
           history: list[KpiLimits]) -> tuple[ControlChart, S.Series]:
    """Every value charted, one stage per limits record judged against its own baseline's
    limits (StatsInputError when they cannot be computed)."""
    periods = [r.period for r in rows]
    s = S.series(kpi.chart, [r.value for r in rows],
                 [r.n or math.nan for r in rows] if kpi.chart in ("p", "u") else None,
                 periods, kpi.frequency, kpi.better)
    which, in_base = services.stage_labels(history, periods)
    which = [max(w, 0) for w in which]
    names = [_stage_name(record) for record in history]  # once each, not once a value
    labels = [names[which[i]] for i in s.period_of]
    mask = [bool(in_base[i]) for i in s.period_of]
    return control_chart(kpi.chart, s.data, s.sizes, stages=labels, limits_from=mask,
                         rules=S.MDC_RULES), s


def full_chart(kpi: Kpi, rows: list[KpiValue], history: list[KpiLimits]) -> FullChart:
    if not history:
        from datetime import date

        from .summary import compute

        points = compute(kpi, date.today()).recent
        return FullChart(sparkline(points, target=kpi.target, width=760, height=220,
                                   title=f"{kpi.name}: run chart"), None)
    periods = [r.period for r in rows]
    try:
        chart, s = staged(kpi, rows, history)
    except StatsInputError as exc:
        return FullChart("", None, problem=str(exc))
    position = s.period_of
    info = draw.PointInfo(
        labels=[P.label(periods[i], kpi.frequency) for i in position],
        notes=[rows[i].note for i in position])
    view = draw.ChartView(title=kpi.name, unit=kpi.unit, show_specs=kpi.target is not None,
                          specs={"target": kpi.target})
    return FullChart(draw.svg(chart, info, view), chart, _signals(chart, info),
                     _capability(kpi, s, chart))


def _signals(chart: ControlChart, info: draw.PointInfo,
             keep: Any = None) -> list[str]:
    """Each signal in words, newest first (at most 30); ``keep(position)`` may narrow them
    to a period."""
    from ..charts.words import describe_rule

    out = []
    for rule, positions in chart.violations.items():
        for pos in positions:
            if keep is not None and not keep(pos):
                continue
            label = info.labels[pos] if info.labels else str(pos + 1)
            out.append((pos, f"{label}: {describe_rule(rule, chart.run_lengths.get(rule))}"))
    return [text for _, text in sorted(out, reverse=True)[:30]]


def _capability(kpi: Kpi, s: S.Series, chart: ControlChart) -> Any:
    """Capability of the current stage against the target as a one-sided limit, for an
    individuals chart (the others' capability is the share of periods that miss)."""
    if kpi.chart != "i" or kpi.target is None or chart.stages is None:
        return None
    last = chart.stages[-1]
    current = [float(v) for v, st in zip(s.data, chart.stages, strict=True) if st == last]
    if len(current) < 10:
        return None
    spec = {"lsl": kpi.target} if kpi.better == "higher" else {"usl": kpi.target}
    try:
        return capability(current, sigma_within=chart.sigma, **spec)
    except StatsInputError:
        return None
