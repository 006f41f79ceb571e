"""The API end to end: list, create, read, update, gate status, request and decide reviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.gates.models import GateReview
from ciapp.projects.models import Project
from tests import factories
from tests.api.conftest import check_schema

CHARTER = {
    "title": "Cut changeover time on press 4",
    "problem": "Changeovers take 48 minutes on average.",
    "goal": "Below 20 minutes by March.",
    "in_scope": "Press 4, all dies.",
    "metric_name": "Changeover time", "metric_unit": "min", "metric_better": "lower",
    "lsl": 0, "usl": 60, "target": 20, "start_date": "2026-01-05",
}


def project_count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def test_create_read_and_list_a_project(api_as, db) -> None:
    api = api_as("belt")
    member = factories.user("member")
    db.session.commit()

    created = api.post("/api/v1/projects", CHARTER | {"team": [{"user_id": member.id,
                                                                  "role": "Setter"}]})

    assert created.status_code == 201
    body = created.get_json()
    check_schema("Project", body)
    assert created.headers["Location"] == f"/api/v1/projects/{body['key']}"
    assert created.headers["ETag"] == '"1"'
    assert body["lead"] == {"id": api.user.id, "name": api.user.name}  # lead defaults to you
    assert body["team"][0]["user"]["id"] == member.id and body["team"][0]["role"] == "Setter"
    assert body["phase"] == "scope" and body["methodology"] == "dmaic" and body["alpha"] == 0.05
    assert body["start_date"] == "2026-01-05" and body["usl"] == 60

    read = api.get(created.headers["Location"])
    assert read.status_code == 200 and read.get_json() == body

    listing = api.get("/api/v1/projects?q=changeover")
    check_schema("ProjectPage", listing.get_json())
    assert [p["key"] for p in listing.get_json()["items"]] == [body["key"]]
    assert listing.get_json()["meta"]["total"] == 1


def test_list_filters_and_pages(api_as, db) -> None:
    api = api_as("viewer")
    lead = factories.user("belt")
    keys = [factories.project(lead, methodology="kaizen").key for _ in range(3)]
    factories.project(methodology="dmaic")
    db.session.commit()

    first = api.get(f"/api/v1/projects?methodology=kaizen&lead_id={lead.id}&per_page=2")

    page = first.get_json()
    assert page["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert page["links"]["prev"] is None
    second = api.get(page["links"]["next"]).get_json()
    assert sorted(p["key"] for p in page["items"] + second["items"]) == sorted(keys)
    assert second["links"]["next"] is None


def test_list_rejects_bad_filters(api_as) -> None:
    api = api_as("viewer")

    response = api.get("/api/v1/projects?phase=launch&phse=scope&per_page=500")

    assert response.status_code == 422
    assert "phse" in response.get_json()["fields"]


def test_list_rejects_bad_filter_values(api_as) -> None:
    api = api_as("viewer")

    assert "phase" in api.get("/api/v1/projects?phase=launch").get_json()["fields"]
    assert "per_page" in api.get("/api/v1/projects?per_page=500").get_json()["fields"]
    assert "page" in api.get("/api/v1/projects?page=0").get_json()["fields"]


def test_update_with_if_match_bumps_the_version_and_records_the_change(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"goal": "Halve the scrap"},
                         headers={"If-Match": '"1"'})

    assert response.status_code == 200
    assert response.get_json()["goal"] == "Halve the scrap"
    assert response.get_json()["version"] == 2 and response.headers["ETag"] == '"2"'
    db.session.refresh(project)
    assert project.goal == "Halve the scrap"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.actor_id == api.user.id and event.changes["goal"][1] == "Halve the scrap"


def test_update_with_version_in_body(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"usl": 9.5, "version": 1})

    assert response.status_code == 200 and response.get_json()["usl"] == 9.5


def test_stale_version_is_a_conflict_and_keeps_the_other_edit(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()
    url = f"/api/v1/projects/{project.key}"
    assert api.patch(url, {"goal": "First edit"}, headers={"If-Match": '"1"'}).status_code == 200

    response = api.patch(url, {"goal": "Second edit"}, headers={"If-Match": '"1"'})

    assert response.status_code == 409
    assert "changed by someone else" in response.get_json()["message"]
    db.session.refresh(project)
    assert project.goal == "First edit" and project.version == 2


def test_update_without_a_version_is_refused(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()
    url = f"/api/v1/projects/{project.key}"

    refused = api.patch(url, {"goal": "Blind overwrite"})
    forced = api.patch(url, {"goal": "Deliberate overwrite"}, headers={"If-Match": "*"})

    assert refused.status_code == 428 and "If-Match" in refused.get_json()["message"]
    assert forced.status_code == 200 and forced.get_json()["goal"] == "Deliberate overwrite"


def test_if_match_and_body_version_must_agree(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"goal": "x", "version": 2},
                         headers={"If-Match": '"1"'})

    assert response.status_code == 422
    assert "If-Match says version 1" in response.get_json()["fields"]["version"][0]
    db.session.refresh(project)
    assert project.goal == ""


def test_lsl_not_below_usl_is_refused_with_field_detail_and_nothing_saved(api_as, db) -> None:
    api = api_as("belt")
    project = factories.project(api.user, lsl=1.0, usl=5.0)
    db.session.commit()

    response = api.patch(f"/api/v1/projects/{project.key}", {"lsl": 7, "goal": "Ignored"},
                         headers={"If-Match": '"1"'})

    assert response.status_code == 422
    assert response.get_json()["fields"]["lsl"] == ["LSL (7) must be below USL (5)."]
    db.session.refresh(project)
    assert (project.lsl, project.goal, project.version) == (1.0, "", 1)


def test_create_with_lsl_above_usl_saves_nothing(api_as, db) -> None:
    api = api_as("belt")

    response = api.post("/api/v1/projects", CHARTER | {"lsl": 80})

    assert response.status_code == 422 and "lsl" in response.get_json()["fields"]
    assert project_count(db) == 0


def test_unknown_project_is_404(api_as) -> None:
    response = api_as("belt").get("/api/v1/projects/CI-1999-0001")

    assert response.status_code == 404
    assert response.get_json()["message"] == "Project CI-1999-0001 was not found."


def test_viewer_cannot_create(api_as, db) -> None:
    response = api_as("viewer").post("/api/v1/projects", CHARTER)

    assert response.status_code == 403
    assert "create projects" in response.get_json()["message"]
    assert project_count(db) == 0


def test_outsider_cannot_edit_a_project(api_as, db) -> None:
    project = factories.project()
    db.session.commit()

    response = api_as("belt").patch(f"/api/v1/projects/{project.key}", {"goal": "Mine now"},
                                    headers={"If-Match": '"1"'})

    assert response.status_code == 403
    db.session.refresh(project)
    assert project.goal == ""


def test_gate_status_shows_live_criteria_and_checklist(api_as, db) -> None:
    api = api_as("viewer")
    project = factories.project(complete=False)
    db.session.commit()

    response = api.get(f"/api/v1/projects/{project.key}/gate")

    gate = response.get_json()
    check_schema("Gate", gate)
    assert gate["phase"] == "scope" and gate["label"] == "Define"
    assert gate["next_label"] == "Measure"
    by_key = {c["key"]: c for c in gate["criteria"]}
    assert by_key["problem"] == {"key": "problem", "label": "Problem statement filled in",
                                 "met": False, "detail": "Problem statement is empty",
                                 "available": True}
    assert by_key["lead"]["met"] is True
    assert gate["criteria_met"] is False and gate["ready"] is False
    assert {i["key"] for i in gate["checklist"]} == {"sponsor_agreed", "team_released"}
    assert gate["pending_review"] is None


def request_review(api: Any, project: Project, body: Any = None) -> Any:
    return api.post(f"/api/v1/projects/{project.key}/gate/reviews", body)


def test_lead_requests_and_council_approves_moving_the_phase(api_as, db) -> None:
    lead = api_as("belt")
    project = factories.project(lead.user, complete=True)
    db.session.commit()
    council = api_as("council")

    requested = request_review(lead, project, {"note": "Charter signed"})

    assert requested.status_code == 201
    review = requested.get_json()
    check_schema("Review", review)
    assert requested.headers["Location"] == f"/api/v1/reviews/{review['id']}"
    assert review["status"] == "pending" and review["request_note"] == "Charter signed"
    gate = council.get(f"/api/v1/projects/{project.key}/gate").get_json()
    assert gate["pending_review"]["id"] == review["id"]

    decided = council.post(review["links"]["decision"], {"decision": "approve",
                                                         "comment": "Good charter"})

    assert decided.status_code == 200
    check_schema("Review", decided.get_json())
    assert decided.get_json()["status"] == "approved"
    assert decided.get_json()["project"]["phase"] == "baseline"
    db.session.refresh(project)
    assert project.phase == "baseline"
    assert council.get(f"/api/v1/reviews/{review['id']}").get_json()["decided_by"]["id"] \
        == council.user.id


def test_request_review_without_a_body(api_as, db) -> None:
    lead = api_as("belt")
    project = factories.project(lead.user)
    db.session.commit()

    response = lead.client.post(f"/api/v1/projects/{project.key}/gate/reviews",
                                headers={"Authorization": f"Bearer {lead.token}"})

    assert response.status_code == 201 and response.get_json()["request_note"] == ""


def test_only_the_lead_requests_a_review(api_as, db) -> None:
    project = factories.project(complete=True)
    db.session.commit()

    response = request_review(api_as("council"), project)

    assert response.status_code == 403
    assert response.get_json()["message"] == "Only the project lead can request a gate review."
    assert db.session.scalar(select(func.count()).select_from(GateReview)) == 0


def test_a_second_request_while_one_is_pending_is_a_conflict(api_as, db) -> None:
    lead = api_as("belt")
    project = factories.project(lead.user)
    db.session.commit()
    assert request_review(lead, project).status_code == 201

    assert request_review(lead, project).status_code == 409


def pending(api_as: Any, db: Any, **project_kwargs: Any) -> tuple[Any, Project, int]:
    lead = api_as("belt")
    project = factories.project(lead.user, **project_kwargs)
    db.session.commit()
    return lead, project, request_review(lead, project).get_json()["id"]


def test_approving_unmet_criteria_needs_an_override_reason(api_as, db) -> None:
    _, project, review_id = pending(api_as, db)  # nothing filled in: criteria unmet
    council = api_as("council")
    url = f"/api/v1/reviews/{review_id}/decision"

    refused = council.post(url, {"decision": "approve"})

    assert refused.status_code == 422
    assert "override_reason" in refused.get_json()["fields"]
    db.session.refresh(project)
    assert project.phase == "scope"
    assert db.session.get(GateReview, review_id).status == "pending"

    overridden = council.post(url, {"decision": "approve",
                                    "override_reason": "Pilot agreed by the plant manager"})
    assert overridden.status_code == 200
    assert overridden.get_json()["override_reason"] == "Pilot agreed by the plant manager"
    db.session.refresh(project)
    assert project.phase == "baseline"


def test_sending_back_keeps_the_phase(api_as, db) -> None:
    _, project, review_id = pending(api_as, db)

    response = api_as("council").post(f"/api/v1/reviews/{review_id}/decision",
                                      {"decision": "return", "comment": "Name a sponsor"})

    assert response.status_code == 200 and response.get_json()["status"] == "returned"
    db.session.refresh(project)
    assert project.phase == "scope"


def test_a_belt_cannot_decide(api_as, db) -> None:
    _, project, review_id = pending(api_as, db, complete=True)

    response = api_as("belt").post(f"/api/v1/reviews/{review_id}/decision",
                                   {"decision": "approve"})

    assert response.status_code == 403
    assert db.session.get(GateReview, review_id).status == "pending"


def test_the_requester_cannot_decide_their_own_review(api_as, db) -> None:
    lead = api_as("council")
    project = factories.project(lead.user, complete=True)
    db.session.commit()
    review_id = request_review(lead, project).get_json()["id"]

    response = lead.post(f"/api/v1/reviews/{review_id}/decision", {"decision": "approve"})

    assert response.status_code == 403
    db.session.refresh(project)
    assert project.phase == "scope"


def test_the_sponsor_may_decide(api_as, db) -> None:
    sponsor = api_as("member")
    _, project, review_id = pending(api_as, db, complete=True, sponsor=sponsor.user)

    response = sponsor.post(f"/api/v1/reviews/{review_id}/decision", {"decision": "approve"})

    assert response.status_code == 200
    db.session.refresh(project)
    assert project.phase == "baseline"


def test_deciding_twice_is_a_conflict(api_as, db) -> None:
    _, _, review_id = pending(api_as, db, complete=True)
    council = api_as("council")
    url = f"/api/v1/reviews/{review_id}/decision"
    assert council.post(url, {"decision": "approve"}).status_code == 200

    assert council.post(url, {"decision": "approve"}).status_code == 409


def test_unknown_review_is_404(api_as) -> None:
    response = api_as("council").post("/api/v1/reviews/99999/decision", {"decision": "approve"})

    assert response.status_code == 404
