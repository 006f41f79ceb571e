"""The weekly and monthly report: every KPI of the site with its status, the signals that
fell in the period (and only those), the period's notes, and the period's values as CSV
whose figures match sums worked out here."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from ciapp.extensions import db as _db
from ciapp.kpis import report
from ciapp.kpis.models import KpiProject
from ciapp.kpis.periods import last_complete
from tests import factories
from tests.kpis.conftest import add_values, make_kpi


def test_the_week_is_the_last_complete_monday_to_sunday() -> None:
    assert report.window("week", date(2026, 3, 11)) == (date(2026, 3, 2), date(2026, 3, 8))
    assert report.window("month", date(2026, 3, 11)) == (date(2026, 2, 1), date(2026, 2, 28))


def test_the_weekly_report_of_a_site(client: FlaskClient, login_as: Any) -> None:
    login_as("viewer")
    owner = factories.user("belt")
    monday = last_complete(date.today(), "weekly")  # the report's week
    start = monday - timedelta(days=40)
    # 48 values from 40 days before the week: a shift up in the last 8 of them, which are
    # the report's week (7 days) and the day after it
    shifted = make_kpi(owner, name="Dock-to-stock hours", better="lower", target="")
    add_values(shifted, [9.0, 11.0] * 20 + [12.0] * 8, start=start)
    quiet = make_kpi(owner, name="Order accuracy", target="4")
    periods = add_values(quiet, [9.0, 11.0] * 24, start=start)
    _db.session.commit()

    site = shifted.org_unit.parent_id
    made = report.build("week", date.today(), site)
    assert [i.tile.kpi.name for i in made.items] == ["Dock-to-stock hours"]
    (item,) = made.items
    # 12 is above the mean 10 but within 2 sigma (13.54): only the shift rule can fire. The
    # run above the mean starts with the last 11 (the day before the week), so its 7th value
    # is the week's Saturday, then Sunday; the Monday after is outside the week.
    saturday, sunday = monday + timedelta(days=5), monday + timedelta(days=6)
    shift = ": 7 points in a row on the same side of the center line (a shift)"
    assert item.signals == [f"{sunday}{shift}", f"{saturday}{shift}"]
    assert item.values_in_period == 7

    page = client.get(f"/kpis/report?site={site}").get_data(as_text=True)
    assert f"Operational report, week of {monday}" in page and "Dock-to-stock hours" in page

    everyone = client.get("/kpis/report.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(everyone)))
    in_week = [p for p in periods if monday <= p <= monday + timedelta(days=6)]
    assert len(rows) == 14
    accuracy = [float(r["value"]) for r in rows if r["kpi"] == "Order accuracy"]
    expected = sum(([9.0, 11.0] * 24)[periods.index(p)] for p in in_week)
    assert sum(accuracy) == expected
    assert sum(float(r["value"]) for r in rows if r["kpi"] == "Dock-to-stock hours") == 7 * 12.0


def test_the_report_reads_as_many_statements_for_six_kpis_as_for_two(db: Any) -> None:
    """Nothing is read per KPI (a report of 500 KPIs would send 500 times as many): the
    board's summaries, the stored signals, the counts and notes of the period, the projects
    and their health, each in one statement."""
    from tests.kpis.reporting import world
    from tests.projects.test_query_counts import statements

    site = world()  # two KPIs with values, signals, a note and a project with its health
    start = report.window("month", date.today())[0]

    def sent() -> tuple[int, int]:
        _db.session.expire_all()
        with statements() as seen:
            made = report.build("month", date.today(), site.site_id)
        # SELECTs only: the test's own savepoints come and go with its commits
        return sum(s.lstrip().upper().startswith("SELECT") for s in seen), len(made.items)

    two = sent()
    owner = factories.user("belt")
    for k in range(4):
        kpi = make_kpi(owner, name=f"Pick rate {k}", org_unit_id=str(site.spiky.org_unit_id))
        add_values(kpi, [9.0, 11.0] * 20 + [20.0], start=start - timedelta(days=35))
        lead = factories.user("belt")
        _db.session.add(KpiProject(kpi_id=kpi.id, project_id=factories.project(lead).id))
    _db.session.commit()
    six = sent()
    assert two[1] == 2 and six[1] == 6
    # the site, the KPIs with their areas and sites (3), signals, counts, notes, projects,
    # health
    assert six[0] == two[0] == 9
