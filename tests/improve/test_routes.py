"""The improve page and "my actions" as a user sees them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.extensions import db as _db
from ciapp.improve import services
from ciapp.improve.models import ActionItem, Countermeasure
from ciapp.notifications.models import Notification
from tests import factories
from tests.improve.conftest import root_cause


def cm_id(project: Any) -> int:
    return _db.session.scalar(select(Countermeasure.id).where(
        Countermeasure.project_id == project.id))


def _setup(login_as: Any) -> tuple[Any, Any]:
    lead = login_as("belt")
    project = factories.project(lead, complete=True)
    _db.session.commit()
    return lead, project


def test_add_countermeasure_linked_to_root_cause(client: FlaskClient, login_as: Any) -> None:
    lead, project = _setup(login_as)
    root = root_cause(lead, project, "Trucks leave late")
    _db.session.commit()
    r = client.post(f"/projects/{project.key}/countermeasures",
                    data={"title": "Fixed loading slots", "root_cause_id": str(root.id)})
    assert r.status_code == 302
    page = client.get(f"/projects/{project.key}/improve").get_data(as_text=True)
    assert "Fixed loading slots" in page
    causes = page[page.index(f'id="countermeasure-{cm_id(project)}-root_cause_ids"'):]
    assert causes.index("Root causes it answers") < causes.index("Trucks leave late") \
        < causes.index("</div>")


def test_empty_title_is_422_and_nothing_saved(client: FlaskClient, login_as: Any) -> None:
    _, project = _setup(login_as)
    r = client.post(f"/projects/{project.key}/countermeasures", data={"title": "  "})
    assert r.status_code == 422
    assert "The countermeasure is required." in r.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(Countermeasure)) == 0


def test_action_due_in_the_past_is_refused_with_message(client: FlaskClient,
                                                        login_as: Any) -> None:
    lead, project = _setup(login_as)
    cm = services.create_countermeasure(lead, project, "Slots", [])
    _db.session.commit()
    url = f"/projects/{project.key}/countermeasures/{cm.id}/actions"
    r = client.post(url, data={"title": "Train", "owner_id": str(lead.id),
                               "due_date": "2020-01-01"})
    assert r.status_code == 422
    assert "The due date 2020-01-01 is before the action was created" in r.get_data(as_text=True)
    r = client.post(url, data={"title": "Train", "owner_id": str(lead.id),
                               "due_date": "next week"})
    assert r.status_code == 400 and "write it as YYYY-MM-DD" in r.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(ActionItem)) == 0


def test_overdue_action_stands_out_on_both_pages(client: FlaskClient, login_as: Any) -> None:
    lead, project = _setup(login_as)
    cm = services.create_countermeasure(lead, project, "Slots", [])
    late = services.add_action(lead, cm, "Late task", lead.id, services.today())
    late.due_date = date(2020, 1, 1)
    services.add_action(lead, cm, "Fresh task", lead.id, services.today() + timedelta(5))
    _db.session.commit()
    page = client.get(f"/projects/{project.key}/improve").get_data(as_text=True)
    assert page.count("Overdue</strong>") == 1
    mine = client.get("/actions/mine").get_data(as_text=True)
    assert mine.index("Late task") < mine.index("Fresh task")
    assert mine.count("Overdue</strong>") == 1


def test_action_done_shows_completion(client: FlaskClient, login_as: Any) -> None:
    lead, project = _setup(login_as)
    cm = services.create_countermeasure(lead, project, "Slots", [])
    action = services.add_action(lead, cm, "Task", lead.id, services.today())
    _db.session.commit()
    r = client.post(f"/projects/{project.key}/actions/{action.id}/fields/status",
                    data={f"f-action-{action.id}-status": "done",
                          "version": str(action.version)})
    assert r.status_code == 200
    assert services.today().isoformat() in client.get(
        f"/projects/{project.key}/improve").get_data(as_text=True)
    assert "Task" not in client.get("/actions/mine").get_data(as_text=True)


def test_control_plan_and_lessons_on_page(client: FlaskClient, login_as: Any) -> None:
    lead, project = _setup(login_as)
    ds = factories.dataset(project)
    _db.session.commit()
    r = client.post(f"/projects/{project.key}/control-plan", data={
        "process_step": "Loading", "characteristic": "Departure delay",
        "control_method": "I-MR chart", "dataset_id": str(ds.id),
        "reaction_plan": "Call the shift lead", "sample_size": "1",
        "frequency": "Every truck"})
    assert r.status_code == 302
    client.post(f"/projects/{project.key}/lessons/text",
                data={"f-lessons-text": "Trial before rollout.", "version": "1"})
    page = client.get(f"/projects/{project.key}/improve").get_data(as_text=True)
    assert "Call the shift lead" in page and ds.name in page
    assert "Trial before rollout." in page
    show = client.get(f"/projects/{project.key}").get_data(as_text=True)
    assert f"/projects/{project.key}/improve" in show


def test_remind_overdue_command(app: Flask, db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    cm = services.create_countermeasure(lead, project, "Slots", [])
    action = services.add_action(lead, cm, "Task", lead.id, services.today())
    action.due_date = date(2020, 1, 1)
    _db.session.commit()
    runner = app.test_cli_runner()
    first: Result = runner.invoke(args=["actions", "remind-overdue"])
    second: Result = runner.invoke(args=["actions", "remind-overdue"])
    assert "1 overdue reminder(s) sent." in first.output
    assert "0 overdue reminder(s) sent." in second.output
    assert _db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == lead.id, Notification.message.contains("overdue"))) == 1


def test_stale_version_is_409_and_status_kept(client: FlaskClient, login_as: Any) -> None:
    lead, project = _setup(login_as)
    cm = services.create_countermeasure(lead, project, "Slots", [])
    action = services.add_action(lead, cm, "Task", lead.id, services.today())
    _db.session.commit()
    stale = action.version
    services.set_action_status(lead, action, "in_progress", action.version)
    _db.session.commit()
    r = client.post(f"/projects/{project.key}/actions/{action.id}/fields/status",
                    data={f"f-action-{action.id}-status": "done", "version": str(stale)})
    assert r.status_code == 409 and "changed by someone else" in r.get_data(as_text=True)
    _db.session.refresh(action)
    assert action.status == "in_progress" and action.completed_on is None


def test_my_actions_in_the_main_menu(client: FlaskClient, login_as: Any) -> None:
    login_as("member")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/actions/mine"' in page
    assert "No open action." in client.get("/actions/mine").get_data(as_text=True)
