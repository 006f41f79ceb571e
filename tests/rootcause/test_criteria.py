"""The root-cause gate's criterion flips when a root cause is verified with evidence, as the
gate panel shows it (gates.services.evaluate_criteria, with the app's registry)."""

from __future__ import annotations

from typing import Any

import pytest

from ciapp.core.errors import DomainError
from ciapp.gates.services import evaluate_criteria
from ciapp.rootcause import fishbone
from ciapp.rootcause import services as rc
from tests import factories


def met(project: Any) -> dict[str, tuple[bool, str]]:
    return {c.key: (c.met, c.detail) for c in evaluate_criteria(project, "root_cause")}


def test_verified_root_cause_flips_when_the_evidence_appears(db: Any) -> None:
    project = factories.project(complete=True)
    assert met(project)["verified_root_cause"] == (False, "No root cause yet")
    chain = rc.create_chain(project.lead, project.id, "Late deliveries")
    why = rc.add_why(project.lead, chain, "Trucks leave late")
    root = rc.mark_root(project.lead, why, True)
    assert met(project)["verified_root_cause"][0] is False
    with pytest.raises(DomainError, match="evidence is needed"):
        rc.verify(project.lead, root, True, "   ", None, root.version)
    assert met(project)["verified_root_cause"][0] is False
    rc.verify(project.lead, root, True, "Gate log: 41 of 50 trucks left after 8:00",
              None, root.version)
    assert met(project)["verified_root_cause"] == (
        True, "1 verified root cause(s) with evidence")
    rc.verify(project.lead, root, False, "", None, root.version)
    assert met(project)["verified_root_cause"][0] is False


def test_a_fishbone_cause_verified_with_evidence_counts_too(db: Any) -> None:
    project = factories.project(complete=True)
    bone = fishbone.get_or_create(project.id)
    cause = fishbone.add_cause(project.lead, bone, bone.categories[1].id, "Worn spindle")
    assert met(project)["verified_root_cause"][0] is False
    fishbone.set_status(project.lead, cause, "verified", "Vibration trial, run 3",
                        None, cause.version)
    assert met(project)["verified_root_cause"][0] is True
    fishbone.set_status(project.lead, cause, "ruled_out", "Replaced it; no change",
                        None, cause.version)
    assert met(project)["verified_root_cause"][0] is False
