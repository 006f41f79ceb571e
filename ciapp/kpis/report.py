"""The weekly and monthly operational report: for a period and a site, every KPI's status,
the signals that fell in the period in words, the notes entered with the period's values,
and the improvement projects linked to each KPI; with the period's values as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
from sqlalchemy import select

from ..charts.control import PointInfo
from ..datasets import export
from ..extensions import db
from ..projects.models import Project
from ..stats import StatsInputError
from . import chart as charts
from . import improvement, services, summary, values
from . import periods as P
from .models import KpiValue

SPANS = ("week", "month")


@dataclass(frozen=True)
class Item:
    tile: summary.Tile
    signals: list[str]
    notes: list[tuple[date, str]]
    projects: list[Project]
    values_in_period: int


@dataclass(frozen=True)
class Report:
    span: str
    start: date
    end: date
    site: int | None
    items: list[Item]

    @property
    def title(self) -> str:
        what = f"week of {self.start}" if self.span == "week" else self.start.strftime("%B %Y")
        return f"Operational report, {what}"


def window(span: str, ending: date) -> tuple[date, date]:
    """The last complete week (Monday to Sunday) or month before ``ending``."""
    if span == "week":
        start = P.last_complete(ending, "weekly")
        return start, start + timedelta(days=6)
    start = P.last_complete(ending, "monthly")
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, nxt - timedelta(days=1)


def build(span: str, ending: date, site: int | None) -> Report:
    start, end = window(span, ending)
    tiles = summary.board(summary.Filters(site=site), ending)
    return Report(span, start, end, site, [_item(t, start, end) for t in tiles])


def _item(tile: summary.Tile, start: date, end: date) -> Item:
    kpi = tile.kpi
    rows = values.between(kpi, end=end)
    history = services.limit_history(kpi)
    signals: list[str] = []
    if history and rows:
        try:
            chart, s = charts.staged(kpi, rows, history)
        except StatsInputError:
            chart = None
        if chart is not None:
            labels = [P.label(rows[i].period, kpi.frequency) for i in s.period_of]
            info = PointInfo(labels=labels)
            signals = charts._signals(chart, info, keep=lambda pos: start <= rows[
                int(s.period_of[pos])].period <= end)
    in_period = [r for r in rows if start <= r.period <= end]
    return Item(tile, signals, [(r.period, r.note) for r in in_period if r.note],
                improvement.linked(kpi), len(in_period))


def values_csv(report: Report) -> bytes:
    """The period's values of every KPI in the report, safe to open in a spreadsheet."""
    ids = {item.tile.kpi.id: item.tile.kpi for item in report.items}
    rows: list[Any] = list(db.session.scalars(select(KpiValue).where(
        KpiValue.kpi_id.in_(ids), KpiValue.period.between(report.start, report.end))
        .order_by(KpiValue.kpi_id, KpiValue.period))) if ids else []
    table = pa.table({
        "kpi": pa.array([ids[r.kpi_id].name for r in rows], pa.string()),
        "unit": pa.array([ids[r.kpi_id].unit for r in rows], pa.string()),
        "period": pa.array([r.period.isoformat() for r in rows], pa.string()),
        "value": pa.array([r.value for r in rows], pa.float64()),
        "n": pa.array([r.n for r in rows], pa.float64()),
        "note": pa.array([r.note for r in rows], pa.string()),
    })
    return export.to_csv(table)
