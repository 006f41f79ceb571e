"""A site with two KPIs for the report's tests: a spike in the last complete month (with a
note that a spreadsheet would run as a formula) and a linked project whose lead reported
its health; and a KPI at another site that a site's report leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ciapp.extensions import db as _db
from ciapp.kpis import report, services, summary
from ciapp.kpis.models import Kpi, KpiProject
from ciapp.portfolio import health
from ciapp.projects.models import Project
from tests import factories
from tests.kpis.conftest import add_values, make_kpi

FORMULA_NOTE = '=HYPERLINK("http://evil.example","click")'


@dataclass
class World:
    site_id: int
    start: date
    end: date
    spiky: Kpi
    accuracy: Kpi
    other: Kpi
    project: Project
    spike_day: date
    accuracy_values: dict[date, float]


def world() -> World:
    owner = factories.user("belt")
    site, area = factories.site_and_area("Plant North")
    start, end = report.window("month", date.today())
    first = start - timedelta(days=40)
    days = (end - first).days + 1
    # alternating 9 and 11: mean 10, average moving range 2, sigma 2 / 1.128 = 1.773, so
    # the upper limit is 10 + 3 x 1.773 = 15.32 (Wheeler, Understanding Variation, the XmR
    # chart's 2.66 x mR-bar); 20 on the month's 10th day is the only point beyond it
    spike_day = start + timedelta(days=9)
    series = [20.0 if first + timedelta(days=i) == spike_day else (9.0, 11.0)[i % 2]
              for i in range(days)]
    spiky = make_kpi(owner, name="Dock-to-stock hours", unit="h", better="lower", target="",
                     org_unit_id=str(area.id))
    add_values(spiky, series, start=first)
    row = next(v for v in spiky_values(spiky) if v.period == spike_day)
    row.note = FORMULA_NOTE
    accuracy = make_kpi(owner, name="Order accuracy", unit="%", target="95",
                        org_unit_id=str(area.id))
    numbers = [(98.0, 99.0, 97.5)[i % 3] for i in range(days)]
    periods = add_values(accuracy, numbers, start=first)
    other = make_kpi(owner, name="Forklift incidents elsewhere")
    add_values(other, [1.0, 2.0] * 15, start=first)
    lead = factories.user("belt")
    project = factories.project(lead, title="Faster put-away")
    _db.session.add(KpiProject(kpi_id=spiky.id, project_id=project.id))
    _db.session.flush()
    health.set_health(lead, project, "at_risk", "The scanner supplier is late")
    for kpi in (spiky, accuracy):
        services.refresh_figures(kpi, [])
        summary.refresh(kpi)
    _db.session.commit()
    return World(site.id, start, end, spiky, accuracy, other, project, spike_day,
                 dict(zip(periods, numbers, strict=True)))


def spiky_values(kpi: Kpi) -> list:
    from ciapp.kpis import values

    return values.between(kpi)
