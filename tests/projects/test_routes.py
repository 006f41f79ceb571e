"""Project pages over HTTP: create, list with filters, inline charter edits, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.projects import services as project_services
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
    ({"lsl": "abc"}, "Enter a number, such as 12.5 or -3."),
    ({"lsl": "5", "usl": "5"}, "LSL (5) must be below USL (5)."),
    ({"sponsor_id": "999999"}, "Not a valid choice."),
    ({"methodology": "six-sigma"}, "Not a valid choice."),
    ({"alpha": "0.9"}, "Enter a number from 0.001 to 0.2."),
    ({"start_date": "31/12/2026"}, "Enter a date as YYYY-MM-DD, such as 2026-01-05."),
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
    response = client.get("/projects/?page=-3&lead_id=abc&status=nope")
    # The list is still there, unfiltered, with the mistakes named; the status says 422.
    assert response.status_code == 422 and 'id="project-list"' in response.text
    assert "Page: Enter a whole number from 1 to 1000000." in response.text


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


def card(html: str, card_id: str) -> str:
    """The card ``<section id=card_id>`` of a page or fragment."""
    start = html.index(f'<section class="card" id="{card_id}"')
    return html[start:html.index("</section>", start)]


def field_error(html: str, field: str) -> str:
    """The error shown under one form field, or '' when there is none."""
    marker = f'<p class="error" id="{field}-error" role="alert">'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(("url", "data", "field", "message"), [
    ("team", {"user_id": "999999", "role": "Operator"}, "user_id", "Not a valid choice."),
    ("team", {"user_id": "abc", "role": "Operator"}, "user_id", "Not a valid choice"),
    ("team", {"role": "Operator"}, "user_id", "This field is required."),
    ("status", {"action": "explode", "reason": "why not"}, "action", "Not a valid choice."),
    ("status", {"action": "cancel", "reason": "r" * 2001}, "reason",
     "cannot be longer than 2000"),
])
def test_team_and_status_bad_input(client: Any, login_as: Any, db: Any, url: str,
                                   data: dict[str, str], field: str, message: str) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/{url}", data=data)
    assert response.status_code == 422
    assert message in field_error(card(response.text, url), field)
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
        return row.split('<span class="inline-value">', 1)[1].split("</span>", 1)[0]

    assert shown("sponsor_id") == "Carla Sponsor"
    assert shown("lead_id") == project.lead.name
    assert shown("org_unit_id") == f"{site.name} &gt; Moulding"
    assert shown("metric_better") == "Higher is better"


def menu(html: str) -> list[str]:
    """The labels the status card's Action menu offers."""
    select = card(html, "status").split('<select id="action"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("<", 1)[0]
            for option in select.split("<option")[1:]]


