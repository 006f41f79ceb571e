"""The sponsor decides the lead's gate reviews, so a lead cannot name themself sponsor:
only council members and admins choose the sponsor, and the sponsor is never the lead.
The rule sits in the projects service, so the pages and the API keep it alike."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.core.errors import DomainError, Forbidden
from ciapp.projects import services
from ciapp.projects.models import Project
from tests import factories


def patch(api: Any, project: Any, body: dict[str, Any]) -> Any:
    return api.patch(f"/api/v1/projects/{project.key}", body, headers={"If-Match": "*"})


def test_a_lead_cannot_make_themself_sponsor_through_the_api(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = patch(api, project, {"sponsor_id": api.user.id})

    assert response.status_code == 403
    body = response.get_json()
    assert body["message"].startswith("Sponsor: only council members and admins choose")
    assert list(body["fields"]) == ["sponsor_id"]
    db.session.refresh(project)
    assert project.sponsor_id is None


def test_a_lead_cannot_name_anyone_else_sponsor_either(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    friend = factories.user("belt")
    db.session.commit()

    assert patch(api, project, {"sponsor_id": friend.id}).status_code == 403
    db.session.refresh(project)
    assert project.sponsor_id is None


def test_a_belt_creating_a_project_cannot_choose_its_sponsor(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    council = factories.user("council")
    db.session.commit()

    response = api.post("/api/v1/projects", {"title": "Faster changeovers",
                                             "sponsor_id": council.id})

    assert response.status_code == 403
    assert response.get_json()["fields"]["sponsor_id"][0].startswith("Sponsor:")
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_the_council_names_a_sponsor_but_never_the_lead(api_as: Any, db: Any) -> None:
    api = api_as("council")
    lead = factories.user("belt")
    project = factories.project(lead)
    # On the team, so the charter is theirs to edit (council members off the project
    # cannot edit its charter at all).
    services.add_member(lead, project, api.user.id, "Coach")
    db.session.commit()

    same = patch(api, project, {"sponsor_id": lead.id})
    assert same.status_code == 422
    assert same.get_json()["fields"]["sponsor_id"] == [
        "Sponsor: the project's lead cannot also be its sponsor, who decides the lead's "
        "gate reviews; choose someone else."]

    named = patch(api, project, {"sponsor_id": api.user.id})
    assert named.status_code == 200 and named.get_json()["sponsor_id"] == api.user.id


def test_a_council_member_leading_a_project_cannot_sponsor_it(api_as: Any, db: Any) -> None:
    api = api_as("council")  # the lead defaults to whoever creates the project
    response = api.post("/api/v1/projects", {"title": "Faster changeovers",
                                             "sponsor_id": api.user.id})
    assert response.status_code == 422
    assert "sponsor_id" in response.get_json()["fields"]


def test_making_the_sponsor_the_lead_is_refused_too(db: Any) -> None:
    admin, sponsor = factories.user("admin"), factories.user("council")
    project = factories.project(sponsor_id=sponsor.id)
    with pytest.raises(DomainError) as refused:
        services.update_project(admin, project, {"lead_id": sponsor.id})
    assert "sponsor_id" in refused.value.fields
    assert project.lead_id != sponsor.id


def test_an_admin_may_change_the_sponsor(db: Any) -> None:
    admin, sponsor = factories.user("admin"), factories.user("council")
    project = factories.project()
    services.update_project(admin, project, {"sponsor_id": sponsor.id})
    assert project.sponsor_id == sponsor.id


def test_the_sponsor_cannot_hand_the_role_on_or_drop_it(db: Any) -> None:
    sponsor = factories.user("belt")  # sponsors named before this rule may be belts
    project = factories.project(sponsor_id=sponsor.id)
    with pytest.raises(Forbidden):
        services.update_project(sponsor, project, {"sponsor_id": None})
    assert project.sponsor_id == sponsor.id


def test_other_fields_of_an_older_project_whose_lead_is_its_sponsor_still_save(
        db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, sponsor_id=lead.id)  # as saved before this rule
    services.update_project(lead, project, {"goal": "Halve the scrap"})
    assert project.goal == "Halve the scrap"


def test_the_charter_page_refuses_the_lead_as_sponsor_with_the_reason(
        client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()

    response = client.post(f"/projects/{project.key}/charter/sponsor_id",
                           data={"sponsor_id": str(lead.id), "version": str(project.version)},
                           headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert "Sponsor: only council members and admins choose" in response.text
    db.session.refresh(project)
    assert project.sponsor_id is None


def put_sponsor(api: Any, project: Any, body: dict[str, Any], **headers: str) -> Any:
    return api.call("PUT", f"/api/v1/projects/{project.key}/sponsor", body, headers=headers)


def test_a_council_member_off_the_project_names_its_sponsor(api_as: Any, db: Any) -> None:
    api = api_as("council")
    lead = factories.user("belt")
    project = factories.project(lead)
    db.session.commit()
    version = project.version
    # PATCH needs the team; PUT .../sponsor is the council's own way in.
    assert patch(api, project, {"sponsor_id": api.user.id}).status_code == 403

    named = put_sponsor(api, project, {"sponsor_id": api.user.id}, **{"If-Match": f'"{version}"'})

    assert named.status_code == 200, named.get_json()
    assert named.get_json()["sponsor"]["id"] == api.user.id
    assert named.headers["ETag"] == f'"{version + 1}"'
    db.session.refresh(project)
    assert project.sponsor_id == api.user.id

    cleared = put_sponsor(api, project, {"sponsor_id": None, "version": project.version})
    assert cleared.status_code == 200 and cleared.get_json()["sponsor"] is None


def test_the_sponsor_route_keeps_the_charter_rules(api_as: Any, db: Any) -> None:
    api = api_as("council")
    lead = factories.user("belt")
    project = factories.project(lead)
    db.session.commit()
    version = project.version

    def refused(body: dict[str, Any], status: int, **headers: str) -> dict[str, Any]:
        response = put_sponsor(api, project, body, **headers)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    assert refused({"sponsor_id": lead.id, "version": version}, 422)["fields"]["sponsor_id"][
        0].startswith("Sponsor: the project's lead cannot also be its sponsor")
    assert "version you last read" in refused({"sponsor_id": api.user.id}, 428)["message"]
    assert refused({"sponsor_id": api.user.id, "version": version + 5}, 409)
    assert list(refused({"version": version}, 422)["fields"]) == ["sponsor_id"]
    assert "Unknown field" in refused({"sponsor_id": api.user.id, "title": "New",
                                       "version": version}, 422)["fields"]["title"][0]
    db.session.refresh(project)
    assert (project.sponsor_id, project.version, project.title) == (None, version, project.title)


def test_a_belt_cannot_use_the_sponsor_route(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    project = factories.project(api.user)
    db.session.commit()

    response = put_sponsor(api, project, {"sponsor_id": api.user.id, "version": 1})

    assert response.status_code == 403
    assert response.get_json()["message"].startswith("Only council members and admins name")
    db.session.refresh(project)
    assert project.sponsor_id is None
