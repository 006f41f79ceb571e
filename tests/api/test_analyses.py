"""The analysis endpoints agree with ciapp.stats on the same data, draw with tooltips,
save records that re-run, and refuse bad options by name."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ciapp import stats
from ciapp.datasets.models import ChartCache
from tests import factories

# qcc's pistonrings, samples 1-25 (Montgomery, Table 6.3), as tests/stats/data holds them
PISTON = np.loadtxt("tests/stats/data/pistonrings_trial.txt")


@pytest.fixture
def setup(api_as: Any, db: Any) -> Any:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True, lsl=73.95, usl=74.05)
    piston = factories.dataset(project, [{"value": float(v), "subgroup": str(i // 5 + 1)}
                                         for i, v in enumerate(PISTON.ravel())],
                               name="Piston rings", unit="mm")
    rng = np.random.default_rng(9)
    staged = factories.dataset(
        project, [{"value": float(v), "stage": "baseline" if i < 25 else "after change"}
                  for i, v in enumerate(np.r_[rng.normal(10, 1, 25), rng.normal(8, 1, 25)])],
        name="Cycle time", unit="min")
    db.session.commit()
    return api_as(user=lead), project, piston, staged


def test_chart_json_is_qccs_xbar_chart(setup: Any) -> None:
    api, _, piston, _ = setup
    body = api.get(f"/api/v1/datasets/{piston.id}/chart").get_json()
    # R: qcc(diameter[1:25,], type="xbar"): center 74.00118, std.dev 0.009785039
    assert body["kind"] == "xbar" and "Xbar-R" in body["reason"]
    assert body["center"][0] == pytest.approx(74.00118, abs=5e-6)
    assert body["sigma"] == pytest.approx(0.009785039, rel=5e-5)
    assert body["version"] == 1 and len(body["hash"]) == 64


def test_chart_json_agrees_with_the_library(setup: Any) -> None:
    api, _, _, staged = setup
    body = api.get(f"/api/v1/datasets/{staged.id}/chart?type=i&rules=1,2&limits_from="
                   "baseline").get_json()
    values = [r["value"] for r in api.get(f"/api/v1/datasets/{staged.id}/rows?per_page=100")
              .get_json()["items"]]
    direct = stats.control_chart("i", values, stages=["baseline"] * 25 + ["after change"] * 25,
                                 limits_from="baseline", rules=[1, 2])
    assert body["ucl"] == pytest.approx(list(direct.ucl))
    assert {int(k): v for k, v in body["violations"].items()} == \
        {k: list(v) for k, v in direct.violations.items()}


def test_chart_svg_has_tooltips_and_is_cached(setup: Any, db: Any) -> None:
    api, project, _, staged = setup
    response = api.get(f"/api/v1/datasets/{staged.id}/chart.svg?limits_from=baseline")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.count("<title>") == 50
    assert f"/projects/{project.key}/datasets/{staged.id}/points/1\"" in svg
    assert db.session.query(ChartCache).count() == 1
    assert api.get(f"/api/v1/datasets/{staged.id}/chart.svg?limits_from=baseline") \
        .get_data(as_text=True) == svg
    assert db.session.query(ChartCache).count() == 1
    png = api.get(f"/api/v1/datasets/{staged.id}/chart.png")
    assert png.data[:4] == b"\x89PNG"


def test_capability_defaults_to_the_projects_specs(setup: Any) -> None:
    api, _, piston, _ = setup
    body = api.get(f"/api/v1/datasets/{piston.id}/capability").get_json()
    # R: process.capability(qcc(...), spec.limits=c(73.95, 74.05)): Cp 1.703, Cp_k 1.663
    assert body["cp"] == pytest.approx(1.703, abs=5e-4)
    assert body["cpk"] == pytest.approx(1.663, abs=5e-4)


def test_comparison_of_two_stages(setup: Any) -> None:
    api, project, _, staged = setup
    response = api.post(f"/api/v1/projects/{project.key}/comparisons", {
        "before": {"dataset": staged.id, "stage": "baseline"},
        "after": {"dataset": staged.id, "stage": "after change"}})
    body = response.get_json()
    assert response.status_code == 200
    assert body["significant"] and body["improved"] and "improvement" in body["verdict"]
    assert body["before"]["stage"] == "baseline"


def test_a_saved_analysis_reruns(setup: Any) -> None:
    api, project, piston, _ = setup
    saved = api.post(f"/api/v1/projects/{project.key}/analyses",
                     {"dataset": piston.id, "analysis": "capability", "options": {}})
    assert saved.status_code == 201
    record = saved.get_json()
    assert record["inputs"][0]["version"] == 1
    again = api.get(record["links"]["rerun"]).get_json()
    assert again["reproduced"] is True and again["differences"] == []


@pytest.mark.parametrize(("url", "message"), [
    ("chart?rules=1,x", "'rules' must list whole numbers"),
    ("chart?colour=red", "Unknown parameter 'colour'"),
    ("chart?type=p", "cannot be drawn as a 'p' chart"),
    ("chart?version=9", "has no version 9"),
    ("capability?method=magic", "method must be one of"),
])
def test_bad_parameters_are_named(setup: Any, url: str, message: str) -> None:
    api, _, piston, _ = setup
    response = api.get(f"/api/v1/datasets/{piston.id}/{url}")
    assert 400 <= response.status_code < 500
    assert message in response.get_json()["message"]


def test_an_analysis_of_another_projects_data_is_not_found(setup: Any, db: Any) -> None:
    api, _, piston, _ = setup
    other = factories.project(api.user)
    db.session.commit()
    response = api.post(f"/api/v1/projects/{other.key}/analyses",
                        {"dataset": piston.id, "analysis": "chart"})
    assert response.status_code == 404
