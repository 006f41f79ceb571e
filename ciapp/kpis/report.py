"""The weekly and monthly operational report: for a period and a site, every KPI's status,
the signals that fell in the period in words, the notes entered with the period's values,
and the improvement projects linked to each KPI with their phase, status and health; with
the period's values as CSV and the whole report as XLSX.

Everything is read in a fixed number of statements whatever the number of KPIs (the
board's stored status, the limits, the values near the period, the baselines, the projects
and their health), and each KPI's signals come from the values near the period
(``report_signals``), so the monthly report of every site stays quick on years of values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

import pyarrow as pa
from sqlalchemy import and_, func, or_, select

from ..core.errors import DomainError
from ..core.exports import Sheet
from ..core.memory import no_cycle_collection
from ..datasets import export
from ..extensions import db
from ..orgunits.models import OrgUnit
from ..portfolio.models import HEALTH_LABELS, HealthUpdate
from ..projects.models import Project
from . import periods as P
from . import report_signals as RS
from . import status as S
from . import summary
from .models import REPORT_SPANS, KpiLimits, KpiProject, KpiValue

SPANS = REPORT_SPANS
MARGIN = RS.LOOKBACK + 4
"""Periods before the report's start read in the one statement per frequency; a KPI with
fewer than ``LOOKBACK`` values among them (gaps) gets its own look further back."""


@dataclass(frozen=True)
class ProjectLine:
    """A linked project where it stands: phase, status, and the health its lead reported
    last (``health`` empty when never reported)."""

    key: str
    title: str
    phase: str
    status: str
    health: str
    health_reason: str

    @property
    def health_label(self) -> str:
        return HEALTH_LABELS.get(self.health, "health not reported")

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class Item:
    tile: summary.Tile
    signals: list[str]
    notes: list[tuple[date, str]]
    projects: list[ProjectLine]
    values_in_period: int

    @property
    def variation(self) -> str:
        """The variation in words, "no data this period" first (as the icon says)."""
        if self.tile.no_data:
            return "No data this period"
        return S.VARIATION_TEXT[self.tile.status.get("variation", "none")]

    @property
    def assurance(self) -> str:
        status = self.tile.status.get("assurance", "none")
        text = S.ASSURANCE_TEXT.get(status, S.ASSURANCE_TEXT["none"])
        share = self.tile.status.get("miss_share")
        if status == "hit_and_miss" and share is not None:
            text += f" (about {round(share * 100)}% of periods will miss)"
        return text


@dataclass(frozen=True)
class Report:
    span: str
    start: date
    end: date
    site: OrgUnit | None
    items: list[Item]
    today: date

    @property
    def title(self) -> str:
        what = f"week of {self.start}" if self.span == "week" else self.start.strftime("%B %Y")
        return f"Operational report, {what}" + (f", {self.site.name}" if self.site else "")

    @property
    def site_id(self) -> int | None:
        return self.site.id if self.site else None

    @property
    def signal_count(self) -> int:
        return sum(len(i.signals) for i in self.items)

    def filename(self, ext: str) -> str:
        where = "".join(c if c.isalnum() or c in "-_" else "-" for c in
                        (f"-{self.site.name}" if self.site else ""))
        return f"kpi-report-{self.span}-{self.start}{where}.{ext}"


def window(span: str, ending: date) -> tuple[date, date]:
    """The last complete week (Monday to Sunday) or month before ``ending``."""
    if span == "week":
        start = P.last_complete(ending, "weekly")
        return start, start + timedelta(days=6)
    start = P.last_complete(ending, "monthly")
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, nxt - timedelta(days=1)


def site_of(site_id: int | None) -> OrgUnit | None:
    """The site a report is for (None: every site); anything else is refused by name."""
    if site_id is None:
        return None
    site = db.session.get(OrgUnit, site_id) if site_id <= 2**31 - 1 else None
    if site is None or site.parent_id is not None:
        raise DomainError(f"site: there is no site with the id {site_id}.", field="site")
    return site


def build(span: str, ending: date, site_id: int | None, today: date | None = None
          ) -> Report:
    """The report of the last complete ``span`` before ``ending`` for a site (None: every
    site), statuses as of ``today`` (by default ``ending``)."""
    if span not in SPANS:
        raise DomainError("span: choose week or month.", field="span")
    site = site_of(site_id)
    start, end = window(span, ending)
    with no_cycle_collection():
        return _build(span, start, end, site, today or ending)


def _build(span: str, start: date, end: date, site: OrgUnit | None, today: date) -> Report:
    tiles = summary.board(summary.Filters(site=site.id if site else None), today)
    ids = [t.kpi.id for t in tiles]
    stages = _stages(ids)
    near = _near(tiles, stages, start, end)
    baselines = _baselines(stages)
    projects = _projects(ids)
    jobs = {t.kpi.id: RS.Job(t.kpi.chart, t.kpi.frequency, t.kpi.better,
                             [st for st, _ in stages.get(t.kpi.id, [])], near.get(t.kpi.id, []),
                             [baselines.get(i, []) for _, i in stages.get(t.kpi.id, [])])
            for t in tiles}
    signals = RS.signals_of(jobs, start, end)
    items = []
    for t in tiles:
        mine = near.get(t.kpi.id, [])
        in_period = mine[RS.first_from(mine, start):]  # nothing after the end was read
        items.append(Item(t, signals[t.kpi.id], [(p.period, p.note) for p in in_period
                                                  if p.note],
                          projects.get(t.kpi.id, []), len(in_period)))
    return Report(span, start, end, site, items, today)


def _stages(ids: list[int]) -> dict[int, list[tuple[RS.Stage, int]]]:
    """Each KPI's limits records, oldest first, with the record's id."""
    out: dict[int, list[tuple[RS.Stage, int]]] = defaultdict(list)
    if ids:
        for row in db.session.execute(
                select(KpiLimits.kpi_id, KpiLimits.id, KpiLimits.baseline_start,
                       KpiLimits.baseline_end).where(KpiLimits.kpi_id.in_(ids))
                .order_by(KpiLimits.kpi_id, KpiLimits.baseline_start, KpiLimits.id)):
            out[row.kpi_id].append((RS.Stage(row.baseline_start, row.baseline_end), row.id))
    return out


def _points(stmt: Any) -> Iterable[tuple[int, Any]]:
    """(KPI id, value) pairs; each value a plain row with period, value, n and note."""
    # Core, not the ORM session's execute: plain rows, without the ORM's cost per row
    for row in db.session.connection().execute(stmt).all():
        yield row.kpi_id, row


def _columns() -> Any:
    return select(KpiValue.kpi_id, KpiValue.period, KpiValue.value, KpiValue.n,
                  KpiValue.note)


def _near(tiles: list[summary.Tile], stages: dict[int, Any], start: date, end: date
          ) -> dict[int, list[Any]]:
    """Each KPI's values up to ``end``: from ``LOOKBACK`` values before ``start`` (a KPI
    without limits needs only the period's; a rare-event KPI needs them all)."""
    by_frequency: dict[str, list[int]] = defaultdict(list)
    rare = []
    for t in tiles:
        if t.kpi.chart in S.RARE_EVENTS and stages.get(t.kpi.id):
            rare.append(t.kpi.id)
        else:
            by_frequency[t.kpi.frequency].append(t.kpi.id)
    found: dict[int, list[Any]] = defaultdict(list)
    for frequency, ids in by_frequency.items():
        first = start
        for _ in range(MARGIN):
            first = P.previous(first, frequency)
        stmt = _columns().where(KpiValue.kpi_id.in_(ids), KpiValue.period.between(first, end))
        for kpi_id, point in _points(stmt.order_by(KpiValue.kpi_id, KpiValue.period)):
            found[kpi_id].append(point)
        short = [i for i in ids if stages.get(i) and
                 RS.first_from(found[i], start) < RS.LOOKBACK]
        _look_back(found, short, first)
    if rare:
        _events(found, rare, start, end)
    return {i: RS.window(points, start) if i not in rare else points
            for i, points in found.items()}