def test_status_menu_offers_only_what_applies(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    url = f"/projects/{project.key}"
    assert menu(client.get(url).text) == ["Put on hold", "Cancel"]
    client.post(f"{url}/status", data={"action": "hold", "reason": "Supplier strike"})
    assert menu(client.get(url).text) == ["Resume", "Cancel"]
    client.post(f"{url}/status", data={"action": "cancel", "reason": "Line closed"})
    assert menu(client.get(url).text) == ["Reopen"]


def test_a_move_that_no_longer_applies_is_explained_in_plain_words(
        client: Any, login_as: Any, db: Any) -> None:
    """A page left open while someone else resumed the project still offers Resume."""
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/status", data={"action": "resume"})
    assert response.status_code == 409
    assert field_error(card(response.text, "status"), "action") == \
        "A project that is active cannot be resumed."
    db.session.refresh(project)
    assert project.status == "active"


def test_refused_team_form_comes_back_in_its_card_with_what_was_typed(
        client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    operator = factories.user("member", name="Ana Operator")
    project = factories.project(lead)
    project_services.add_member(lead, project, operator.id, "Operator")
    db.session.commit()
    data = {"user_id": str(operator.id), "role": "Night-shift setter"}
    url = f"/projects/{project.key}/team"

    page = client.post(url, data=data)  # without JavaScript: the whole page, card in it
    assert page.status_code == 422 and "<html" in page.text and 'id="charter"' in page.text
    team = card(page.text, "team")
    assert field_error(team, "user_id") == "Ana Operator is already on the team."
    assert 'value="Night-shift setter"' in team
    assert f'<option selected value="{operator.id}">Ana Operator</option>' in team

    hx = client.post(url, data=data, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert hx.status_code == 422
    assert hx.text.lstrip().startswith('<section class="card" id="team"')
    assert (hx.headers["HX-Retarget"], hx.headers["HX-Reswap"]) == ("#team", "outerHTML")
    assert hx.headers["HX-Push-Url"] == "false"  # the address stays the project's
    assert 'value="Night-shift setter"' in hx.text
    assert "already on the team" in field_error(hx.text, "user_id")


def test_hold_without_a_reason_is_refused_in_the_status_card(client: Any, login_as: Any,
                                                              db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/status", data={"action": "hold"},
                           headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 422 and response.headers["HX-Retarget"] == "#status"
    assert field_error(response.text, "reason") == \
        "Give a reason: it goes into the project&#39;s history."
    assert '<option selected value="hold">Put on hold</option>' in response.text
    db.session.refresh(project)
    assert project.status == "active"


def test_the_lead_is_on_the_team_card_once_and_the_gate_counts_as_the_card(
        client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt", name="Lena Lead")
    sponsor = factories.user("council", name="Sam Sponsor")
    project = factories.project(lead, sponsor_id=sponsor.id)
    db.session.commit()
    url = f"/projects/{project.key}"
    for person in (lead, sponsor):  # they have their own lines on the card
        refused = client.post(f"{url}/team", data={"user_id": str(person.id), "role": "x"})
        assert refused.status_code == 422
        assert "so is on the team card already" in field_error(card(refused.text, "team"),
                                                                "user_id")
    page = client.get(url).text
    team = card(page, "team")
    person = team.split('<select id="user_id"', 1)[1].split("</select>", 1)[0]
    assert "Lena Lead" not in person and "Sam Sponsor" not in person  # not offered again
    listed = team.split('<ul class="team">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("Lena Lead") == 1 and '<span class="tag">Lead</span>' in listed
    assert "0 team members besides the lead and the sponsor" in team
    assert "At least one team member besides the lead and the sponsor" in page
    assert "(0 team members besides the lead and the sponsor)" in page  # unmet, same count

    operator = factories.user("member", name="Ana Operator")
    db.session.commit()
    client.post(f"{url}/team", data={"user_id": str(operator.id), "role": "Operator"})
    page = client.get(url).text
    assert "1 team member besides the lead and the sponsor" in card(page, "team")
    assert '<li class="met"><span class="mark" aria-hidden="true">✓</span>\n      ' \
        '<span class="sr">Met:</span> At least one team member' in page


def test_cross_field_errors_are_all_named_at_once(client: Any, login_as: Any,
                                                  db: Any) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {
        "title": "", "lsl": "5", "usl": "4", "target": "90",
        "start_date": "2026-05-01", "target_date": "2026-04-01"})
    assert response.status_code == 422
    page = response.text
    assert field_error(page, "title") == "This field is required."
    assert field_error(page, "lsl") == "LSL (5) must be below USL (4)."
    assert field_error(page, "target") == \
        "The target must lie between the specification limits."
    assert field_error(page, "target_date") == \
        "The target date cannot be before the start date."
    assert 'value="90"' in page  # what was typed stays in the form
    assert count_projects(db) == 0


def test_numbers_read_as_they_were_typed(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead, usl=90.0, lsl=1e-8, target=0.5)
    db.session.commit()
    page = client.get(f"/projects/{project.key}").text

    def shown(field: str) -> str:
        row = page.split(f'id="charter-{field}"', 1)[1]
        return row.split('<span class="inline-value">', 1)[1].split("</span>", 1)[0]

    assert (shown("usl"), shown("lsl"), shown("target")) == ("90", "1e-08", "0.5")
    editor = client.get(f"/projects/{project.key}/charter/usl/edit").text
    assert 'value="90"' in editor and "90.0" not in editor
    whole = client.get(f"/projects/{project.key}/edit").text
    usl_input = whole.split('name="usl"', 1)[1].split(">", 1)[0]
    assert 'value="90"' in usl_input
    client.post(f"/projects/{project.key}/charter/usl",
                data={"usl": "120", "version": str(project.version)})
    history = card(client.get(f"/projects/{project.key}").text, "history")
    assert "<td>90</td><td>120</td>" in history


def test_filter_and_pager_links_carry_only_the_filters_in_force(
        client: Any, login_as: Any, db: Any, app: Any) -> None:
    login_as("viewer")
    for i in range(3):
        factories.project(title=f"Paint line defect {i}")
    db.session.commit()
    app.config["PROJECTS_PER_PAGE"] = 2
    try:
        page = client.get("/projects/").text
        assert 'value="None"' not in page.split('class="filters"', 1)[1].split("</form>")[0]
        # What the filter form sends when nothing is chosen, then its pager link.
        sent = client.get("/projects/?q=paint&methodology=&phase=&status=&org_unit_id="
                          "&lead_id=&page=1").text
    finally:
        app.config["PROJECTS_PER_PAGE"] = 20
    pager = sent.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/projects/?q=paint&amp;page=2"' in pager


def test_a_refusal_is_a_page_that_says_who_you_are_and_what_helps(client: Any, login_as: Any,
                                                                   db: Any) -> None:
    login_as("viewer", name="Vera Viewer")
    project = factories.project()
    db.session.commit()
    response = client.get(f"/projects/{project.key}/edit")
    assert response.status_code == 403
    page = response.text
    assert "<h1>Not allowed <small>(403)</small></h1>" in page
    assert "signed in as\n    <strong>Vera Viewer</strong> (Viewer)" in page
    assert "ask the project's lead to add you to the team" in page
    assert "You don't have the permission" not in page  # werkzeug's stock sentence
    assert '<a href="/">Back to your start page</a>' in page
    assert "<header class=\"top\">" in page  # the whole page, top bar and all


def test_a_council_member_off_the_project_names_its_sponsor_from_the_team_card(
        client: Any, login_as: Any, db: Any) -> None:
    """The council names sponsors (the sponsor decides the gates), so it needs a way in
    even to a project it does not edit; a stale form and the lead as sponsor are refused."""
    lead = factories.user("belt", name="Lee Lead")
    sponsor = factories.user("council", name="Sasha Sponsor")
    project = factories.project(lead)
    db.session.commit()
    login_as("council")
    page = client.get(f"/projects/{project.key}").text
    assert "Set sponsor" in page and "Add to team" not in page  # names sponsors, not the team
    url = f"/projects/{project.key}/sponsor"
    as_lead = client.post(url, data={"sponsor_id": str(lead.id), "version": project.version})
    assert as_lead.status_code == 422
    assert "cannot also be its sponsor" in as_lead.text
    response = client.post(url, data={"sponsor_id": str(sponsor.id),
                                      "version": project.version})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.sponsor_id == sponsor.id
    stale = client.post(url, data={"sponsor_id": "None", "version": project.version - 1})
    assert stale.status_code == 409
    db.session.refresh(project)
    assert project.sponsor_id == sponsor.id


def test_a_lead_gets_no_sponsor_control(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead)
    db.session.commit()
    assert "Set sponsor" not in client.get(f"/projects/{project.key}").text
    response = client.post(f"/projects/{project.key}/sponsor",
                           data={"sponsor_id": str(lead.id), "version": project.version})
    assert response.status_code == 403
    db.session.refresh(project)
    assert project.sponsor_id is None
