"""From a KPI to an improvement project and back: "start an improvement" makes a project
with the KPI as its primary metric (name, unit, direction, target as the goal) and the
KPI's recent values as its baseline data set, linked both ways (``KpiProject``; the data
set's source names the KPI). The KPI page lists its projects with phase, status and
health; the project page shows its KPI's status and the dates its stages follow
(``kpis.stages``), and the team may set the day the change took effect. Functions flush,
never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup
from sqlalchemy import select

from ..audit import services as audit
from ..core.errors import DomainError, Forbidden, NotFound
from ..core.validators import parse_date
from ..datasets import services as datasets
from ..extensions import db
from ..portfolio import board
from ..projects import permissions
from ..projects import services as projects
from ..projects.models import Project
from . import icons, stages, summary
from . import status as S
from .models import Kpi, KpiProject, KpiValue

if TYPE_CHECKING:
    from ..auth.models import User

BASELINE_VALUES = 60
"""How many of the KPI's newest values become the project's baseline data set."""


def _title(kpi: Kpi, title: str | None) -> str:
    title = " ".join((title or "").split()) or f"Improve {kpi.name}"
    if len(title) > 200:
        raise DomainError("The title is longer than 200 characters.", field="title")
    return title


def start(actor: User, kpi: Kpi, title: str | None) -> Project:
    if not permissions.can_create_project(actor):
        raise Forbidden("Only belts, council members and admins start improvement projects.")
    rows = list(db.session.scalars(select(KpiValue).where(KpiValue.kpi_id == kpi.id)
                                   .order_by(KpiValue.period.desc())
                                   .limit(BASELINE_VALUES)))[::-1]
    if len(rows) < 2:
        raise DomainError("The KPI needs at least 2 values to give the project a baseline.",
                          field="title")
    signals = "; ".join((kpi.summary or {}).get("signals", []))
    target = "" if kpi.target is None else f" to {kpi.target:g} {kpi.unit}".rstrip()
    project = projects.create_project(actor, {
        "title": _title(kpi, title), "org_unit_id": kpi.org_unit_id,
        "metric_name": kpi.name[:120], "metric_unit": kpi.unit, "metric_better": kpi.better,
        "target": kpi.target if kpi.chart == "i" else None,
        "problem": f"{kpi.name}: {S.VARIATION_TEXT[(kpi.summary or {}).get('variation', 'none')]}"
                   + (f" ({signals})." if signals else "."),
        "goal": f"Move {kpi.name} {'up' if kpi.better == 'higher' else 'down'}{target}."})
    dataset = datasets.create_dataset(
        actor, project.id, _baseline_table(kpi, rows), name=f"{kpi.name} (KPI baseline)"[:120],
        kind="continuous", metric=kpi.name[:120], unit=kpi.unit,
        source=f"KPI {kpi.id}: {kpi.name}"[:200])
    db.session.add(KpiProject(kpi_id=kpi.id, project_id=project.id, created_by_id=actor.id,
                              dataset_id=dataset.id))
    db.session.flush()
    audit.record(actor, "start improvement", "kpi", kpi.id,
                 summary=f"Started {project.key} {project.title} from this KPI")
    return project


def _baseline_table(kpi: Kpi, rows: list[KpiValue]) -> object:
    """The values as the KPI charts them (a p chart's proportion, a u chart's rate), all
    baseline: the project has no change yet."""
    return stages.table_of(stages.points(kpi, rows, stages.Dates(None, False, None, None)))


def linked(kpi: Kpi) -> list[Project]:
    """The KPI's improvement projects, newest first, with their phase and status."""
    return list(db.session.scalars(select(Project).join(
        KpiProject, KpiProject.project_id == Project.id).where(KpiProject.kpi_id == kpi.id)
        .order_by(KpiProject.created_at.desc())))


def linked_rows(kpi: Kpi, stalled_days: int) -> list[board.PortfolioRow]:
    """The KPI's projects as the portfolio shows them: phase, status, the lead's reported
    health and the health the data suggest."""
    return board.rows_of([p.id for p in linked(kpi)], board.clock_for(stalled_days))


@dataclass(frozen=True)
class Panel:
    """The project page's KPI panel."""

    kpi: Kpi
    tile: summary.Tile
    link: KpiProject
    dates: stages.Dates
    dataset_id: int | None

    @property
    def icons(self) -> Markup:
        return icons.of_tile(self.tile)

    @property
    def status_text(self) -> str:
        s = self.tile.status
        words = "No data this period" if self.tile.no_data else \
            S.VARIATION_TEXT[s.get("variation", "none")]
        assurance = s.get("assurance", "none")
        return words + (f"; {S.ASSURANCE_TEXT[assurance].lower()}"
                        if assurance in S.ASSURANCE_TEXT and assurance != "none" else "")


def link_of(project: Project) -> KpiProject | None:
    return db.session.scalar(select(KpiProject).where(KpiProject.project_id == project.id)
                             .order_by(KpiProject.id).limit(1))


def panel(project: Project, today: date | None = None) -> Panel | None:
    """What the project page shows of its KPI; None for a project not started from one."""
    link = link_of(project)
    if link is None:
        return None
    kpi = db.session.get(Kpi, link.kpi_id)
    dataset = stages.dataset_of(kpi, link)
    return Panel(kpi, summary.tile(kpi, today or date.today()), link,
                 stages.dates(link, project), dataset.id if dataset else None)


def set_change_date(actor: User, project: Project, raw: str | None,
                    today: date | None = None) -> KpiProject:
    """The day the change took effect, as the team knows it (empty: back to the day the
    project entered Improve); the KPI data set is staged again at once."""
    if not permissions.can_edit_project(actor, project):
        raise Forbidden("Only the project's lead and team set the day the change took effect.")
    link = link_of(project)
    if link is None:
        raise NotFound(f"{project.key} was not started from a KPI.")
    text = (raw or "").strip()
    try:
        day = parse_date(text) if text else None
    except ValueError as exc:
        raise DomainError(f"Change date: {exc}", field="change_date") from None
    today = today or date.today()
    if day is not None and day > today:
        raise DomainError(f"Change date: {day} is in the future (today is {today}); set it "
                          "once the change is in place.", field="change_date")
    when = stages.dates(link, project)
    if day is not None and when.sustain is not None and day > when.sustain:
        raise DomainError(f"Change date: {day} is after the day the project entered Control "
                          f"({when.sustain}), so no value would be after the change and "
                          "before sustain.", field="change_date")
    if day == link.change_date:
        return link
    before, link.change_date = link.change_date, day
    db.session.flush()
    audit.record(actor, "kpi change date", "project", project.id, project_id=project.id,
                 summary=f"The change took effect on {day}" if day else
                 "Change date cleared: the day the project entered Improve",
                 changes={"change_date": [before, day]})
    stages.sync(actor, db.session.get(Kpi, link.kpi_id), link)
    return link


def project_moved(project: Project) -> None:
    """A gate moved the project on (into Improve or Control) or closed it: its KPI data set
    is staged anew, since a value already entered may now fall after the change (today's,
    say), and the monitoring of the values after a close starts from an up-to-date set."""
    link = link_of(project)
    if link is not None:
        stages.sync(None, db.session.get(Kpi, link.kpi_id), link)
