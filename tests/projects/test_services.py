"""Project rules: keys, charter checks, optimistic locking, team, status moves, filters."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.auth.models import User
from ciapp.core.errors import Conflict, DomainError, NotFound
from ciapp.core.time import utcnow
from ciapp.projects import services
from ciapp.projects.models import Project
from ciapp.projects.phases import Phase, Status
from tests import factories


def test_keys_run_per_year(db: Any) -> None:
    year = utcnow().year
    first, second = factories.project(), factories.project()
    assert re.fullmatch(rf"CI-{year}-\d{{4}}", first.key)
    assert int(second.key[-4:]) == int(first.key[-4:]) + 1


def test_creation_is_audited_with_the_values_set(db: Any) -> None:
    project = factories.project(title="Cut changeover time", goal="Under 20 min")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.project_id == project.id))
    assert event.action == "create" and event.actor_id == project.lead_id
    assert event.changes["goal"] == [None, "Under 20 min"]


def test_lead_defaults_to_the_creator(db: Any) -> None:
    belt = factories.user("belt")
    project = services.create_project(belt, {"title": "Faster invoicing"})
    assert project.lead_id == belt.id and project.phase == Phase.SCOPE
    assert project.status == Status.ACTIVE


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"lsl": 10.0, "usl": 10.0}, "lsl", r"LSL \(10\) must be below USL \(10\)"),
    ({"lsl": 12.0, "usl": 10.0}, "lsl", r"LSL \(12\) must be below USL \(10\)"),
    ({"lsl": 1.0, "usl": 2.0, "target": 3.0}, "target", "between the specification"),
    ({"start_date": date(2026, 5, 1), "target_date": date(2026, 4, 1)}, "target_date",
     "before the start date"),
    ({"alpha": 0.7}, "alpha", "Alpha must be between"),
    ({"sponsor_id": 999999}, "sponsor_id", "No sponsor with id 999999"),
    ({"org_unit_id": 999999}, "org_unit_id", "No org unit with id 999999"),
])
def test_charter_rules_refuse_and_save_nothing(db: Any, values: dict[str, Any], field: str,
                                               message: str) -> None:
    lead = factories.user("belt")
    db.session.commit()
    with pytest.raises(DomainError, match=message) as err:
        services.create_project(lead, {"title": "Bad", **values})
    assert field in err.value.fields
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_update_records_before_and_after(db: Any) -> None:
    project = factories.project(lsl=1.0, usl=5.0)
    changes = services.update_project(project.lead, project, {"usl": 6.0, "goal": "Halve it"})
    assert changes == {"usl": [5.0, 6.0], "goal": ["", "Halve it"]}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.changes == {"usl": [5.0, 6.0], "goal": ["", "Halve it"]}


def test_update_checks_rules_against_stored_values(db: Any) -> None:
    project = factories.project(lsl=1.0, usl=5.0)
    with pytest.raises(DomainError, match="LSL"):
        services.update_project(project.lead, project, {"lsl": 7.0})
    assert project.lsl == 1.0


def test_a_stale_version_is_a_conflict_not_a_silent_overwrite(db: Any) -> None:
    project = factories.project()
    loaded_version = project.version
    services.update_project(project.lead, project, {"goal": "First edit"},
                            expected_version=loaded_version)
    assert project.version == loaded_version + 1
    with pytest.raises(Conflict, match="changed by someone else"):
        services.update_project(project.lead, project, {"goal": "Second edit"},
                                expected_version=loaded_version)
    assert project.goal == "First edit"


def test_team_members_join_once_and_leave(db: Any) -> None:
    project = factories.project()
    operator = factories.user("member")
    member = services.add_member(project.lead, project, operator.id, "Operator")
    assert project.is_member(operator) and member.role == "Operator"
    with pytest.raises(DomainError, match="already on the team"):
        services.add_member(project.lead, project, operator.id, "Again")
    with pytest.raises(DomainError, match="No user with id"):
        services.add_member(project.lead, project, 999999, "Ghost")
    services.remove_member(project.lead, project, member)
    assert not project.is_member(operator)
    with pytest.raises(NotFound):
        services.remove_member(project.lead, project, member)


def test_status_moves_need_reasons_and_valid_states(db: Any) -> None:
    project = factories.project()
    lead = project.lead
    with pytest.raises(DomainError, match="Give a reason"):
        services.change_status(lead, project, "hold")
    services.change_status(lead, project, "hold", "Waiting for the new mould")
    assert project.status == Status.ON_HOLD
    with pytest.raises(Conflict):
        services.change_status(lead, project, "hold", "again")
    services.change_status(lead, project, "resume")
    services.change_status(lead, project, "cancel", "Line is being decommissioned")
    assert project.status == Status.CANCELLED
    services.change_status(lead, project, "reopen", "Line kept after all")
    assert project.status == Status.ACTIVE
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.project_id == project.id).order_by(AuditEvent.id)).all()
    assert actions == ["create", "hold", "resume", "cancel", "reopen"]


def test_reopening_a_closed_project_returns_to_sustain(db: Any) -> None:
    project = factories.project()
    project.status, project.phase, project.closed_at = Status.CLOSED, Phase.SUSTAIN, utcnow()
    services.change_status(project.lead, project, "reopen", "The gain did not hold")
    assert (project.status, project.phase, project.closed_at) == (Status.ACTIVE,
                                                                   Phase.SUSTAIN, None)


def test_filters_combine(db: Any) -> None:
    site, area = factories.site_and_area()
    lead = factories.user("belt")
    a = factories.project(lead, title="Reduce paint defects", org_unit_id=area.id)
    factories.project(title="Faster invoicing", methodology="kaizen")
    b = factories.project(lead, title="Paint booth changeover", methodology="kaizen")

    def keys(**kw: Any) -> set[str]:
        return {p.key for p in db.session.scalars(
            services.project_query(services.ProjectFilters(**kw)))}

    assert keys(q="paint") == {a.key, b.key}
    assert keys(q="PAINT", methodology="kaizen") == {b.key}
    assert keys(lead_id=lead.id) == {a.key, b.key}
    assert keys(org_unit_id=site.id) == {a.key}  # a site includes its areas
    assert keys(status="on_hold") == set()
    assert keys(q=a.key) == {a.key}


def test_paging(db: Any) -> None:
    for _ in range(5):
        factories.project()
    page = services.list_projects(services.ProjectFilters(), page=2, per_page=2)
    assert page.total == 5 and page.pages == 3 and len(page.items) == 2
    assert services.list_projects(services.ProjectFilters(), page=9, per_page=2).items == []


def test_two_servers_creating_the_first_projects_of_a_year_get_distinct_keys(
        app: Any, committing_db: Any) -> None:
    """Each thread stands for an app server with its own connection and transaction."""
    import threading

    db = committing_db

    lead_id = factories.user("belt").id
    db.session.commit()
    barrier, keys, errors = threading.Barrier(2), [], []

    def create() -> None:
        with app.app_context():
            try:
                lead = db.session.get(User, lead_id)
                barrier.wait(timeout=10)
                keys.append(services.create_project(lead, {"title": "Parallel"}).key)
                db.session.commit()
            except Exception as exc:  # reported below, with the thread's error
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == [] and len(set(keys)) == 2
