"""The weekly and monthly operational report: for a period and a site, every KPI's status,
the signals that fell in the period in words, the notes entered with the period's values,
and the improvement projects linked to each KPI with their phase, status and health; with
the period's values as CSV and the whole report as XLSX.

Everything is read in a fixed number of statements whatever the number of KPIs, and
nothing is charted on a view: the board's stored status (``summary``), the period's stored
signals (``report_signals``, kept in step with every change to a KPI), the number of values
and the notes of the period counted and filtered by the database, the projects and their
health. So the monthly report of every site stays quick on years of values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
from markupsafe import Markup
from sqlalchemy import func, select

from ..core.errors import DomainError
from ..core.exports import Sheet
from ..core.memory import no_cycle_collection
from ..datasets import export
from ..extensions import db
from ..orgunits.models import OrgUnit
from ..portfolio.models import HEALTH_LABELS, HealthUpdate
from ..projects.models import Project
from . import icons, summary
from . import periods as P
from . import report_signals as RS
from . import status as S
from .models import REPORT_SPANS, KpiProject, KpiValue

SPANS = REPORT_SPANS


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

    # What the report's table shows of the status, one attribute each: the table of 500
    # KPIs made 4,000 calls into Python (dict lookups, icons, a number macro), a third of
    # the page's time.
    @property
    def status_icons(self) -> Markup:
        return icons.of_tile(self.tile)

    @property
    def status_text(self) -> str:
        if self.tile.status.get("assurance", "none") == "none":
            return self.variation
        return f"{self.variation}; {self.assurance}"

    @property
    def latest_text(self) -> str:
        return number(self.tile.status.get("latest"))


def number(value: float | None) -> str:
    """A figure as the KPI pages write it (``fmt`` in ``kpis/_icons.html``)."""
    return "–" if value is None else f"{value:.4g}"


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
    signals = RS.of_period(ids, start, end)
    counts, notes = _in_period(ids, start, end)
    projects = _projects(ids)
    items = [Item(t, signals.get(t.kpi.id, []), notes.get(t.kpi.id, []),
                  projects.get(t.kpi.id, []), counts.get(t.kpi.id, 0)) for t in tiles]
    return Report(span, start, end, site, items, today)


def _points(stmt: Any) -> Iterable[tuple[int, Any]]:
    """(KPI id, value) pairs; each value a plain row with period, value, n and note."""
    # Core, not the ORM session's execute: plain rows, without the ORM's cost per row
    for row in db.session.connection().execute(stmt).all():
        yield row.kpi_id, row


def _columns() -> Any:
    return select(KpiValue.kpi_id, KpiValue.period, KpiValue.value, KpiValue.n,
                  KpiValue.note)


def _in_period(ids: list[int], start: date, end: date
               ) -> tuple[dict[int, int], dict[int, list[tuple[date, str]]]]:
    """How many values each KPI has in the period, and its notes there: counted and
    filtered by the database, not 15,000 values of a month read to count them."""
    if not ids:
        return {}, {}
    where = (KpiValue.kpi_id.in_(ids), KpiValue.period.between(start, end))
    conn = db.session.connection()
    counts = dict(conn.execute(select(KpiValue.kpi_id, func.count()).where(*where)
                               .group_by(KpiValue.kpi_id)).all())
    notes: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for row in conn.execute(select(KpiValue.kpi_id, KpiValue.period, KpiValue.note)
                            .where(*where, KpiValue.note != "")
                            .order_by(KpiValue.kpi_id, KpiValue.period)):
        notes[row.kpi_id].append((row.period, row.note))
    return counts, notes


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
