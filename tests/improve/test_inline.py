"""The improve page edited in place, as a team in the room uses it: one field at a time with
htmx (and without JavaScript), a stale save kept for a second try, bad input refused beside
the field with nothing saved, removals in the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.extensions import db as _db
from ciapp.improve import services
from ciapp.improve.models import ActionItem, ControlPlanRow, Countermeasure
from tests import factories
from tests.improve.conftest import root_cause

HTMX = {"HX-Request": "true"}


def _setup(login_as: Any) -> tuple[Any, Any, Any, Any]:
    lead = login_as("belt")
    project = factories.project(lead, complete=True)
    cm = services.create_countermeasure(lead, project, "Fixed loading slots", [])
    action = services.add_action(lead, cm, "Train drivers", lead.id,
                                 services.today() + timedelta(days=7))
    _db.session.commit()
    return lead, project, cm, action


def _save(client: FlaskClient, url: str, name: str, value: Any, version: Any,
          headers: dict[str, str] | None = HTMX) -> Any:
    values = value if isinstance(value, list) else [value]
    data = [(name, v) for v in values] + [("version", str(version))]
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(data), headers=headers)


def _count(model: Any) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def test_action_title_edited_in_place(client: FlaskClient, login_as: Any) -> None:
    lead, project, _, action = _setup(login_as)
    base = f"/projects/{project.key}/actions/{action.id}/fields/title"
    page = client.get(f"/projects/{project.key}/improve").text
    assert f'hx-get="{base}/edit"' in page  # the Edit link swaps in the form
    form = client.get(base + "/edit", headers=HTMX)
    assert form.status_code == 200 and "<html" not in form.text
    assert f'name="f-action-{action.id}-title"' in form.text and "Train drivers" in form.text
    saved = _save(client, base, f"f-action-{action.id}-title", "Train all drivers",
                  action.version)
    assert saved.status_code == 200 and "<html" not in saved.text
    assert "Train all drivers" in saved.text
    assert f'class="version-action-{action.id}"' in saved.text  # every editor's new version
    _db.session.refresh(action)
    assert action.title == "Train all drivers" and action.version == 2
    assert _db.session.scalar(select(AuditEvent.changes).where(
        AuditEvent.entity == "action", AuditEvent.action == "update")) == {
        "title": ["Train drivers", "Train all drivers"]}


def test_action_done_sets_completion_date(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    url = f"/projects/{project.key}/actions/{action.id}/fields/status"
    saved = _save(client, url, f"f-action-{action.id}-status", "done", action.version)
    assert saved.status_code == 200
    today = services.today().isoformat()
    # The state cell beside the row is replaced out of band with the completion date.
    assert f'id="action-{action.id}-state" hx-swap-oob="true"' in saved.text
    assert f"Completed {today}" in saved.text
    _db.session.refresh(action)
    assert (action.status, action.completed_on) == ("done", services.today())
    reopened = _save(client, url, f"f-action-{action.id}-status", "open", action.version)
    assert reopened.status_code == 200 and "Completed" not in reopened.text
    _db.session.refresh(action)
    assert action.completed_on is None


def test_owner_and_due_date_edited_in_place(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    other = factories.user("member", name="Dana Ortiz")
    _db.session.commit()
    base = f"/projects/{project.key}/actions/{action.id}/fields"
    r = _save(client, f"{base}/owner_id", f"f-action-{action.id}-owner_id", str(other.id),
              action.version)
    assert r.status_code == 200 and "Dana Ortiz" in r.text
    due = (services.today() + timedelta(days=30)).isoformat()
    r = _save(client, f"{base}/due_date", f"f-action-{action.id}-due_date", due, 2)
    assert r.status_code == 200 and due in r.text
    _db.session.refresh(action)
    assert (action.owner_id, action.due_date.isoformat()) == (other.id, due)


def test_bad_action_input_is_refused_in_place(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    base = f"/projects/{project.key}/actions/{action.id}/fields"
    created = action.created_at.date()
    before = (created - timedelta(days=1)).isoformat()
    cases = [
        ("due_date", before, 422, f"The due date {before} is before the action was created "
                                  f"({created.isoformat()})"),
        ("due_date", "next week", 422, "YYYY-MM-DD"),
        ("owner_id", "99999", 422, "User 99999 is not an active user: choose the owner"),
        ("title", "   ", 422, "The action is required."),
    ]
    for field, value, status, message in cases:
        r = _save(client, f"{base}/{field}", f"f-action-{action.id}-{field}", value,
                  action.version)
        assert r.status_code == status, (field, value)
        text = unescape(r.text)
        assert message in text and 'role="alert"' in text, (field, value)
        assert "<html" not in text  # shown where the field is, not on an error page
    refused_date = _save(client, f"{base}/due_date", f"f-action-{action.id}-due_date", before,
                         action.version)
    assert f'value="{before}"' in refused_date.text  # what was typed is kept
    _db.session.refresh(action)
    assert (action.title, action.owner_id, action.version) == ("Train drivers",
                                                              action.owner_id, 1)
    assert action.due_date == services.today() + timedelta(days=7)


def test_stale_save_is_409_and_keeps_the_typed_text(client: FlaskClient,
                                                    login_as: Any) -> None:
    lead, project, _, action = _setup(login_as)
    services.update_action(lead, action, "Train night shift", lead.id, action.due_date, 1)
    _db.session.commit()
    url = f"/projects/{project.key}/actions/{action.id}/fields/title"
    r = _save(client, url, f"f-action-{action.id}-title", "Train day shift", 1)
    assert r.status_code == 409
    assert "changed by someone else" in r.text and "Train night shift" in r.text
    assert 'value="Train day shift"' in r.text and 'name="version" value="2"' in r.text
    missing = client.post(url, data={f"f-action-{action.id}-title": "X"}, headers=HTMX)
    assert missing.status_code == 428
    _db.session.refresh(action)
    assert action.title == "Train night shift"


def test_countermeasure_title_status_and_causes(client: FlaskClient, login_as: Any) -> None:
    lead, project, cm, _ = _setup(login_as)
    a, b = root_cause(lead, project, "Trucks leave late"), root_cause(lead, project, "No slot")
    _db.session.commit()
    base = f"/projects/{project.key}/countermeasures/{cm.id}/fields"
    name = f"f-countermeasure-{cm.id}"
    r = _save(client, f"{base}/root_cause_ids", f"{name}-root_cause_ids", [str(a.id),
                                                                           str(b.id)], 1)
    assert r.status_code == 200 and "Trucks leave late; No slot" in r.text
    r = _save(client, f"{base}/title", f"{name}-title", "Loading slots per carrier", 2)
    assert r.status_code == 200 and "Loading slots per carrier" in r.text
    r = _save(client, f"{base}/status", f"{name}-status", "in_progress", 3)
    assert r.status_code == 200 and "In progress" in r.text
    empty = _save(client, f"{base}/title", f"{name}-title", "", 4)
    assert empty.status_code == 422 and "The countermeasure is required." in empty.text
    _db.session.refresh(cm)
    assert (cm.title, cm.status) == ("Loading slots per carrier", "in_progress")
    assert {r.statement for r in cm.root_causes} == {"Trucks leave late", "No slot"}


def test_control_row_edited_in_place(client: FlaskClient, login_as: Any) -> None:
    lead, project, _, _ = _setup(login_as)
    row = services.add_control_row(lead, project, {
        "process_step": "Loading", "characteristic": "Departure delay",
        "reaction_plan": "Call the shift lead"}, None, None)
    _db.session.commit()
    base = f"/projects/{project.key}/control-plan/{row.id}/fields"
    form = client.get(f"{base}/frequency/edit", headers=HTMX).text
    assert f'value="1" class="version-control-{row.id}"' in form  # the row's own version
    r = _save(client, f"{base}/frequency", f"f-control-{row.id}-frequency", "Every truck", 1)
    assert r.status_code == 200 and "Every truck" in r.text
    assert f'value="2" class="version-control-{row.id}"' in r.text
    stale = _save(client, f"{base}/reaction_plan", f"f-control-{row.id}-reaction_plan",
                  "Stop loading", 1)
    assert stale.status_code == 409 and "Stop loading" in stale.text
    assert "(version 1, now 2)" in stale.text and 'name="version" value="2"' in stale.text
    empty = _save(client, f"{base}/reaction_plan", f"f-control-{row.id}-reaction_plan", "", 2)
    assert empty.status_code == 422 and "The reaction plan is required." in empty.text
    _db.session.refresh(row)
    assert (row.frequency, row.reaction_plan, row.version) == \
        ("Every truck", "Call the shift lead", 2)


def test_lessons_edited_in_place(client: FlaskClient, login_as: Any) -> None:
    _, project, _, _ = _setup(login_as)
    url = f"/projects/{project.key}/lessons/text"
    # Nothing saved yet is version 1, the first save leaves 2: of two editors who both
    # opened the empty lessons, the second to save is told the first did.
    assert 'value="1" class="version-lessons"' in client.get(url + "/edit",
                                                              headers=HTMX).text
    first = _save(client, url, "f-lessons-text", "Trial before rollout.", 1)
    assert first.status_code == 200 and 'value="2" class="version-lessons"' in first.text
    assert "Trial before rollout." in client.get(f"/projects/{project.key}/improve").text
    stale = _save(client, url, "f-lessons-text", "Overwrite", 1)
    assert stale.status_code == 409 and "Overwrite" in stale.text
    assert "(version 1, now 2)" in stale.text and 'name="version" value="2"' in stale.text
    assert services.lessons_of(project.id).text == "Trial before rollout."
    again = _save(client, url, "f-lessons-text", "Trial on one shift before rollout.", 2)
    assert again.status_code == 200
    lessons = services.lessons_of(project.id)
    assert (lessons.text, lessons.version) == ("Trial on one shift before rollout.", 3)
    assert _save(client, url, "f-lessons-text", "Overwrite", 2).status_code == 409


def test_countermeasure_description_edited_in_place(client: FlaskClient,
                                                    login_as: Any) -> None:
    _, project, cm, _ = _setup(login_as)
    base = f"/projects/{project.key}/countermeasures/{cm.id}/fields/description"
    page = client.get(f"/projects/{project.key}/improve").text
    assert f'hx-get="{base}/edit"' in page
    form = client.get(base + "/edit", headers=HTMX)
    assert form.status_code == 200 and f'name="f-countermeasure-{cm.id}-description"' in \
        form.text and "<textarea" in form.text
    name = f"f-countermeasure-{cm.id}-description"
    saved = _save(client, base, name, "  Each carrier books a 30-minute slot.  ", cm.version)
    assert saved.status_code == 200 and "Each carrier books a 30-minute slot." in saved.text
    _db.session.refresh(cm)
    assert (cm.description, cm.title, cm.version) == \
        ("Each carrier books a 30-minute slot.", "Fixed loading slots", 2)
    assert "Each carrier books a 30-minute slot." in client.get(
        f"/projects/{project.key}/improve").text
    long = _save(client, base, name, "x" * 2001, cm.version)
    assert long.status_code == 422 and "The description is longer than 2000" in long.text
    stale = _save(client, base, name, "Overwrite", 1)
    assert stale.status_code == 409 and "Overwrite" in stale.text
    cleared = _save(client, base, name, "", cm.version)
    assert cleared.status_code == 200
    _db.session.refresh(cm)
    assert cm.description == "" and cm.version == 3
    assert {e.changes["description"][1] for e in _db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "countermeasure", AuditEvent.action == "update"))} == \
        {"Each carrier books a 30-minute slot.", ""}


def test_a_new_countermeasure_takes_its_description(client: FlaskClient,
                                                    login_as: Any) -> None:
    _, project, _, _ = _setup(login_as)
    r = client.post(f"/projects/{project.key}/countermeasures",
                    data={"title": "Pre-staged pallets", "description": "Staged at dock 3."})
    assert r.status_code == 302
    made = _db.session.scalar(select(Countermeasure).where(
        Countermeasure.title == "Pre-staged pallets"))
    assert made.description == "Staged at dock 3."


def test_without_javascript_the_field_has_a_page(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    base = f"/projects/{project.key}/actions/{action.id}/fields/title"
    form = client.get(base + "/edit")
    assert form.status_code == 200 and "<html" in form.text and f'action="{base}"' in form.text
    saved = _save(client, base, f"f-action-{action.id}-title", "Train drivers twice", 1,
                  headers=None)
    assert saved.status_code == 200 and "<html" in saved.text
    assert "Train drivers twice" in saved.text


def test_removing_is_audited(client: FlaskClient, login_as: Any) -> None:
    _, project, cm, action = _setup(login_as)
    r = client.post(f"/projects/{project.key}/actions/{action.id}/delete")
    assert r.status_code == 302 and _count(ActionItem) == 0
    r = client.post(f"/projects/{project.key}/countermeasures/{cm.id}/delete")
    assert r.status_code == 302 and _count(Countermeasure) == 0
    deleted = set(_db.session.scalars(select(AuditEvent.entity).where(
        AuditEvent.action == "delete")))
    assert deleted == {"action", "countermeasure"}
    assert "Fixed loading slots" not in client.get(f"/projects/{project.key}/improve").text


def test_refused_add_shows_beside_its_form(client: FlaskClient, login_as: Any) -> None:
    lead, project, cm, _ = _setup(login_as)
    r = client.post(f"/projects/{project.key}/countermeasures/{cm.id}/actions",
                    data={"title": "Audit slots", "owner_id": str(lead.id),
                          "due_date": "2020-01-01"}, headers={**HTMX, "HX-Boosted": "true"})
    assert r.status_code == 422 and r.headers["HX-Retarget"] == "#countermeasures"
    text = unescape(r.text)
    assert "The due date 2020-01-01 is before the action was created" in text
    assert 'value="Audit slots"' in text and "<html" not in text
    unknown = client.post(f"/projects/{project.key}/countermeasures/{cm.id}/actions",
                          data={"title": "Audit slots", "owner_id": "99999",
                                "due_date": services.today().isoformat()},
                          headers={**HTMX, "HX-Boosted": "true"})
    assert unknown.status_code == 404 and "User 99999 was not found." in unknown.text
    empty = client.post(f"/projects/{project.key}/control-plan", data={
        "process_step": "Loading", "characteristic": "", "reaction_plan": "Call the lead"})
    assert empty.status_code == 422 and "The characteristic is required." in empty.text
    assert 'value="Loading"' in empty.text  # without JS: the page, with what was typed
    assert _count(ActionItem) == 1 and _count(ControlPlanRow) == 0


def test_overdue_action_stands_out(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    action.due_date = date(2020, 1, 6)
    _db.session.commit()
    page = client.get(f"/projects/{project.key}/improve").text
    assert f'<tr id="action-{action.id}" class="overdue">' in page
    assert '<strong class="flag-overdue">Overdue</strong> since 2020-01-06' in page


def test_a_viewer_reads_but_cannot_edit(client: FlaskClient, login_as: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    cm = services.create_countermeasure(lead, project, "Fixed loading slots", [])
    _db.session.commit()
    login_as("viewer")
    page = client.get(f"/projects/{project.key}/improve").text
    assert "Fixed loading slots" in page and "/edit" not in page
    base = f"/projects/{project.key}/countermeasures/{cm.id}/fields/title"
    assert client.get(base).status_code == 200
    assert client.get(base + "/edit").status_code == 403
    assert _save(client, base, f"f-countermeasure-{cm.id}-title", "Mine", 1).status_code == 403


def test_marked_done_from_my_actions(client: FlaskClient, login_as: Any) -> None:
    _, project, _, action = _setup(login_as)
    mine = client.get("/actions/mine").text
    url = f"/projects/{project.key}/actions/{action.id}/fields/status"
    assert f'hx-get="{url}/edit"' in mine and "Train drivers" in mine
    saved = _save(client, url, f"f-action-{action.id}-status", "done", action.version)
    assert saved.status_code == 200
    assert f"Completed {services.today().isoformat()}" in saved.text
    assert "Train drivers" not in client.get("/actions/mine").text