class Quiet(NamedTuple):
    """A KPI's first value when it counts no event: where its first gap starts."""

    period: date
    value: float = 0.0
    n: float | None = None
    note: str = ""


def _events(found: dict[int, list[Any]], ids: list[int], start: date, end: date) -> None:
    """What a rare-event chart needs of its history: the values with events, the first
    value (the first gap starts there) and every value of the period (its notes), not
    the years of quiet days in between."""
    firsts = dict(db.session.connection().execute(
        select(KpiValue.kpi_id, func.min(KpiValue.period)).where(KpiValue.kpi_id.in_(ids))
        .group_by(KpiValue.kpi_id)).all())
    stmt = _columns().where(KpiValue.kpi_id.in_(ids), KpiValue.period <= end, or_(
        KpiValue.value != 0, KpiValue.period >= start))
    for kpi_id, point in _points(stmt.order_by(KpiValue.kpi_id, KpiValue.period)):
        found[kpi_id].append(point)
    for kpi_id, first in firsts.items():
        if first <= end and (not found[kpi_id] or found[kpi_id][0].period != first):
            found[kpi_id].insert(0, Quiet(first))


def _look_back(found: dict[int, list[Any]], ids: list[int], before: date) -> None:
    """The ``LOOKBACK`` values before ``before`` of KPIs whose values have gaps."""
    for kpi_id in ids:
        stmt = _columns().where(KpiValue.kpi_id == kpi_id, KpiValue.period < before) \
            .order_by(KpiValue.period.desc()).limit(RS.LOOKBACK)
        earlier = [point for _, point in _points(stmt)][::-1]
        found[kpi_id][:0] = earlier


