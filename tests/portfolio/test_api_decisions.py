"""/api/v1/ideas/{id}/score, /project, /decision and /api/v1/projects/{key}/health: the
council's screening and the lead's health report through the API, with the pages' rules
(versions, who may, what is refused), every answer true to the OpenAPI document."""

from __future__ import annotations

from sqlalchemy import func, select

from ciapp.portfolio.models import HealthUpdate, Idea
from ciapp.projects.models import Project
from tests import factories
from tests.api.conftest import check_schema
from tests.portfolio.conftest import health, overdue_action, project


def _idea(api) -> dict:
    return api.post("/api/v1/ideas", {"title": "Two-bin system for gloves",
                                      "description": "Gloves run out on night shift.",
                                      "benefit": "No stock-outs"}).get_json()


def test_the_council_scores_an_idea_with_its_version(api_as, db) -> None:
    idea = _idea(api_as("member"))
    council = api_as("council")
    url = idea["links"]["self"] + "/score"

    missing = council.post(url, {"effort": 3, "impact": 8})
    scored = council.post(url, {"effort": 3, "impact": 8},
                          headers={"If-Match": f'"{idea["version"]}"'})
    stale = council.post(url, {"effort": 9, "impact": 2, "version": idea["version"]})

    assert missing.status_code == 428
    assert scored.status_code == 200
    body = scored.get_json()
    check_schema("Idea", body)
    # effort 3 is low and impact 8 high (6 and above is high): "implement"
    assert (body["effort"], body["impact"], body["pick"]) == (3, 8, "implement")
    assert scored.headers["ETag"] == f'"{body["version"]}"' and body["version"] == 2
    assert stale.status_code == 409
    assert council.get(idea["links"]["self"]).get_json()["effort"] == 3


def test_scores_out_of_range_are_refused_by_name(api_as, db) -> None:
    idea = _idea(api_as("member"))
    council = api_as("council")
    url = idea["links"]["self"] + "/score"
    for body, field in (({"effort": 0, "impact": 5}, "effort"),
                        ({"effort": 5, "impact": 11}, "impact"),
                        ({"effort": "5", "impact": 5}, "effort"),
                        ({"effort": 5}, "impact"),
                        ({"effort": 5, "impact": 5, "colour": 1}, "colour")):
        r = council.post(url, body, headers={"If-Match": '"1"'})
        assert r.status_code == 422, body
        assert field in r.get_json()["fields"], body
    assert db.session.get(Idea, idea["id"]).effort is None


def test_a_scored_idea_becomes_a_project_with_its_charter(api_as, db) -> None:
    author = api_as("member")
    idea = _idea(author)
    council = api_as("council")
    lead = factories.user("belt")
    db.session.commit()
    base = idea["links"]["self"]

    early = council.post(base + "/project", {"lead_id": lead.id},
                         headers={"If-Match": '"1"'})
    council.post(base + "/score", {"effort": 7, "impact": 9}, headers={"If-Match": '"1"'})
    made = council.post(base + "/project", {"lead_id": lead.id, "methodology": "kaizen"},
                        headers={"If-Match": '"2"'})

    assert early.status_code == 409 and "Score" in early.get_json()["message"]
    assert made.status_code == 201
    body = made.get_json()
    check_schema("Idea", body)
    assert body["status"] == "project" and body["project"] is not None
    assert made.headers["Location"] == f"/api/v1/projects/{body['project']}"
    charter = council.get(made.headers["Location"]).get_json()
    assert (charter["title"], charter["problem"], charter["business_case"]) == (
        "Two-bin system for gloves", "Gloves run out on night shift.", "No stock-outs")
    assert charter["lead"]["id"] == lead.id and charter["methodology"] == "kaizen"
    assert charter["sponsor"]["id"] == council.user.id
    assert [m["user"]["id"] for m in charter["team"]] == [author.user.id]
    again = council.post(base + "/decision", {"outcome": "declined", "note": "No."},
                         headers={"If-Match": '"3"'})
    assert again.status_code == 409  # already decided


def test_a_quick_win_needs_a_note_and_only_the_council_decides(api_as, db) -> None:
    idea = _idea(api_as("member"))
    url = idea["links"]["self"] + "/decision"
    council = api_as("council")
    belt = api_as("belt")

    no_note = council.post(url, {"outcome": "quick_win", "note": ""},
                           headers={"If-Match": '"1"'})
    not_council = belt.post(url, {"outcome": "quick_win", "note": "Maintenance does it."},
                            headers={"If-Match": '"1"'})
    done = council.post(url, {"outcome": "quick_win", "note": "Maintenance does it."},
                        headers={"If-Match": '"1"'})

    assert no_note.status_code == 422 and "note" in no_note.get_json()["fields"]
    assert not_council.status_code == 403
    assert done.status_code == 200
    assert (done.get_json()["status"], done.get_json()["decision_note"]) == (
        "quick_win", "Maintenance does it.")
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_health_is_read_by_all_with_the_suggestion(api_as, db) -> None:
    viewer = api_as("viewer")
    lead = factories.user("belt")
    p = project(lead)
    overdue_action(p, 4)
    health(p, "on_track", "Started well.")
    latest = health(p, "at_risk", "Waiting for the gauge.")
    db.session.commit()

    body = viewer.get(f"/api/v1/projects/{p.key}/health").get_json()

    check_schema("ProjectHealth", body)
    assert body["current"]["id"] == latest.id
    assert (body["current"]["value"], body["current"]["reason"]) == (
        "at_risk", "Waiting for the gauge.")
    assert [h["value"] for h in body["history"]] == ["at_risk", "on_track"]
    assert body["suggested"] == {"value": "at_risk", "reasons": ["1 overdue action"]}
    assert body["can_set"] is False


def test_only_the_lead_reports_health_with_a_reason(api_as, db) -> None:
    lead_api = api_as("belt")
    p = project(lead_api.user)
    db.session.commit()
    url = f"/api/v1/projects/{p.key}/health"
    council = api_as("council")

    no_reason = lead_api.post(url, {"health": "off_track", "reason": ""})
    bad_value = lead_api.post(url, {"health": "grim", "reason": "x"})
    bad_seen = lead_api.post(url, {"health": "on_track", "reason": "x", "seen": -1})
    other = council.post(url, {"health": "off_track", "reason": "Looks late."})
    first = lead_api.post(url, {"health": "off_track", "reason": "Supplier late.",
                                "seen": 0})
    stale = lead_api.post(url, {"health": "on_track", "reason": "Fine.", "seen": 0})

    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["fields"]
    assert bad_value.status_code == 422 and "health" in bad_value.get_json()["fields"]
    assert bad_seen.status_code == 422 and "seen" in bad_seen.get_json()["fields"]
    assert other.status_code == 403
    assert first.status_code == 201
    check_schema("ProjectHealth", first.get_json())
    assert first.get_json()["current"]["value"] == "off_track"
    assert first.get_json()["can_set"] is True
    assert stale.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(HealthUpdate)) == 1
