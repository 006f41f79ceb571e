"""Project pages over HTTP: create, list with filters, inline charter edits, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.projects.models import Project
from tests import factories

VALID = {"title": "Reduce scrap on line 3", "methodology": "dmaic", "metric_better": "lower",
         "alpha": "0.05", "sponsor_id": "None", "lead_id": "None", "org_unit_id": "None"}


def count_projects(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def test_create_assigns_a_key_and_shows_the_project(client: Any, login_as: Any,
                                                    db: Any) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {"lsl": "1.5", "usl": "4"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    project = db.session.scalars(select(Project)).one()
    assert project.key in page.text and "Reduce scrap on line 3" in page.text
    assert "Define" in page.text and "Measure" in page.text  # DMAIC phase track
    assert (project.lsl, project.usl) == (1.5, 4.0)


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": ""}, "This field is required."),
    ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"lsl": "abc"}, "Not a valid float value."),
    ({"lsl": "5", "usl": "5"}, "LSL (5) must be below USL (5)."),
    ({"sponsor_id": "999999"}, "Not a valid choice."),
    ({"methodology": "six-sigma"}, "Not a valid choice."),
    ({"alpha": "0.9"}, "Number must be between 0.001 and 0.2."),
    ({"start_date": "31/12/2026"}, "Not a valid date value."),
    ({"problem": "p" * 5001}, "Field cannot be longer than 5000 characters."),
])
def test_bad_input_on_create_is_explained_and_nothing_saved(
        client: Any, login_as: Any, db: Any, changes: dict[str, str], message: str) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | changes)
    assert response.status_code == 422
    assert message in response.text
    assert count_projects(db) == 0


def test_list_filters_search_and_pages(client: Any, login_as: Any, db: Any,
                                       app: Any) -> None:
    login_as("viewer")
    for i in range(3):
        factories.project(title=f"Paint line defect {i}")
    factories.project(title="Invoice errors", methodology="kaizen")
    db.session.commit()
    page = client.get("/projects/?q=paint")
    assert page.status_code == 200 and "3 projects" in page.text
    assert "Invoice errors" not in page.text
    kaizen = client.get("/projects/?methodology=kaizen")
    assert "Invoice errors" in kaizen.text and "Paint line" not in kaizen.text
    app.config["PROJECTS_PER_PAGE"] = 2
    try:
        second = client.get("/projects/?page=2")
        assert "Page 2 of 2" in second.text
    finally:
        app.config["PROJECTS_PER_PAGE"] = 20


def test_list_answers_htmx_with_the_fragment_only(client: Any, login_as: Any,
                                                  db: Any) -> None:
    login_as("viewer")
    response = client.get("/projects/?q=x", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="project-list">')
    assert "HX-Request" in response.headers["Vary"]
    restore = client.get("/projects/", headers={"HX-Request": "true",
                                                "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_bad_filters_do_not_break_the_list(client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    assert client.get("/projects/?page=-3&lead_id=abc&status=nope").status_code == 200


def test_inline_edit_saves_one_field_and_returns_its_fragment(client: Any, login_as: Any,
                                                              db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    form = client.get(f"/projects/{project.key}/charter/goal/edit",
                      headers={"HX-Request": "true"})
    assert 'id="charter-goal"' in form.text and "<textarea" in form.text
    saved = client.post(f"/projects/{project.key}/charter/goal",
                        data={"goal": "Scrap below 2%", "version": str(project.version)},
                        headers={"HX-Request": "true"})
    assert saved.status_code == 200
    assert "Scrap below 2%" in saved.text and "<html" not in saved.text
    # The gate panel and the history ride along out of band, so neither goes stale.
    assert '<div id="gate" class="gate-panel" hx-swap-oob="true">' in saved.text
    assert '<li class="met"><span class="mark" aria-hidden="true">✓</span>' \
        '\n      <span class="sr">Met:</span> Goal filled in' in saved.text
    assert 'id="history" aria-labelledby="history-h" hx-swap-oob="true"' in saved.text
    assert "Edited goal" in saved.text
    db.session.refresh(project)
    assert project.goal == "Scrap below 2%"
    history = client.get(f"/projects/{project.key}").text
    assert "Edited goal" in history


def test_inline_edit_shows_cross_field_errors_on_the_edited_field(client: Any, login_as: Any,
                                                                  db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead, lsl=5.0)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/charter/usl",
                           data={"usl": "4", "version": str(project.version)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "LSL (5) must be below USL (4)." in response.text
    assert 'id="charter-usl"' in response.text
    db.session.refresh(project)
    assert project.usl is None


def test_inline_edit_with_a_stale_version_is_refused(client: Any, login_as: Any,
                                                     db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    stale = str(project.version)
    client.post(f"/projects/{project.key}/charter/goal", data={"goal": "A", "version": stale})
    response = client.post(f"/projects/{project.key}/charter/problem",
                           data={"problem": "B", "version": stale},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409 and "changed by someone else" in response.text
    db.session.refresh(project)
    assert project.problem == ""


def test_unknown_charter_field_and_project_are_404(client: Any, login_as: Any,
                                                   db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    assert client.get(f"/projects/{project.key}/charter/password/edit").status_code == 404
    missing = client.get("/projects/CI-1999-9999")
    assert missing.status_code == 404 and "CI-1999-9999 was not found" in missing.text


def test_full_edit_form(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    page = client.get(f"/projects/{project.key}/edit")
    assert page.status_code == 200 and project.title in page.text
    data = VALID | {"title": "New title", "lead_id": str(lead.id),
                    "version": str(project.version)}
    assert client.post(f"/projects/{project.key}/edit", data=data).status_code == 302
    db.session.refresh(project)
    assert project.title == "New title"


def test_team_and_status_forms(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    operator = factories.user("member", name="Ana Operator")
    db.session.commit()
    added = client.post(f"/projects/{project.key}/team",
                        data={"user_id": str(operator.id), "role": "Operator"})
    assert added.status_code == 302
    assert "Ana Operator" in client.get(f"/projects/{project.key}").text
    again = client.post(f"/projects/{project.key}/team",
                        data={"user_id": str(operator.id), "role": "Operator"})
    assert again.status_code == 422 and "already on the team" in again.text
    no_reason = client.post(f"/projects/{project.key}/status", data={"action": "hold"})
    assert no_reason.status_code == 422 and "Give a reason" in no_reason.text
    held = client.post(f"/projects/{project.key}/status",
                       data={"action": "hold", "reason": "Supplier strike"})
    assert held.status_code == 302
    db.session.refresh(project)
    assert project.status == "on_hold"


def test_forms_refuse_posts_without_a_csrf_token(client: Any, login_as: Any, db: Any,
                                                 csrf_enabled: None) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID)
    assert response.status_code == 400
    assert "security token is missing" in response.text
    assert count_projects(db) == 0
    hx = client.post("/projects/new", data=VALID, headers={"HX-Request": "true",
                                                           "X-CSRFToken": "forged"})
    assert hx.status_code == 400 and count_projects(db) == 0


def test_the_csrf_token_on_the_page_is_accepted(client: Any, login_as: Any, db: Any,
                                                csrf_enabled: None) -> None:
    import re

    login_as("belt")
    page = client.get("/projects/new").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/projects/new", data=VALID | {"csrf_token": token})
    assert response.status_code == 302 and count_projects(db) == 1


def test_boosted_navigation_gets_whole_pages(client: Any, login_as: Any, db: Any) -> None:
    """hx-boost swaps the body, so a boosted link (or a redirect after a boosted form)
    must get the page with its header and filters, not the bare list fragment."""
    login_as("viewer")
    response = client.get("/projects/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in response.text and 'class="filters"' in response.text


@pytest.mark.parametrize(("url", "data", "message"), [
    ("team", {"user_id": "999999", "role": "Operator"}, "Person: Not a valid choice."),
    ("team", {"user_id": "abc", "role": "Operator"}, "Person: Not a valid choice"),
    ("team", {"role": "Operator"}, "Person: This field is required."),
    ("status", {"action": "explode", "reason": "why not"}, "Action: Not a valid choice."),
    ("status", {"action": "cancel", "reason": "r" * 2001}, "cannot be longer than 2000"),
])
def test_team_and_status_bad_input(client: Any, login_as: Any, db: Any, url: str,
                                   data: dict[str, str], message: str) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/{url}", data=data)
    assert response.status_code == 422 and message in response.text
    db.session.refresh(project)
    assert project.team == [] and project.status == "active"


def test_the_charter_shows_people_and_places_by_name(client: Any, login_as: Any,
                                                     db: Any) -> None:
    login_as("viewer")
    site, area = factories.site_and_area(area="Moulding")
    sponsor = factories.user("council", name="Carla Sponsor")
    project = factories.project(sponsor_id=sponsor.id, org_unit_id=area.id,
                                metric_better="higher")
    db.session.commit()
    page = client.get(f"/projects/{project.key}").text

    def shown(field: str) -> str:
        row = page.split(f'id="charter-{field}"', 1)[1].split("</div>", 1)[0]
        return row.split('<span class="charter-value">', 1)[1].split("</span>", 1)[0]

    assert shown("sponsor_id") == "Carla Sponsor"
    assert shown("lead_id") == project.lead.name
    assert shown("org_unit_id") == f"{site.name} &gt; Moulding"
    assert shown("metric_better") == "Higher is better"
