"""From a KPI signal to a project: the KPI becomes the project's primary metric, its recent
values the project's baseline data set, and each side shows the other."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from ciapp.datasets import services as datasets
from ciapp.extensions import db as _db
from ciapp.projects.models import Project
from tests import factories
from tests.kpis.conftest import add_values, make_kpi

STABLE = [9.0, 11.0] * 10


def test_start_an_improvement_from_a_signal(client: FlaskClient, login_as: Any) -> None:
    belt = login_as("belt")
    kpi = make_kpi(factories.user("belt"), name="Dock-to-stock hours", better="lower",
                   unit="h", target="9")
    add_values(kpi, STABLE + [12.0, 13.0] * 4)  # a shift up: concerning, lower is better
    _db.session.commit()

    r = client.post(f"/kpis/{kpi.id}/improve", data={"title": ""})

    assert r.status_code == 302
    project = _db.session.scalars(select(Project)).one()
    assert r.headers["Location"].endswith(f"/projects/{project.key}")
    assert (project.title, project.metric_name, project.metric_unit, project.metric_better,
            project.target, project.lead_id) == ("Improve Dock-to-stock hours",
                                                 "Dock-to-stock hours", "h", "lower", 9.0,
                                                 belt.id)
    assert project.org_unit_id == kpi.org_unit_id
    assert "Special cause, concerning" in project.problem and "shift" in project.problem
    (dataset,) = datasets.project_datasets(project.id)
    table = datasets.load(dataset)
    assert table["value"].to_pylist() == STABLE + [12.0, 13.0] * 4  # every value, in order
    assert dataset.source == f"KPI {kpi.id}: Dock-to-stock hours"
    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)
    assert f"{project.key}</a> Improve Dock-to-stock hours" in page


def test_a_p_kpi_gives_its_proportions_and_a_member_cannot_start_one(
        client: FlaskClient, login_as: Any) -> None:
    kpi = make_kpi(factories.user("belt"), chart="p", target="0.9")
    add_values(kpi, [95.0, 90.0, 99.0], sizes=[100.0, 100.0, 100.0])
    _db.session.commit()
    login_as("member")

    assert client.post(f"/kpis/{kpi.id}/improve", data={}).status_code == 403
    login_as("council")
    assert client.post(f"/kpis/{kpi.id}/improve", data={}).status_code == 302
    project = _db.session.scalars(select(Project)).one()
    (dataset,) = datasets.project_datasets(project.id)
    assert datasets.load(dataset)["value"].to_pylist() == [0.95, 0.90, 0.99]
    assert project.target is None  # a proportion is no target for an individuals chart
