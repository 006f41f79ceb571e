"""The KPI and its project show each other: the project page the KPI's status (icons as on
the board, latest value, link), the KPI page its projects' phase, status and health; the
team sets the day the change took effect on the project page; a refused batch of values
leaves both the KPI and the project's data set as they were."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.auth.services import issue_token
from ciapp.datasets import services as datasets
from ciapp.extensions import db as _db
from ciapp.kpis import improvement
from ciapp.kpis.models import KpiProject, KpiValue
from ciapp.portfolio import health
from tests import factories
from tests.kpis.conftest import add_values, make_kpi

SHIFTED = [9.0, 11.0] * 10 + [12.0, 13.0] * 4  # stable around 10, then 8 above: a shift up


def started(lead: Any) -> tuple[Any, Any]:
    kpi = make_kpi(factories.user("belt"), name="Dock-to-stock hours", better="lower",
                   unit="h", target="9")
    add_values(kpi, SHIFTED)
    project = improvement.start(lead, kpi, "Faster put-away")
    _db.session.commit()
    return kpi, project


def test_the_project_page_shows_its_kpis_status(client: FlaskClient, login_as: Any) -> None:
    kpi, project = started(login_as("belt"))

    page = client.get(f"/projects/{project.key}").get_data(as_text=True)

    panel = page[page.index('id="kpi"'):]
    panel = panel[:panel.index("</section>")]
    assert f'<a href="/kpis/{kpi.id}">Dock-to-stock hours</a>' in panel
    # Lower is better and the last 8 values sit above the limits: a concerning shift.
    assert 'data-variation="concerning"' in panel
    assert "Special cause, concerning" in panel
    yesterday = date.today() - timedelta(days=1)  # the last of SHIFTED
    assert f"Latest: <strong>13</strong> h ({yesterday.isoformat()}) · target 9" in panel
    assert "from the day the project enters Improve" in panel
    assert 'name="change_date"' in panel  # the lead may set the change date


def test_the_kpi_page_shows_its_projects_phase_status_and_health(
        client: FlaskClient, login_as: Any) -> None:
    lead = login_as("belt")
    kpi, project = started(lead)
    health.set_health(lead, project, "at_risk", "The WMS upgrade is late")
    _db.session.commit()

    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)

    table = page[page.index('id="kpi-projects"'):]
    table = table[:table.index("</table>")]
    assert f'<a href="/projects/{project.key}">{project.key}</a> Faster put-away' in table
    assert "<td>Define</td><td>Active</td>" in table
    assert "At risk <span" in table  # the lead's report...
    assert "the data suggest on track" in table  # ...beside what the data suggest


def test_the_team_sets_the_change_date_on_the_project_page(
        client: FlaskClient, login_as: Any) -> None:
    kpi, project = started(login_as("belt"))
    first = date.today() - timedelta(days=len(SHIFTED))  # add_values ends yesterday
    change = first + timedelta(days=20)

    r = client.post(f"/kpis/projects/{project.key}/change-date",
                    data={"change_date": change.isoformat()})

    assert r.status_code == 302 and r.headers["Location"].endswith(f"/projects/{project.key}#kpi")
    (dataset,) = datasets.project_datasets(project.id)
    stages = datasets.load(dataset)["stage"].to_pylist()
    assert stages == ["baseline"] * 20 + ["after change"] * 8  # the shift is the change
    page = client.get(f"/projects/{project.key}").get_data(as_text=True)
    assert f"from {change} (the day the team set)" in page


def test_a_change_date_in_the_future_gets_422_and_nothing_changes(
        client: FlaskClient, login_as: Any) -> None:
    kpi, project = started(login_as("belt"))
    tomorrow = date.today() + timedelta(days=1)

    r = client.post(f"/kpis/projects/{project.key}/change-date",
                    data={"change_date": tomorrow.isoformat()})

    assert r.status_code == 422
    assert f"Change date: {tomorrow} is in the future" in r.get_data(as_text=True)
    link = _db.session.scalars(select(KpiProject)).one()
    assert link.change_date is None
    (dataset,) = datasets.project_datasets(project.id)
    assert dataset.current == 1


def test_a_project_not_started_from_a_kpi_has_no_panel_and_no_change_date(
        client: FlaskClient, login_as: Any) -> None:
    project = factories.project(login_as("belt"))
    _db.session.commit()
    assert 'id="kpi"' not in client.get(f"/projects/{project.key}").get_data(as_text=True)
    r = client.post(f"/kpis/projects/{project.key}/change-date", data={"change_date": ""})
    assert r.status_code == 404


def test_a_refused_batch_saves_no_value_and_no_data_set_version(
        client: FlaskClient, login_as: Any) -> None:
    kpi, project = started(login_as("belt"))
    token = issue_token(kpi.owner)
    _db.session.commit()
    before = _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi.id))
    today = date.today()
    body = {"values": [{"period": (today - timedelta(days=400 + i)).isoformat(), "value": 10.0}
                       for i in range(500)]}
    body["values"][250]["value"] = "ten"

    r = client.post(f"/api/v1/kpis/{kpi.id}/values", data=json.dumps(body), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})

    assert r.status_code == 422
    assert r.get_json()["message"].startswith("values[250], column 'value': 'ten' is not a "
                                              "number.")
    assert _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi.id)) == before
    (dataset,) = datasets.project_datasets(project.id)
    assert dataset.current == 1
