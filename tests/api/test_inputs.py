"""Malformed requests: every one refused with a JSON error naming what is wrong, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.projects.models import Project, TeamMember
from tests import factories


def project_count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"title": ["Fix", "the", "line"]}, "title", "Must be a string."),
    ({"title": "Ok", "lsl": "low"}, "lsl", "Must be a number or null."),
    ({"title": "Ok", "lsl": True}, "lsl", "Must be a number or null."),
    ({"title": "Ok", "sponsor_id": "7"}, "sponsor_id", "Must be an integer or null."),
    ({"title": "Ok", "problem": None}, "problem", "Must not be null."),
    ({"title": "Ok", "alpha": None}, "alpha", "Must not be null."),
    ({"title": "Ok\x00"}, "title", "Must not contain NUL characters."),
    ({"title": "Ok", "colour": "red"}, "colour", None),
    ({"problem": "No title"}, "title", "This field is required."),
    ({"title": "   "}, "title", "This field is required."),
    ({"title": "x" * 201}, "title", "Field cannot be longer than 200 characters."),
    ({"title": "Ok", "methodology": "six_sigma"}, "methodology", "Not a valid choice."),
    ({"title": "Ok", "start_date": "05/01/2026"}, "start_date",
     "Enter a date as YYYY-MM-DD, such as 2026-01-05. Send null to clear it."),
    ({"title": "Ok", "sponsor_id": 99999}, "sponsor_id", "Not a valid choice."),
    ({"title": "Ok", "alpha": 0.7}, "alpha", None),
    ({"title": "Ok", "start_date": "2026-05-01", "target_date": "2026-04-01"},
     "target_date", "The target date cannot be before the start date."),
    ({"title": "Ok", "team": {"user_id": 1}}, "team", None),
    ({"title": "Ok", "team": [{"user_id": 99999}]}, "team[0].user_id", "Not a valid choice."),
    ({"title": "Ok", "team": [{"user": 1}]}, "team[0].user", None),
])
def test_bad_project_fields_are_422_with_field_detail(api_as, db, body, field,
                                                      message) -> None:
    response = api_as("belt").post("/api/v1/projects", body)

    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert field in fields
    if message:
        assert fields[field] == [message]
    assert project_count(db) == 0


def test_unknown_fields_are_named_in_the_message(api_as, db) -> None:
    response = api_as("belt").post("/api/v1/projects", {"title": "Ok", "phase": "sustain"})

    assert response.status_code == 422
    assert response.get_json()["message"].startswith("phase: Unknown field; allowed: title,")


@pytest.mark.parametrize(("data", "content_type", "status"), [
    (b"", "application/json", 400),
    (b"   ", "application/json", 400),
    (b'{"title": "unterminated', "application/json", 400),
    (b'["title"]', "application/json", 400),
    (b'{"title": NaN}', "application/json", 400),
    (b"\xff\xfe{}", "application/json", 400),
    (b"[" * 100_000, "application/json", 400),
    (b"title=Ok", "application/x-www-form-urlencoded", 415),
    (b'{"title": "Ok"}', "text/plain", 415),
])
def test_a_body_that_is_not_a_json_object_is_refused(api_as, db, data, content_type,
                                                     status) -> None:
    response = api_as("belt").post("/api/v1/projects", data=data, content_type=content_type)

    assert response.status_code == status
    assert response.get_json()["message"]
    assert project_count(db) == 0


def test_a_listed_twice_team_member_saves_nothing(api_as, db) -> None:
    member = factories.user("member")
    db.session.commit()
    team = [{"user_id": member.id}, {"user_id": member.id, "role": "Again"}]

    response = api_as("belt").post("/api/v1/projects", {"title": "Ok", "team": team})

    assert response.status_code == 422
    assert response.get_json()["fields"] == {"team[1].user_id": ["This person is listed twice."]}
    assert project_count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(TeamMember)) == 0


def test_team_role_defaults_and_is_length_checked(api_as, db) -> None:
    api = api_as("belt")
    member = factories.user("member")
    db.session.commit()

    too_long = api.post("/api/v1/projects", {"title": "Ok", "team": [
        {"user_id": member.id, "role": "r" * 81}]})
    created = api.post("/api/v1/projects", {"title": "Ok", "team": [{"user_id": member.id}]})

    assert too_long.status_code == 422 and "team[0].role" in too_long.get_json()["fields"]
    assert created.get_json()["team"][0]["role"] == "Team member"


def test_patch_needs_at_least_one_charter_field(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"version": 1})

    assert response.status_code == 422 and "body" in response.get_json()["fields"]


def test_patch_refuses_read_only_and_wrongly_typed_fields(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()
    url = f"/api/v1/projects/{project.key}"

    read_only = api.patch(url, {"phase": "sustain", "version": 1})
    bad_version = api.patch(url, {"goal": "x", "version": "1"})
    bad_if_match = api.patch(url, {"goal": "x"}, headers={"If-Match": '"v1"'})

    assert read_only.status_code == 422 and "phase" in read_only.get_json()["fields"]
    assert bad_version.status_code == 422 and "version" in bad_version.get_json()["fields"]
    assert bad_if_match.status_code == 400
    db.session.refresh(project)
    assert (project.phase, project.goal, project.version) == ("scope", "", 1)


def test_too_long_text_on_patch_is_refused(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"problem": "p" * 5001},
                         headers={"If-Match": '"1"'})

    assert response.status_code == 422
    assert response.get_json()["fields"]["problem"] == [
        "Field cannot be longer than 5000 characters."]


def test_decision_must_be_approve_or_return(api_as, db) -> None:
    lead = api_as("belt")
    project = factories.project(lead.user, complete=True)
    db.session.commit()
    review = lead.post(f"/api/v1/projects/{project.key}/gate/reviews", {}).get_json()
    council = api_as("council")

    wrong = council.post(review["links"]["decision"], {"decision": "maybe"})
    missing = council.post(review["links"]["decision"], {"comment": "Looks fine"})
    typed = council.post(review["links"]["decision"], {"decision": "approve", "comment": 5})

    assert wrong.status_code == 422 and "decision" in wrong.get_json()["fields"]
    assert missing.status_code == 422 and "decision" in missing.get_json()["fields"]
    assert typed.status_code == 422 and "comment" in typed.get_json()["fields"]
    db.session.refresh(project)
    assert project.phase == "scope"


def test_unknown_routes_and_methods_answer_json(api_as) -> None:
    api = api_as("belt")

    assert api.get("/api/v1/nowhere").status_code == 404
    assert api.call("DELETE", "/api/v1/projects").get_json()["error"] == "Method not allowed"
