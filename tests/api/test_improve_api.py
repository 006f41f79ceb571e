"""The improve API: countermeasures answering root causes, their actions (owner, due date,
status, completion), the control plan, and the caller's actions across projects with the
overdue ones flagged. Edits name their version (428 without, 409 when stale); bad input is a
4xx naming the field with nothing saved; another project's ids are 404; a viewer only reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from ciapp.core.time import utcnow
from ciapp.improve import services as improve
from ciapp.improve.models import ActionItem, ControlPlanRow, Countermeasure
from ciapp.notifications.models import Notification
from tests import factories
from tests.api.conftest import check_schema
from tests.improve.conftest import root_cause


@pytest.fixture
def lead(api_as: Any, db: Any) -> Any:
    api = api_as("belt")
    api.project = factories.project(api.user, complete=True)
    api.base = f"/api/v1/projects/{api.project.key}"
    api.root = root_cause(api.user, api.project, verified=True)
    db.session.commit()
    return api


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def delete(api: Any, url: str, **headers: str) -> Any:
    return api.call("DELETE", url, headers=headers)


def days(n: int) -> str:
    return (improve.today() + timedelta(days=n)).isoformat()


def new_cm(api: Any, **extra: Any) -> dict[str, Any]:
    response = api.post(f"{api.base}/countermeasures",
                        {"title": "Fixed loading slots", "root_cause_ids": [api.root.id]}
                        | extra)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- countermeasures ------------------------------------------------------------------

def test_a_countermeasure_answers_root_causes_and_changes_with_its_version(
        lead: Any, db: Any) -> None:
    cm = new_cm(lead)
    check_schema("Countermeasure", cm)
    assert [r["statement"] for r in cm["root_causes"]] == ["Trucks leave late"]
    assert cm["status"] == "planned"
    listed = lead.get(f"{lead.base}/countermeasures").get_json()
    check_schema("CountermeasureList", listed)
    assert [c["id"] for c in listed["items"]] == [cm["id"]]

    url = cm["links"]["self"]
    assert lead.patch(url, {"status": "in_progress"}).status_code == 428
    saved = lead.patch(url, {"status": "in_progress", "title": "Loading slots by carrier"},
                       headers={"If-Match": f'"{cm["version"]}"'})
    assert saved.status_code == 200
    assert (saved.get_json()["status"], saved.get_json()["title"]) == \
        ("in_progress", "Loading slots by carrier")
    stale = lead.patch(url, {"status": "done", "version": cm["version"]})
    assert stale.status_code == 409
    assert db.session.get(Countermeasure, cm["id"]).status == "in_progress"
    bad = lead.patch(url, {"status": "finished", "version": saved.get_json()["version"]})
    assert bad.status_code == 422 and "status" in bad.get_json()["fields"]


def test_a_countermeasure_has_a_description_set_and_changed(lead: Any, db: Any) -> None:
    bare = new_cm(lead)
    assert bare["description"] == ""
    cm = new_cm(lead, description="Each carrier books a 30-minute slot.")
    check_schema("Countermeasure", cm)
    assert cm["description"] == "Each carrier books a 30-minute slot."
    url = cm["links"]["self"]
    saved = lead.patch(url, {"description": "Slots per carrier, booked a day ahead.",
                             "version": cm["version"]})
    assert saved.status_code == 200
    body = saved.get_json()
    assert (body["description"], body["title"], body["status"], body["version"]) == \
        ("Slots per carrier, booked a day ahead.", "Fixed loading slots", "planned", 2)
    assert lead.get(url).get_json()["description"] == "Slots per carrier, booked a day ahead."
    stale = lead.patch(url, {"description": "Overwrite", "version": cm["version"]})
    assert stale.status_code == 409
    long = lead.patch(url, {"description": "x" * 2001, "version": 2})
    assert long.status_code == 422 and "description" in long.get_json()["fields"]
    assert db.session.get(Countermeasure, cm["id"]).description == \
        "Slots per carrier, booked a day ahead."


@pytest.mark.parametrize(("body", "field"), [
    ({"title": ""}, "title"),
    ({"title": "Slots", "description": 3}, "description"),
    ({"title": "Slots", "description": "x" * 2001}, "description"),
    ({"title": "  "}, "title"),
    ({"title": "Slots", "status": "someday"}, "status"),
    ({"title": "Slots", "root_cause_ids": ["1"]}, "root_cause_ids"),
    ({"title": "Slots", "root_cause_ids": 1}, "root_cause_ids"),
    ({"title": 7}, "title"),
])
def test_a_bad_countermeasure_is_refused_and_nothing_saved(lead: Any, db: Any, body: Any,
                                                           field: str) -> None:
    response = lead.post(f"{lead.base}/countermeasures", body)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert count(db, Countermeasure) == 0


def test_deleting_a_countermeasure_takes_its_actions(lead: Any, db: Any) -> None:
    cm = new_cm(lead)
    lead.post(f"{lead.base}/actions", {"countermeasure_id": cm["id"], "title": "Train",
                                       "owner_id": lead.user.id, "due_date": days(7)})

    assert delete(lead, cm["links"]["self"], **{"If-Match": '"99"'}).status_code == 409
    assert delete(lead, cm["links"]["self"]).status_code == 204
    assert count(db, Countermeasure) == 0 and count(db, ActionItem) == 0


# --- actions --------------------------------------------------------------------------

def test_an_action_has_owner_due_date_status_and_completion(lead: Any, db: Any) -> None:
    owner = factories.user("member")
    db.session.commit()
    cm = new_cm(lead)
    made = lead.post(f"{lead.base}/actions", {"countermeasure_id": cm["id"],
                                              "title": "Train the drivers",
                                              "owner_id": owner.id, "due_date": days(14)})
    assert made.status_code == 201
    action = made.get_json()
    check_schema("Action", action)
    assert action["owner"] == {"id": owner.id, "name": owner.name}
    assert (action["due_date"], action["status"], action["completed_on"]) == \
        (days(14), "open", None)
    assert not action["overdue"]
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == owner.id)) == 1  # the owner is told
    assert [a["id"] for a in lead.get(f"{lead.base}/actions").get_json()["items"]] == \
        [action["id"]]
    assert [a["id"] for a in lead.get(cm["links"]["self"]).get_json()["actions"]] == \
        [action["id"]]

    url = action["links"]["self"]
    assert lead.patch(url, {"status": "done"}).status_code == 428
    done = lead.patch(url, {"status": "done", "due_date": days(10), "version": 1})
    assert done.status_code == 200
    body = done.get_json()
    assert (body["status"], body["completed_on"], body["due_date"]) == \
        ("done", improve.today().isoformat(), days(10))
    assert lead.patch(url, {"title": "Train", "version": 1}).status_code == 409
    reopened = lead.patch(url, {"status": "open", "version": body["version"]})
    assert reopened.get_json()["completed_on"] is None
    assert delete(lead, url).status_code == 204
    assert lead.get(url).status_code == 404


def test_an_action_due_before_it_was_created_is_refused(lead: Any, db: Any) -> None:
    cm = new_cm(lead)

    response = lead.post(f"{lead.base}/actions", {"countermeasure_id": cm["id"],
                                                  "title": "Train", "due_date": days(-1),
                                                  "owner_id": lead.user.id})

    assert response.status_code == 422
    assert "due_date" in response.get_json()["fields"]
    assert "before the action was created" in response.get_json()["message"]
    assert count(db, ActionItem) == 0


def test_an_edit_cannot_move_the_due_date_before_creation(lead: Any, db: Any) -> None:
    cm = new_cm(lead)
    action = lead.post(f"{lead.base}/actions", {"countermeasure_id": cm["id"],
                                                "title": "Train", "due_date": days(3),
                                                "owner_id": lead.user.id}).get_json()

    response = lead.patch(action["links"]["self"], {"due_date": days(-2), "status": "done",
                                                    "version": 1})

    assert response.status_code == 422 and "due_date" in response.get_json()["fields"]
    saved = db.session.get(ActionItem, action["id"])
    assert (saved.due_date.isoformat(), saved.status) == (days(3), "open")


@pytest.mark.parametrize(("change", "field", "status"), [
    ({"due_date": "next friday"}, "due_date", 422),
    ({"due_date": None}, "due_date", 422),
    ({"owner_id": "me"}, "owner_id", 422),
    ({"owner_id": None}, "owner_id", 422),
    ({"title": ""}, "title", 422),
    ({"status": "closed"}, "status", 422),
    ({"countermeasure_id": "1"}, "countermeasure_id", 422),
    ({"reminded_at": "2026-01-01"}, "reminded_at", 422),
])
def test_a_bad_action_is_refused_by_field(lead: Any, db: Any, change: Any, field: str,
                                          status: int) -> None:
    cm = new_cm(lead)
    body = {"countermeasure_id": cm["id"], "title": "Train", "owner_id": lead.user.id,
            "due_date": days(3)} | change

    response = lead.post(f"{lead.base}/actions", body)

    assert response.status_code == status
    assert field in response.get_json()["fields"]
    assert count(db, ActionItem) == 0


def test_an_inactive_or_unknown_owner_is_refused(lead: Any, db: Any) -> None:
    cm = new_cm(lead)
    gone = factories.user("member", active=False)
    db.session.commit()
    body = {"countermeasure_id": cm["id"], "title": "Train", "due_date": days(3)}

    inactive = lead.post(f"{lead.base}/actions", body | {"owner_id": gone.id})
    unknown = lead.post(f"{lead.base}/actions", body | {"owner_id": 999999})

    assert inactive.status_code == 422 and "owner_id" in inactive.get_json()["fields"]
    assert unknown.status_code == 404 and "owner_id" in unknown.get_json()["fields"]
    assert count(db, ActionItem) == 0


def test_my_actions_across_projects_overdue_first(lead: Any, api_as: Any, db: Any) -> None:
    me = api_as("member")
    cm = improve.create_countermeasure(lead.user, lead.project, "Slots", [])
    other = factories.project(factories.user("belt"), complete=True)
    other_cm = improve.create_countermeasure(lead.user, other, "Labels", [])
    later = improve.add_action(lead.user, cm, "Train", me.user.id, improve.today()
                               + timedelta(days=5))
    late = improve.add_action(lead.user, other_cm, "Relabel", me.user.id, improve.today())
    done = improve.add_action(lead.user, cm, "Measure", me.user.id, improve.today())
    improve.set_action_status(lead.user, done, "done", None)
    improve.add_action(lead.user, cm, "Not mine", lead.user.id, improve.today())
    # Created a week ago and due two days ago: overdue now.
    db.session.execute(update(ActionItem).where(ActionItem.id == late.id).values(
        created_at=utcnow() - timedelta(days=7),
        due_date=improve.today() - timedelta(days=2)))
    db.session.commit()

    response = me.get("/api/v1/me/actions")

    assert response.status_code == 200
    body = response.get_json()
    check_schema("MyActions", body)
    assert [(a["title"], a["project"], a["overdue"]) for a in body["items"]] == [
        ("Relabel", other.key, True), ("Train", lead.project.key, False)]
    assert body["overdue"] == 1
    assert later.id == body["items"][1]["id"]


# --- control plan ---------------------------------------------------------------------

ROW = {"process_step": "Loading", "characteristic": "Departure delay (min)",
       "frequency": "Every truck", "reaction_plan": "Call the shift lead"}


def test_a_control_plan_row_changes_with_its_version(lead: Any, db: Any) -> None:
    dataset = factories.dataset(lead.project)
    db.session.commit()
    made = lead.post(f"{lead.base}/control-plan", ROW | {"dataset_id": dataset.id,
                                                         "owner_id": lead.user.id})
    assert made.status_code == 201
    row = made.get_json()
    check_schema("ControlPlanRow", row)
    assert (row["dataset_id"], row["owner"]["id"], row["version"]) == \
        (dataset.id, lead.user.id, 1)
    check_schema("ControlPlanRowList", lead.get(f"{lead.base}/control-plan").get_json())

    url = row["links"]["self"]
    assert lead.patch(url, {"frequency": "Hourly"}).status_code == 428
    saved = lead.patch(url, {"frequency": "Hourly", "owner_id": None},
                       headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"'
    body = saved.get_json()
    assert (body["frequency"], body["owner"], body["process_step"]) == \
        ("Hourly", None, "Loading")
    stale = lead.patch(url, {"frequency": "Daily", "version": 1})
    assert stale.status_code == 409
    assert db.session.get(ControlPlanRow, row["id"]).frequency == "Hourly"
    assert db.session.get(ControlPlanRow, row["id"]).version == 2  # the row's own column
    assert delete(lead, url, **{"If-Match": '"1"'}).status_code == 409
    assert delete(lead, url, **{"If-Match": '"2"'}).status_code == 204
    assert count(db, ControlPlanRow) == 0


def test_a_control_plan_rows_version_moves_only_when_it_changes(lead: Any, db: Any) -> None:
    row = lead.post(f"{lead.base}/control-plan", ROW).get_json()
    url = row["links"]["self"]
    same = lead.patch(url, {"frequency": "Every truck", "version": 1})
    assert same.status_code == 200 and same.get_json()["version"] == 1
    first = lead.patch(url, {"frequency": "Hourly", "version": 1})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    second = lead.patch(url, {"sample_size": "5", "version": 2})
    assert second.get_json()["version"] == 3
    stale = lead.patch(url, {"sample_size": "1", "version": 2})
    assert stale.status_code == 409 and "now 3" in stale.get_json()["message"]
    assert lead.get(url).get_json()["sample_size"] == "5"


@pytest.mark.parametrize(("change", "field"), [
    ({"reaction_plan": ""}, "reaction_plan"),
    ({"process_step": None}, "process_step"),
    ({"frequency": "x" * 201}, "frequency"),
    ({"dataset_id": "3"}, "dataset_id"),
])
def test_a_bad_control_plan_row_is_refused(lead: Any, db: Any, change: Any,
                                           field: str) -> None:
    response = lead.post(f"{lead.base}/control-plan", ROW | change)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert count(db, ControlPlanRow) == 0


# --- who may ------------------------------------------------------------------------

@pytest.fixture
def other(db: Any) -> dict[str, Any]:
    """Project B with a verified root cause, a countermeasure, an action, a control row."""
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    root = root_cause(lead, project, verified=True)
    cm = improve.create_countermeasure(lead, project, "B's countermeasure", [root.id])
    action = improve.add_action(lead, cm, "B's action", lead.id, improve.today())
    row = improve.add_control_row(lead, project, dict(ROW), None, None)
    dataset = factories.dataset(project)
    db.session.commit()
    return {"key": project.key, "root": root.id, "cm": cm.id, "action": action.id,
            "row": row.id, "dataset": dataset.id}


def test_another_projects_children_are_not_found_under_mine(lead: Any, db: Any,
                                                            other: dict[str, Any]) -> None:
    urls = [f"{lead.base}/countermeasures/{other['cm']}",
            f"{lead.base}/actions/{other['action']}",
            f"{lead.base}/control-plan/{other['row']}"]
    for url in urls:
        assert lead.get(url).status_code == 404, url
        assert lead.patch(url, {"title": "Hijacked", "version": 1}).status_code == 404, url
        assert delete(lead, url).status_code == 404, url
    # B's ids in the body of a request on my project: not found, nothing saved.
    cm = lead.post(f"{lead.base}/countermeasures", {"title": "Mine",
                                                    "root_cause_ids": [other["root"]]})
    action = lead.post(f"{lead.base}/actions", {"countermeasure_id": other["cm"],
                                                "title": "Mine", "owner_id": lead.user.id,
                                                "due_date": days(1)})
    row = lead.post(f"{lead.base}/control-plan", ROW | {"dataset_id": other["dataset"]})
    assert (cm.status_code, action.status_code, row.status_code) == (404, 404, 404)
    assert "root_cause_ids" in cm.get_json()["fields"]
    assert "countermeasure_id" in action.get_json()["fields"]
    assert f"Data set {other['dataset']} was not found" in row.get_json()["message"]
    assert count(db, Countermeasure) == 1 and count(db, ActionItem) == 1
    assert count(db, ControlPlanRow) == 1


def test_a_viewer_reads_but_cannot_write(api_as: Any, other: dict[str, Any],
                                         db: Any) -> None:
    viewer = api_as("viewer")
    base = f"/api/v1/projects/{other['key']}"

    assert viewer.get(f"{base}/countermeasures").status_code == 200
    assert viewer.get(f"{base}/actions/{other['action']}").status_code == 200
    assert viewer.get(f"{base}/control-plan").status_code == 200
    for url, body in ((f"{base}/countermeasures", {"title": "x"}),
                      (f"{base}/control-plan", ROW)):
        response = viewer.post(url, body)
        assert response.status_code == 403, url
        assert "lead" in response.get_json()["message"]
    assert viewer.patch(f"{base}/actions/{other['action']}", {"status": "done",
                                                              "version": 1}) \
        .status_code == 403
    assert delete(viewer, f"{base}/countermeasures/{other['cm']}").status_code == 403
    assert db.session.get(ActionItem, other["action"]).status == "open"
    assert viewer.get("/api/v1/me/actions").get_json() == {"items": [], "overdue": 0}


def test_a_retried_create_with_its_idempotency_key_makes_one_action(lead: Any,
                                                                     db: Any) -> None:
    cm = new_cm(lead)
    body = {"countermeasure_id": cm["id"], "title": "Train", "owner_id": lead.user.id,
            "due_date": days(3)}
    key = {"Idempotency-Key": "4b7c1e9a-retry"}

    first = lead.post(f"{lead.base}/actions", body, headers=key)
    again = lead.post(f"{lead.base}/actions", body, headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert count(db, ActionItem) == 1
