"""The analysis pages as a belt uses them: the chart with tooltips and its signals in words,
options kept in the URL and updated in place, capability and before/after, saving as
evidence, and the record that re-runs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ciapp.datasets.models import AnalysisRecord
from tests import factories

RNG = np.random.default_rng(12)


@pytest.fixture
def world(db: Any, login_as: Any) -> Any:
    lead = login_as("belt")
    project = factories.project(lead, complete=True, lsl=4.0, usl=16.0)
    values = np.r_[RNG.normal(10, 1, 30), RNG.normal(7, 1, 20)]
    values[12] = 16.5  # one point far beyond the baseline's limits
    ds = factories.dataset(project, [{"value": float(v), "stage": "baseline" if i < 30
                                      else "after change"} for i, v in enumerate(values)],
                           name="Changeover time", unit="min")
    db.session.commit()
    return project, ds


def url(project: Any, ds: Any, page: str, query: str = "") -> str:
    return f"/projects/{project.key}/datasets/{ds.id}/{page}{query}"


def test_the_chart_page_draws_every_point_and_lists_signals_in_words(client: Any,
                                                                     world: Any) -> None:
    project, ds = world
    page = client.get(url(project, ds, "chart", "?limits_from=baseline"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    figure = html[html.index('<figure class="chart"'):html.index("</figure>")]
    assert figure.count("<title>") == 50
    assert "a point more than 3 sigma from the center line" in html
    assert f"/projects/{project.key}/datasets/{ds.id}/points/13" in html
    assert "Why this chart: One value per point" in html


def test_changing_an_option_answers_a_fragment_for_htmx(client: Any, world: Any) -> None:
    project, ds = world
    response = client.get(url(project, ds, "chart", "?rules=1"), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<div id="analysis">') and "<html" not in html


def test_a_bad_option_is_shown_in_place(client: Any, world: Any) -> None:
    project, ds = world
    response = client.get(url(project, ds, "chart", "?center=abc"))
    assert response.status_code == 422
    assert "&#39;center&#39; must be a number" in response.get_data(as_text=True)


def test_capability_defaults_to_the_projects_specs(client: Any, world: Any) -> None:
    project, ds = world
    html = client.get(url(project, ds, "capability", "?stage=baseline")).get_data(as_text=True)
    assert 'name="lsl" inputmode="decimal" size="8" value="4.0"' in html
    assert "Cpk" in html and "LSL=4" in html


def test_before_after_by_stage_gives_the_verdict(client: Any, world: Any) -> None:
    project, ds = world
    html = client.get(url(project, ds, "comparison")).get_data(as_text=True)
    assert "significant improvement" in html
    assert "Why this test" in html
    staged = html[html.index('id="staged-chart"'):]
    assert staged.count("<title>") == 50 and ">after change</text>" in staged


def test_saving_as_evidence_then_opening_the_record_reruns_it(client: Any, world: Any,
                                                             db: Any) -> None:
    project, ds = world
    response = client.post(f"/projects/{project.key}/analyses", data={
        "analysis": "chart", "dataset": ds.id, "version": 1,
        "options": '{"limits_from": "baseline"}', "title": "Baseline chart"})
    assert response.status_code == 302
    record = db.session.query(AnalysisRecord).one()
    assert record.title == "Baseline chart" and record.options == {"limits_from": "baseline"}
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "every number agrees" in html


def test_a_viewer_reads_but_cannot_save(client: Any, world: Any, login_as: Any) -> None:
    project, ds = world
    login_as("viewer")
    html = client.get(url(project, ds, "chart")).get_data(as_text=True)
    assert "Save as evidence" not in html
    response = client.post(f"/projects/{project.key}/analyses", data={
        "analysis": "chart", "dataset": ds.id})
    assert response.status_code == 403


def test_a_data_set_of_another_project_is_not_found(client: Any, world: Any) -> None:
    project, ds = world
    other = factories.project()
    assert client.get(url(other, ds, "chart")).status_code == 404


def test_pareto_of_measurements_says_what_it_needs(client: Any, world: Any) -> None:
    project, ds = world
    response = client.get(url(project, ds, "pareto"))
    assert response.status_code == 422
    assert "needs a categories data set" in response.get_data(as_text=True)


def test_pareto_of_categories(client: Any, db: Any, world: Any) -> None:
    project, _ = world
    causes = factories.dataset(project, [{"category": c, "value": v} for c, v in
                                         (("Late supplier", 40), ("Wrong label", 25),
                                          ("Damaged", 10), ("Late supplier", 5))],
                               kind="categories", name="Causes")
    db.session.commit()
    html = client.get(url(project, causes, "pareto")).get_data(as_text=True)
    # 45 of 80 = 56.25%: merged duplicates, largest first
    assert "56.2%" in html and html.index("Late supplier") < html.index("Wrong label")


def test_a_long_data_set_labels_the_plotted_window_with_its_times_and_notes(
        client: Any, db: Any, login_as: Any) -> None:
    """Above 2,000 points the page draws the last 2,000; their tooltips still carry each
    row's own time, note and link, counted from the first row of the data set."""
    project = factories.project(login_as("belt"), complete=True)
    rows = [{"value": float(v), "time": f"2026-01-{1 + i // 1000:02d}T{i % 24:02d}:00",
             "note": "pump swapped" if i == 2400 else ""}
            for i, v in enumerate(RNG.normal(10, 1, 2500))]
    ds = factories.dataset(project, rows, name="Fill weight")
    db.session.commit()
    html = client.get(url(project, ds, "chart")).get_data(as_text=True)
    figure = html[html.index('<figure class="chart"'):html.index("</figure>")]
    titles = figure.count("<title>")
    assert titles == 2000
    assert "<title>#2401 2026-01-03 00:00: " in figure and "Note: pump swapped" in figure
    assert "<title>#500 " not in figure and "<title>#501 2026-01-01 20:00: " in figure
    assert f"/projects/{project.key}/datasets/{ds.id}/points/2500" in figure
