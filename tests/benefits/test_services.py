"""Benefit lines, months, validation and locking: the rules, through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.benefits import services, validation
from ciapp.benefits.models import BenefitLine, ProjectCost
from ciapp.core.errors import Conflict, DomainError, Forbidden
from tests import factories
from tests.benefits.conftest import add_line, comparison, line_input, team

D = Decimal


def _count(model: Any) -> int:
    from ciapp.extensions import db

    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_line_keeps_its_inputs_and_computes_the_projection(db: Any) -> None:
    lead, project = team()
    line = add_line(lead, project, quantity="1200", unit_value="38.50")
    db.session.commit()
    db.session.expire_all()

    saved = db.session.get(BenefitLine, line.id)
    assert (saved.quantity, saved.unit_value, saved.projected) == (
        D("1200.0000"), D("38.50"), D("46200.00"))
    assert saved.quantity_unit == "parts" and saved.method.startswith("Scrapped")


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "savings"}, "category"),
    ({"description": " "}, "description"),
    ({"quantity": "0"}, "quantity"),
    ({"unit_value": "-1.00"}, "unit_value"),
])
def test_bad_lines_are_refused_naming_the_field_and_nothing_is_saved(
        db: Any, change: dict[str, str], field: str) -> None:
    lead, project = team()
    values = {"category": "hard_savings", "description": "Less scrap", "quantity": "10",
              "unit_value": "2.00"} | change
    with pytest.raises(DomainError) as caught:
        services.create_line(lead, project, services.LineInput(
            values["category"], values["description"], "", D(values["quantity"]), "",
            D(values["unit_value"]), date(2026, 1, 1)))
    assert field in caught.value.fields
    assert _count(BenefitLine) == 0


def test_a_projection_too_large_for_the_column_is_refused(db: Any) -> None:
    lead, project = team()
    with pytest.raises(DomainError, match="limited"):
        add_line(lead, project, quantity="99999999999", unit_value="99999.00")


def test_realized_months_cannot_be_in_the_future(db: Any) -> None:
    lead, project = team()
    line = add_line(lead, project)
    nxt = services.this_month().replace(year=services.this_month().year + 1)
    with pytest.raises(DomainError, match="has not begun"):
        services.set_month(lead, line, nxt, D("10.00"), line.version)
    assert line.months == []


def test_approved_projection_is_locked_until_reopened(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    validation.decide(finance, project, line, "projected", "approve", "Checked with "
                      "the scrap report", line.version)
    assert line.projected_state == "approved" and line.projected_by_id == finance.id

    with pytest.raises(Conflict, match="locked"):
        services.update_line(lead, line, line_input(quantity="2000"), line.version)
    with pytest.raises(Conflict):
        services.delete_line(lead, line, line.version)
    assert line.projected == D("3000.00")

    validation.reopen(lead, line, "projected", None, line.version)
    services.update_line(lead, line, line_input(quantity="2000"), line.version)
    assert (line.projected, line.projected_state) == (D("5000.00"), "draft")


def test_a_change_while_waiting_takes_the_line_out_of_the_queue(db: Any) -> None:
    lead, project = team()
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    assert validation.queue_count() == 1

    services.update_line(lead, line, line_input(quantity="1300"), line.version)

    assert line.projected_state == "draft"
    assert validation.queue_count() == 0


def test_approved_months_are_locked_others_stay_open(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    services.set_month(lead, line, date(2026, 1, 1), D("250.00"), line.version)
    validation.submit(lead, line, "realized", line.version)
    validation.decide(finance, project, line, "realized", "approve", "", line.version)
    services.set_month(lead, line, date(2026, 2, 1), D("240.00"), line.version)

    with pytest.raises(Conflict, match="locked"):
        services.set_month(lead, line, date(2026, 1, 1), D("300.00"), line.version)
    assert [(m.month.month, m.amount, m.state) for m in line.months] == [
        (1, D("250.00"), "approved"), (2, D("240.00"), "draft")]

    validation.reopen(lead, line, "realized", date(2026, 1, 1), line.version)
    services.set_month(lead, line, date(2026, 1, 1), D("300.00"), line.version)
    assert line.realized == D("540.00")


def test_projected_and_realized_are_validated_separately(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    services.set_month(lead, line, date(2026, 1, 1), D("250.00"), line.version)
    validation.submit(lead, line, "projected", line.version)
    validation.submit(lead, line, "realized", line.version)

    validation.decide(finance, project, line, "realized", "return",
                      "January's figure is before the change went live", line.version)

    assert line.projected_state == "pending"
    assert (line.months[0].state, line.months[0].comment) == (
        "returned", "January's figure is before the change went live")


def test_return_needs_a_comment(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    with pytest.raises(DomainError, match="why") as caught:
        validation.decide(finance, project, line, "projected", "return", "  ", line.version)
    assert "comment" in caught.value.fields
    assert line.projected_state == "pending"


@pytest.mark.parametrize("part", ["lead", "sponsor", "member"])
def test_nobody_validates_their_own_projects_lines(db: Any, part: str) -> None:
    finance = factories.user("finance")
    lead = finance if part == "lead" else factories.user("belt")
    project = factories.project(lead, complete=True,
                                **({"sponsor": finance} if part == "sponsor" else {}))
    if part == "member":
        from ciapp.projects import services as projects

        projects.add_member(lead, project, finance.id, "Controller")
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)

    with pytest.raises(Forbidden):
        validation.decide(finance, project, line, "projected", "approve", "", line.version)
    assert line.projected_state == "pending"


def test_only_finance_validates(db: Any) -> None:
    lead, project = team()
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    for role in ("admin", "council", "belt", "viewer"):
        with pytest.raises(Forbidden):
            validation.decide(factories.user(role), project, line, "projected", "approve",
                              "", line.version)


def test_finance_approves_only_the_version_it_saw(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    seen = line.version
    services.set_month(lead, line, date(2026, 1, 1), D("10.00"), line.version)

    with pytest.raises(Conflict, match="changed by someone else"):
        validation.decide(finance, project, line, "projected", "approve", "", seen)


def test_every_step_is_in_the_audit_trail(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    line = add_line(lead, project)
    services.set_month(lead, line, date(2026, 1, 1), D("250.00"), line.version)
    validation.submit(lead, line, "projected", line.version)
    validation.decide(finance, project, line, "projected", "approve", "OK", line.version)
    validation.reopen(lead, line, "projected", None, line.version)

    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "benefit", AuditEvent.entity_id == line.id)
        .order_by(AuditEvent.id)))
    assert [(e.action, e.actor_id) for e in events] == [
        ("create", lead.id), ("update", lead.id), ("submit", lead.id),
        ("approved", finance.id), ("reopen", lead.id)]
    assert events[1].changes == {"realized 2026-01": [None, "250.00"]}
    assert "approved by finance: OK" in events[3].summary


def test_derived_line_carries_its_range_and_evidence(db: Any) -> None:
    lead, project = team()
    record = comparison(project)
    line = services.derive_line(lead, project, line_input(category="soft_savings"),
                                services.DeriveInput(record.id, D("1.20"), D("10000")))

    # 2.5 min x 10,000 orders x 1.20 = 30,000.00; CI ends 1.9 and 3.1 min.
    assert (line.projected, line.range_low, line.range_high) == (
        D("30000.00"), D("22800.00"), D("37200.00"))
    assert line.backed and line.p_value == 0.0004
    assert (line.quantity, line.unit_value) == (D("25000.0000"), D("1.20"))


def test_a_comparison_in_the_worse_direction_gives_no_estimate(db: Any) -> None:
    lead, project = team()
    record = comparison(project, change=1.2, ci=(0.4, 2.0), improved=False)
    with pytest.raises(DomainError, match="no change in the better direction"):
        services.derive_line(lead, project, line_input(),
                             services.DeriveInput(record.id, D("1.20"), D("10000")))
    assert _count(BenefitLine) == 0


def test_a_comparison_of_another_project_is_not_found(db: Any) -> None:
    lead, project = team()
    _, other = team()
    record = comparison(other)
    with pytest.raises(DomainError, match="not found"):
        services.derive_line(lead, project, line_input(),
                             services.DeriveInput(record.id, D("1.20"), D("10000")))


def test_not_significant_comparison_is_an_estimate_not_backed(db: Any) -> None:
    lead, project = team()
    record = comparison(project, change=-0.8, ci=(-1.9, 0.3), p_value=0.16, improved=False)
    line = services.derive_line(lead, project, line_input(),
                                services.DeriveInput(record.id, D("1.00"), D("1000")))
    # 0.8 x 1,000 x 1.00 = 800.00; the CI's ends: -0.3 x 1,000 = -300.00 to 1,900.00.
    assert (line.projected, line.range_low, line.range_high) == (
        D("800.00"), D("-300.00"), D("1900.00"))
    assert line.backed is False


def test_summary_for_project_totals_roi_and_payback(db: Any) -> None:
    lead, project = team()
    finance = factories.user("finance")
    hard = add_line(lead, project, quantity="1000", unit_value="24.00")  # 24,000.00
    add_line(lead, project, category="soft_savings", quantity="100", unit_value="50.00")
    services.add_cost(lead, project, "one_off", "Vent cleaning kit", D("6000.00"))
    services.add_cost(lead, project, "running", "Dryer service", D("1200.00"))
    validation.submit(lead, hard, "projected", hard.version)
    validation.decide(finance, project, hard, "projected", "approve", "", hard.version)

    s = services.summary_for_project(project)

    assert s.total.projected == D("29000.00")
    assert s.total.projected_validated == D("24000.00")
    # Cash benefit 24,000 (the soft savings do not count): ROI (24,000 - 1,200 - 6,000) /
    # 7,200 = 233.3 %; payback 6,000 / (22,800 / 12) = 3.157... -> 3.2 months.
    assert (s.returns.roi, s.returns.payback_months) == (D("233.3"), D("3.2"))
    # All benefits, 29,000: (29,000 - 1,200 - 6,000) / 7,200 = 302.8 %; payback 6,000 /
    # (27,800 / 12) = 2.59 -> 2.6 months.
    assert (s.returns_all.roi, s.returns_all.payback_months) == (D("302.8"), D("2.6"))
    assert list(s.by_category) == ["hard_savings", "soft_savings"]


def test_costs_must_be_positive_and_of_a_known_kind(db: Any) -> None:
    lead, project = team()
    with pytest.raises(DomainError):
        services.add_cost(lead, project, "capex", "Kit", D("10.00"))
    with pytest.raises(DomainError):
        services.add_cost(lead, project, "one_off", "Kit", D("0"))
    assert _count(ProjectCost) == 0