def _baselines(stages: dict[int, list[tuple[RS.Stage, int]]]) -> dict[int, list[Any]]:
    """The values of every limits record's baseline, by the record's id, in one statement
    (the records joined to their values by the index on KPI and period)."""
    out: dict[int, list[Any]] = defaultdict(list)
    if not stages:
        return out
    # value and n only: a baseline sets the limits, its values are not listed
    stmt = select(KpiLimits.id.label("record"), KpiValue.value, KpiValue.n).join(KpiValue, and_(
                      KpiValue.kpi_id == KpiLimits.kpi_id,
                      KpiValue.period.between(KpiLimits.baseline_start, KpiLimits.baseline_end)))
    for row in db.session.connection().execute(stmt.where(
            KpiLimits.kpi_id.in_(list(stages))).order_by(KpiLimits.id, KpiValue.period)).all():
        out[row.record].append(row)
    return out


def _projects(ids: list[int]) -> dict[int, list[ProjectLine]]:
    """The projects linked to each KPI, newest link first, with the health last reported."""
    out: dict[int, list[ProjectLine]] = defaultdict(list)
    if not ids:
        return out
    rows = db.session.execute(
        select(KpiProject.kpi_id, Project).join(Project, KpiProject.project_id == Project.id)
        .where(KpiProject.kpi_id.in_(ids))
        .order_by(KpiProject.kpi_id, KpiProject.created_at.desc(), KpiProject.id.desc())).all()
    newest = select(func.max(HealthUpdate.id)).where(
        HealthUpdate.project_id.in_({p.id for _, p in rows})).group_by(HealthUpdate.project_id)
    health = {h.project_id: h for h in db.session.scalars(
        select(HealthUpdate).where(HealthUpdate.id.in_(newest)))} if rows else {}
    for kpi_id, project in rows:
        reported = health.get(project.id)
        out[kpi_id].append(ProjectLine(
            project.key, project.title, project.phase_label, project.status,
            reported.health if reported else "", reported.reason if reported else ""))
    return out


def values_csv(report: Report) -> bytes:
    """The period's values of every KPI in the report, safe to open in a spreadsheet."""
    rows = _values(report)
    table = pa.table({
        "kpi": pa.array([r[0] for r in rows], pa.string()),
        "unit": pa.array([r[1] for r in rows], pa.string()),
        "period": pa.array([r[2].isoformat() for r in rows], pa.string()),
        "value": pa.array([r[3] for r in rows], pa.float64()),
        "n": pa.array([r[4] for r in rows], pa.float64()),
        "note": pa.array([r[5] for r in rows], pa.string()),
    })
    return export.to_csv(table)


def _values(report: Report) -> list[tuple[Any, ...]]:
    kpis = {item.tile.kpi.id: item.tile.kpi for item in report.items}
    if not kpis:
        return []
    stmt = _columns().where(KpiValue.kpi_id.in_(kpis),
                            KpiValue.period.between(report.start, report.end))
    return [(kpis[i].name, kpis[i].unit, p.period, p.value, p.n, p.note)
            for i, p in _points(stmt.order_by(KpiValue.kpi_id, KpiValue.period))]


def sheets(report: Report) -> list[Sheet]:
    """The report as spreadsheet tabs: statuses, signals, notes, projects and values."""
    def where(item: Item) -> str:
        unit = item.tile.kpi.org_unit
        return unit.label if unit else ""

    status = Sheet("Status", ("KPI", "Site / area", "Unit", "Variation", "Assurance",
                              "Latest", "Latest period", "Target", "Values in period",
                              "Signals in period", "Projects"), [
        (i.tile.kpi.name, where(i), i.tile.kpi.unit, i.variation, i.assurance,
         i.tile.status.get("latest"), i.tile.latest_label, i.tile.kpi.target,
         i.values_in_period, len(i.signals), ", ".join(p.key for p in i.projects))
        for i in report.items])
    signals = Sheet("Signals", ("KPI", "Signal"),
                    [(i.tile.kpi.name, s) for i in report.items for s in i.signals])
    notes = Sheet("Notes", ("KPI", "Period", "Note"),
                  [(i.tile.kpi.name, day, note) for i in report.items for day, note in i.notes])
    projects = Sheet("Projects", ("KPI", "Project", "Title", "Phase", "Status", "Health",
                                  "Health reason"),
                     [(i.tile.kpi.name, p.key, p.title, p.phase, p.status_label,
                       p.health_label, p.health_reason)
                      for i in report.items for p in i.projects])
    values = Sheet("Values", ("KPI", "Unit", "Period", "Value", "n", "Note"), _values(report))
    return [status, signals, notes, projects, values]
