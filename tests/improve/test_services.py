"""Countermeasures, action items, overdue reminders, control plan rows: the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ciapp.core.errors import DomainError, NotFound
from ciapp.improve import services
from ciapp.notifications.models import Notification
from tests import factories
from tests.improve.conftest import project_with_lead, root_cause


def _notes(user: Any) -> list[str]:
    from ciapp.extensions import db as _db

    return list(_db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id)))


def test_countermeasure_links_several_root_causes(db: Any) -> None:
    lead, project = project_with_lead()
    a, b = root_cause(lead, project, "A"), root_cause(lead, project, "B")
    cm = services.create_countermeasure(lead, project, "  Fixed loading slots ", [a.id, b.id])
    assert cm.title == "Fixed loading slots"
    assert {r.statement for r in cm.root_causes} == {"A", "B"}
    assert cm.status == "planned"


def test_countermeasure_refuses_root_cause_of_another_project(db: Any) -> None:
    lead, project = project_with_lead()
    _, other = project_with_lead()
    foreign = root_cause(lead, other)
    with pytest.raises(NotFound):
        services.create_countermeasure(lead, project, "X", [foreign.id])


def test_countermeasure_status_must_be_known(db: Any) -> None:
    lead, project = project_with_lead()
    cm = services.create_countermeasure(lead, project, "X", [])
    with pytest.raises(DomainError, match="Status must be one of"):
        services.update_countermeasure(lead, cm, "finished", None, cm.version)
    services.update_countermeasure(lead, cm, "done", None, cm.version)
    assert cm.status == "done"


def test_action_due_before_today_is_refused(db: Any) -> None:
    lead, project = project_with_lead()
    cm = services.create_countermeasure(lead, project, "X", [])
    with pytest.raises(DomainError, match="before the action was created"):
        services.add_action(lead, cm, "Train drivers", lead.id,
                            services.today() - timedelta(days=1))
    assert cm.actions == []


def test_assigning_an_action_notifies_the_owner(db: Any) -> None:
    lead, project = project_with_lead()
    owner = factories.user("member")
    cm = services.create_countermeasure(lead, project, "X", [])
    due = services.today() + timedelta(days=7)
    services.add_action(lead, cm, "Train drivers", owner.id, due)
    assert _notes(owner) == [f"{project.key}: you own the action 'Train drivers', "
                             f"due {due.isoformat()}."]


def test_done_sets_completion_date_and_reopening_clears_it(db: Any) -> None:
    lead, project = project_with_lead()
    cm = services.create_countermeasure(lead, project, "X", [])
    action = services.add_action(lead, cm, "Do it", lead.id, services.today())
    services.set_action_status(lead, action, "done", action.version)
    assert action.completed_on == services.today()
    services.set_action_status(lead, action, "open", action.version)
    assert action.completed_on is None


def test_my_actions_overdue_first_and_done_left_out(db: Any) -> None:
    lead, project = project_with_lead()
    cm = services.create_countermeasure(lead, project, "X", [])
    later = services.add_action(lead, cm, "Later", lead.id, services.today() + timedelta(3))
    soon = services.add_action(lead, cm, "Soon", lead.id, services.today())
    late = services.add_action(lead, cm, "Late", lead.id, services.today())
    late.due_date = date(2020, 1, 1)  # fell overdue since it was created
    done = services.add_action(lead, cm, "Done", lead.id, services.today())
    services.set_action_status(lead, done, "done", done.version)
    assert [a.title for a in services.my_open_actions(lead)] == ["Late", "Soon", "Later"]
    assert late.is_overdue(services.today()) and not soon.is_overdue(services.today())
    assert later.owner_id == lead.id


def test_remind_overdue_once_per_action(db: Any) -> None:
    lead, project = project_with_lead()
    owner = factories.user("member")
    cm = services.create_countermeasure(lead, project, "X", [])
    action = services.add_action(lead, cm, "Late one", owner.id, services.today())
    services.add_action(lead, cm, "On time", owner.id, services.today())
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    # Due today is not overdue yet, today.
    assert services.remind_overdue() == 0
    assert services.remind_overdue(tomorrow) == 2
    assert services.remind_overdue(tomorrow + timedelta(days=1)) == 0
    overdue = [m for m in _notes(owner) if "overdue" in m]
    assert len(overdue) == 2 and any("'Late one'" in m for m in overdue)
    assert action.reminded_at is not None


def test_control_row_needs_reaction_plan_and_own_dataset(db: Any) -> None:
    lead, project = project_with_lead()
    _, other = project_with_lead()
    mine, theirs = factories.dataset(project), factories.dataset(other)
    values = {"process_step": "Loading", "characteristic": "Departure delay",
              "sample_size": "1", "frequency": "every truck", "control_method": "I-MR chart"}
    with pytest.raises(DomainError, match="reaction plan is required"):
        services.add_control_row(lead, project, values, mine.id, None)
    values["reaction_plan"] = "Call the shift lead"
    with pytest.raises(NotFound):
        services.add_control_row(lead, project, values, theirs.id, None)
    row = services.add_control_row(lead, project, values, mine.id, lead.id)
    assert row.dataset_id == mine.id and services.control_rows(project.id) == [row]


def test_lessons_saved_once_per_project(db: Any) -> None:
    lead, project = project_with_lead()
    services.save_lessons(lead, project, "Ask operators first.")
    services.save_lessons(lead, project, "Ask operators first. Trial before rollout.")
    assert services.lessons_of(project.id).text.endswith("Trial before rollout.")


def test_reassigning_an_action_tells_the_new_owner_and_rearms_reminder(db: Any) -> None:
    lead, project = project_with_lead()
    first, second = factories.user("member"), factories.user("member")
    cm = services.create_countermeasure(lead, project, "X", [])
    action = services.add_action(lead, cm, "Train drivers", first.id, services.today())
    action.reminded_at = datetime.now(UTC)
    later = services.today() + timedelta(days=14)
    services.update_action(lead, action, "Train all drivers", second.id, later,
                           action.version)
    assert _notes(second) == [f"{project.key}: you own the action 'Train all drivers', "
                              f"due {later.isoformat()}."]
    assert len(_notes(first)) == 1  # only the first assignment
    assert action.reminded_at is None
    with pytest.raises(DomainError, match="before the action was created"):
        services.update_action(lead, action, "Train", second.id, date(2020, 1, 1),
                               action.version)
