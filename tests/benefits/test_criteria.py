"""The sustain gate's benefit criteria flip when their evidence appears."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ciapp.benefits import services, validation
from ciapp.gates.services import evaluate_criteria
from tests import factories
from tests.benefits.conftest import add_line, team


def _sustain(project: Any) -> dict[str, tuple[bool, str]]:
    return {r.key: (r.met, r.detail) for r in evaluate_criteria(project, "sustain")}


def test_realized_benefits_entered(db: Any) -> None:
    lead, project = team()
    assert _sustain(project)["benefits_realized"] == (False, "No benefit line yet")
    line = add_line(lead, project)
    assert not _sustain(project)["benefits_realized"][0]
    services.set_month(lead, line, date(2026, 1, 1), Decimal("250.00"), line.version)
    assert _sustain(project)["benefits_realized"] == (
        True, "1 realized month(s) entered, 250.00 in all")


def test_hard_savings_validated_projection_and_every_month(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    add_line(lead, project, category="soft_savings")  # not finance's sign-off to give
    assert _sustain(project)["savings_validated"][0]
    hard = add_line(lead, project, description="Less scrap")
    services.set_month(lead, hard, date(2026, 1, 1), Decimal("250.00"), hard.version)
    met, detail = _sustain(project)["savings_validated"]
    assert not met and "'Less scrap'" in detail

    validation.submit(lead, hard, "projected", hard.version)
    validation.decide(finance, project, hard, "projected", "approve", "", hard.version)
    assert not _sustain(project)["savings_validated"][0]  # January not validated yet

    validation.submit(lead, hard, "realized", hard.version)
    validation.decide(finance, project, hard, "realized", "approve", "", hard.version)
    assert _sustain(project)["savings_validated"][0]
