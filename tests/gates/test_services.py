"""Gate rules: live criteria, who may request and decide, overrides, phase moves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ciapp import create_app
from ciapp.audit.models import AuditEvent
from ciapp.core.errors import Conflict, DomainError, Forbidden
from ciapp.gates import criteria, scope_criteria, services
from ciapp.gates.models import ReviewStatus
from ciapp.notifications.models import Notification
from ciapp.projects import services as projects
from ciapp.projects.phases import Phase, Status
from tests import factories


def test_scope_criteria_are_computed_from_the_charter(db: Any) -> None:
    project = factories.project()
    unmet = {c.key for c in services.evaluate_criteria(project) if not c.met}
    assert unmet == {"problem", "goal", "in_scope", "sponsor", "primary_metric", "team"}
    complete = factories.project(complete=True)
    assert all(c.met for c in services.evaluate_criteria(complete))


def test_criteria_follow_edits_live(db: Any) -> None:
    project = factories.project(complete=True)
    projects.update_project(project.lead, project, {"goal": "  "})
    goal = next(c for c in services.evaluate_criteria(project) if c.key == "goal")
    assert not goal.met and goal.detail == "Goal is empty"


def test_only_the_lead_requests_a_review(db: Any) -> None:
    project = factories.project(complete=True)
    with pytest.raises(Forbidden):
        services.request_review(factories.user("council"), project)
    review = services.request_review(project.lead, project, "Charter signed")
    assert review.status == ReviewStatus.PENDING and review.phase == Phase.SCOPE
    assert all(c["met"] for c in review.criteria_at_request)


def test_one_pending_review_at_a_time_and_only_when_active(db: Any) -> None:
    project = factories.project(complete=True)
    services.request_review(project.lead, project)
    with pytest.raises(Conflict, match="already waiting"):
        services.request_review(project.lead, project)
    other = factories.project(complete=True)
    projects.change_status(other.lead, other, "hold", "Plant shutdown")
    with pytest.raises(Conflict, match="on hold"):
        services.request_review(other.lead, other)


def test_the_phase_moves_only_through_an_approved_review(db: Any) -> None:
    project = factories.project(complete=True)
    projects.update_project(project.lead, project, {"phase": Phase.SUSTAIN})
    assert project.phase == Phase.SCOPE  # phase is not a charter field
    review = services.request_review(project.lead, project)
    assert project.phase == Phase.SCOPE
    services.decide_review(factories.user("council"), review, "approve")
    assert project.phase == Phase.BASELINE
    assert review.status == ReviewStatus.APPROVED and review.decided_at is not None


@pytest.mark.parametrize("role", ["admin", "belt", "finance", "member", "viewer"])
def test_only_council_or_the_sponsor_decides(db: Any, role: str) -> None:
    project = factories.project(complete=True)
    review = services.request_review(project.lead, project)
    with pytest.raises(Forbidden):
        services.decide_review(factories.user(role), review, "approve")
    assert project.phase == Phase.SCOPE


def test_the_sponsor_decides_even_without_the_council_role(db: Any) -> None:
    sponsor = factories.user("belt")
    project = factories.project(complete=True, sponsor=sponsor)
    review = services.request_review(project.lead, project)
    services.decide_review(sponsor, review, "approve")
    assert project.phase == Phase.BASELINE


def test_nobody_decides_their_own_request(db: Any) -> None:
    council_lead = factories.user("council")
    project = factories.project(council_lead, complete=True)
    review = services.request_review(council_lead, project)
    with pytest.raises(Forbidden, match="another council member"):
        services.decide_review(council_lead, review, "approve")


def test_approving_with_unmet_criteria_needs_a_written_reason(db: Any) -> None:
    project = factories.project()  # charter mostly empty
    review = services.request_review(project.lead, project)
    council = factories.user("council")
    with pytest.raises(DomainError, match="override reason") as err:
        services.decide_review(council, review, "approve", override_reason="ok")
    assert err.value.fields == {"override_reason": [err.value.message]}
    assert project.phase == Phase.SCOPE and review.status == ReviewStatus.PENDING
    reason = "Sponsor on leave; charter agreed by e-mail on 3 March."
    services.decide_review(council, review, "approve", override_reason=reason)
    assert project.phase == Phase.BASELINE and review.override_reason == reason
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "gate_approved"))
    assert reason in event.summary and event.changes == {"phase": ["scope", "baseline"]}


def test_sending_back_needs_a_comment_and_keeps_the_phase(db: Any) -> None:
    project = factories.project(complete=True)
    review = services.request_review(project.lead, project)
    council = factories.user("council")
    with pytest.raises(DomainError, match="what must change"):
        services.decide_review(council, review, "return")
    services.decide_review(council, review, "return", comment="Quantify the business case.")
    assert review.status == ReviewStatus.RETURNED and project.phase == Phase.SCOPE
    with pytest.raises(Conflict, match="already returned"):
        services.decide_review(council, review, "approve")
    # A new request can follow a send-back.
    assert services.request_review(project.lead, project).status == ReviewStatus.PENDING


def test_notifications_go_to_the_council_and_back_to_the_lead(db: Any) -> None:
    council = [factories.user("council"), factories.user("council")]
    project = factories.project(complete=True, sponsor=council[0])
    review = services.request_review(project.lead, project)
    told = set(db.session.scalars(select(Notification.user_id)))
    assert told == {c.id for c in council}
    services.decide_review(council[1], review, "approve")
    to_lead = db.session.scalars(select(Notification).where(
        Notification.user_id == project.lead_id)).all()
    assert len(to_lead) == 1 and "approved the Define gate" in to_lead[0].message


def test_leaving_sustain_closes_the_project(db: Any) -> None:
    project = factories.project(complete=True)
    project.phase = Phase.SUSTAIN
    db.session.flush()
    review = services.request_review(project.lead, project)
    # The sustain gate's criteria are not computable yet: approving takes an override.
    services.decide_review(factories.user("council"), review, "approve",
                           override_reason="Control plan reviewed on paper by the council.")
    assert project.status == Status.CLOSED and project.closed_at is not None


def test_kaizen_gates_use_kaizen_labels(db: Any) -> None:
    project = factories.project(complete=True, methodology="kaizen")
    status = services.gate_status(project)
    assert (status.label, status.next_label) == ("Scope / charter", "Current state")


def test_checklist_ticks_are_kept_per_gate(db: Any) -> None:
    project = factories.project(complete=True)
    services.set_tick(project.lead, project, "sponsor_agreed", True)
    items = {i.key: i for i in services.checklist(project)}
    assert items["sponsor_agreed"].done and items["sponsor_agreed"].by == project.lead.name
    assert not items["team_released"].done
    assert not services.gate_status(project).ready
    services.set_tick(project.lead, project, "sponsor_agreed", False)
    assert not any(i.done for i in services.checklist(project))
    with pytest.raises(DomainError, match="not on the"):
        services.set_tick(project.lead, project, "bogus", True)


@pytest.fixture
def registry(app: Any, monkeypatch: pytest.MonkeyPatch) -> criteria.CriteriaRegistry:
    """A registry of the app's own for one test, holding the scope gate's criteria."""
    fresh = criteria.CriteriaRegistry()
    scope_criteria.register(fresh)
    monkeypatch.setitem(app.extensions, criteria.EXTENSION, fresh)
    return fresh


def _in_baseline(**kwargs: Any) -> Any:
    project = factories.project(complete=True, **kwargs)
    project.phase = Phase.BASELINE
    return project


def test_an_area_makes_an_expected_criterion_computable(db: Any, registry: Any) -> None:
    registry.add(Phase.BASELINE, "baseline_points",
                 lambda project: criteria.Outcome(project.title.endswith("ready"),
                                                  "3 of 20 points"))
    project = _in_baseline()
    result = services.gate_status(project).criteria
    assert [(c.key, c.met, c.available, c.detail) for c in result][0] == (
        "baseline_points", False, True, "3 of 20 points")
    review = services.request_review(project.lead, project)
    with pytest.raises(DomainError, match="Baseline data set on the primary metric"):
        services.decide_review(factories.user("council"), review, "approve")
    with pytest.raises(ValueError, match="twice"):
        registry.add(Phase.BASELINE, "baseline_points", lambda p: criteria.Outcome(True))
    with pytest.raises(ValueError, match="give it a label"):
        registry.add(Phase.BASELINE, "unheard_of", lambda p: criteria.Outcome(True))
    registry.add(Phase.BASELINE, "extra", lambda p: criteria.Outcome(True), "An extra check")
    assert services.gate_status(project).criteria[-1].label == "An extra check"


def test_criteria_nobody_registered_are_shown_and_never_met(db: Any, registry: Any) -> None:
    project = _in_baseline(title="Everything is ready")
    status = services.gate_status(project)
    assert [c.key for c in status.criteria] == list(criteria.EXPECTED[Phase.BASELINE])
    assert not any(c.available or c.met for c in status.criteria)
    assert all("not available yet" in c.detail for c in status.criteria)
    assert status.criteria_met is False and status.ready is False
    assert services.gate_status(project).criteria[0].to_dict()["available"] is False
    review = services.request_review(project.lead, project)
    with pytest.raises(DomainError, match="3 criteria are unmet"):
        services.decide_review(factories.user("council"), review, "approve")
    services.decide_review(factories.user("council"), review, "approve",
                           override_reason="Baseline checked by hand in the team meeting.")
    assert project.phase == Phase.ROOT_CAUSE


def test_each_app_registers_its_own_criteria_when_created() -> None:
    """No import side effect: two apps in one process each get the scope criteria once."""
    first, second = (create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
                     for _ in range(2))
    for app in (first, second):
        scope = criteria.criteria_of(app).for_phase(Phase.SCOPE)
        assert [c.key for c in scope] == list(criteria.EXPECTED[Phase.SCOPE])
        assert all(c.available for c in scope)
    assert criteria.criteria_of(first) is not criteria.criteria_of(second)
