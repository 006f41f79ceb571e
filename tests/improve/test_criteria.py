"""The Improve and Control gate criteria flip when their evidence appears."""

from __future__ import annotations

from typing import Any

from ciapp.gates.services import evaluate_criteria
from ciapp.improve import services
from tests.improve.conftest import project_with_lead, root_cause


def _met(project: Any, phase: str) -> dict[str, bool]:
    return {r.key: r.met for r in evaluate_criteria(project, phase)}


def test_countermeasure_per_verified_cause(db: Any) -> None:
    lead, project = project_with_lead()
    assert not _met(project, "countermeasures")["countermeasure_per_cause"]
    a = root_cause(lead, project, "A", verified=True)
    root_cause(lead, project, "Unverified")  # a suspect needs no countermeasure
    b = root_cause(lead, project, "B", verified=True)
    services.create_countermeasure(lead, project, "Fix A", [a.id])
    details = {r.key: r.detail for r in evaluate_criteria(project, "countermeasures")}
    assert not _met(project, "countermeasures")["countermeasure_per_cause"]
    assert "'B'" in details["countermeasure_per_cause"]
    services.create_countermeasure(lead, project, "Fix B", [b.id])
    assert _met(project, "countermeasures")["countermeasure_per_cause"]


def test_countermeasures_done(db: Any) -> None:
    lead, project = project_with_lead()
    assert not _met(project, "countermeasures")["countermeasures_done"]
    one = services.create_countermeasure(lead, project, "One", [])
    two = services.create_countermeasure(lead, project, "Two", [])
    services.update_countermeasure(lead, one, "done", None, one.version)
    assert not _met(project, "countermeasures")["countermeasures_done"]
    services.update_countermeasure(lead, two, "done", None, two.version)
    assert _met(project, "countermeasures")["countermeasures_done"]


def test_control_plan(db: Any) -> None:
    lead, project = project_with_lead()
    assert not _met(project, "sustain")["control_plan"]
    services.add_control_row(lead, project, {"process_step": "Load", "characteristic": "Delay",
                                             "reaction_plan": "Escalate"}, None, None)
    assert _met(project, "sustain")["control_plan"]
