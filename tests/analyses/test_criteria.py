"""The gate criteria that data decide flip when the evidence appears, as the gate panel
shows them (through gates.services.evaluate_criteria, with the app's registry)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ciapp.analyses import monitoring
from ciapp.analyses import services as analyses
from ciapp.datasets import building
from ciapp.datasets import services as datasets
from ciapp.gates.services import evaluate_criteria
from ciapp.notifications.models import Notification
from ciapp.projects.phases import Status
from tests import factories

RNG = np.random.default_rng(4)


def rows(values: Any, stage: str) -> Any:
    return building.from_records([{"value": float(v), "stage": stage} for v in values],
                                 "continuous")


def met(project: Any, phase: str) -> dict[str, bool]:
    return {c.key: c.met for c in evaluate_criteria(project, phase)}


@pytest.fixture
def project(db: Any) -> Any:
    return factories.project(complete=True, lsl=5.0, usl=15.0)


def test_baseline_gate_needs_20_points_a_saved_chart_and_capability(app: Any, db: Any,
                                                                     project: Any) -> None:
    assert met(project, "baseline") == {"baseline_points": False, "baseline_chart": False,
                                        "baseline_capability": False}
    ds = datasets.create_dataset(project.lead, project.id, rows(RNG.normal(10, 1, 19),
                                                                "baseline"),
                                 name="Scrap", kind="continuous")
    assert not met(project, "baseline")["baseline_points"]
    datasets.append_rows(project.lead, ds, rows([10.2], "baseline"))
    assert met(project, "baseline")["baseline_points"]
    src = analyses.source(project, ds.id)
    analyses.save_record(project.lead, project, "chart", [src], {})
    analyses.save_record(project.lead, project, "capability", [src], {})
    assert all(met(project, "baseline").values())


def test_capability_is_not_asked_for_without_specs(app: Any, db: Any) -> None:
    bare = factories.project(complete=True)
    assert met(bare, "baseline")["baseline_capability"]


def test_countermeasures_need_after_data_and_a_better_significant_change(
        app: Any, db: Any, project: Any) -> None:
    ds = datasets.create_dataset(project.lead, project.id, rows(RNG.normal(10, 1, 25),
                                                                "baseline"),
                                 name="Scrap", kind="continuous")
    assert not met(project, "countermeasures")["after_data"]
    # Worse after the change (the project's metric: lower is better)
    datasets.append_rows(project.lead, ds, rows(RNG.normal(12, 1, 25), "after change"))
    assert met(project, "countermeasures")["after_data"]
    worse = [analyses.source(project, ds.id, stage="baseline"),
             analyses.source(project, ds.id, stage="after change")]
    analyses.save_record(project.lead, project, "comparison", worse, {})
    assert not met(project, "countermeasures")["before_after_better"]
    better = datasets.create_dataset(project.lead, project.id,
                                     rows(RNG.normal(8, 1, 25), "after change"),
                                     name="Scrap after", kind="continuous")
    analyses.save_record(project.lead, project, "comparison",
                         [analyses.source(project, ds.id, stage="baseline"),
                          analyses.source(project, better.id, stage="after change")], {})
    assert met(project, "countermeasures")["before_after_better"]


def test_sustain_needs_20_quiet_points(app: Any, db: Any, project: Any) -> None:
    ds = datasets.create_dataset(project.lead, project.id, rows(RNG.normal(10, 1, 25),
                                                                "baseline"),
                                 name="Scrap", kind="continuous")
    datasets.append_rows(project.lead, ds, rows(RNG.normal(8, 0.5, 15), "sustain"))
    outcome = {c.key: c for c in evaluate_criteria(project, "sustain")}["sustain_stable"]
    assert not outcome.met and "15 sustain points; 20 needed" in outcome.detail
    datasets.append_rows(project.lead, ds, rows(RNG.normal(8, 0.5, 10), "sustain"))
    assert met(project, "sustain")["sustain_stable"]
    datasets.append_rows(project.lead, ds, rows([20.0], "sustain"))
    outcome = {c.key: c for c in evaluate_criteria(project, "sustain")}["sustain_stable"]
    assert not outcome.met and "rule 1 signal at point(s) 51" in outcome.detail


def test_a_closed_project_is_flagged_when_new_data_leave_the_sustain_limits(
        app: Any, db: Any, project: Any) -> None:
    ds = datasets.create_dataset(project.lead, project.id, rows(RNG.normal(8, 0.5, 25),
                                                                "sustain"),
                                 name="Scrap", kind="continuous")
    project.status = Status.CLOSED
    datasets.append_rows(project.lead, ds, rows([8.1, 7.9], ""))
    assert monitoring.open_flags(project.id) == []
    datasets.append_rows(project.lead, ds, rows([8.0, 15.0], ""))
    (flag,) = monitoring.open_flags(project.id)
    assert flag.points == "29" and "did the gain hold?" in flag.message
    told = {n.user_id for n in db.session.query(Notification).filter_by(project_id=project.id)}
    assert {project.lead_id, project.sponsor_id} <= told
