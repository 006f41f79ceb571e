"""Idea intake: anyone submits; the council scores effort and impact (the PICK chart) and
turns an idea into a project with its charter filled in, or a quick win, or declines it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ciapp.portfolio import ideas
from ciapp.portfolio.models import Idea
from ciapp.projects.models import Project
from tests import factories
from tests.conftest import sign_in


def an_idea(author=None, **values) -> Idea:
    author = author or factories.user("member")
    return ideas.submit(author, {"title": "Shadow board for the tool crib",
                                 "description": "Tools go missing; 20 minutes lost a shift.",
                                 "benefit": "About 80 hours a year on line 3."} | values)


@pytest.mark.parametrize(("effort", "impact", "quadrant"), [
    (1, 10, "implement"), (5, 6, "implement"), (6, 6, "challenge"), (10, 10, "challenge"),
    (5, 5, "possible"), (1, 1, "possible"), (6, 5, "kill"), (10, 1, "kill"),
    (None, 5, None),
])
def test_pick_quadrants_split_the_one_to_ten_scores_between_five_and_six(
        effort, impact, quadrant) -> None:
    assert ideas.pick(effort, impact) == quadrant


def test_anyone_even_a_viewer_submits_an_idea(client, login_as, db) -> None:
    viewer = login_as("viewer")
    _, area = factories.site_and_area()
    db.session.commit()

    response = client.post("/portfolio/ideas", data={
        "title": "Label the pallet bays", "description": "Pickers search for bays.",
        "benefit": "Faster picking", "org_unit_id": str(area.id)})

    idea = db.session.scalar(select(Idea))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/portfolio/ideas/{idea.id}")
    assert (idea.title, idea.submitted_by_id, idea.org_unit_id, idea.status) == (
        "Label the pallet bays", viewer.id, area.id, "new")


def test_an_idea_without_a_title_is_refused_and_nothing_saved(client, login_as, db) -> None:
    login_as("member")

    response = client.post("/portfolio/ideas", data={"title": "  ", "description": "x"})

    assert response.status_code == 422
    assert 'id="title-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_the_council_scores_an_idea(client, login_as, db) -> None:
    council = login_as("council")
    idea = an_idea()
    db.session.commit()

    response = client.post(f"/portfolio/ideas/{idea.id}/score",
                           data={"effort": "3", "impact": "8", "version": str(idea.version)})
    page = client.get(f"/portfolio/ideas/{idea.id}").get_data(as_text=True)

    db.session.refresh(idea)
    assert response.status_code == 302
    assert (idea.effort, idea.impact, idea.scored_by_id) == (3, 8, council.id)
    assert "<strong>Implement</strong> (high impact, low effort: do it)" in page


@pytest.mark.parametrize(("effort", "impact", "field"), [("11", "5", "effort"),
                                                          ("5", "0", "impact"),
                                                          ("", "5", "effort"),
                                                          ("2.5", "5", "effort")])
def test_a_score_off_the_scale_is_refused_and_nothing_saved(client, login_as, db, effort,
                                                            impact, field) -> None:
    login_as("council")
    idea = an_idea()
    db.session.commit()

    response = client.post(f"/portfolio/ideas/{idea.id}/score", data={
        "effort": effort, "impact": impact, "version": str(idea.version)})

    db.session.refresh(idea)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert (idea.effort, idea.impact) == (None, None)


@pytest.mark.parametrize("role", ["admin", "belt", "member", "viewer", "finance"])
def test_only_the_council_scores_and_decides(client, db, role) -> None:
    idea = an_idea()
    sign_in(client, factories.user(role))
    db.session.commit()

    for url, data in ((f"/portfolio/ideas/{idea.id}/score", {"effort": "2", "impact": "9"}),
                      (f"/portfolio/ideas/{idea.id}/decide", {"outcome": "declined",
                                                              "note": "No."})):
        assert client.post(url, data=data | {"version": "1"}).status_code == 403
    page = client.get(f"/portfolio/ideas/{idea.id}").get_data(as_text=True)
    assert "Score it" not in page


def test_an_idea_becomes_a_project_whose_charter_the_idea_fills_in(client, login_as,
                                                                   db) -> None:
    council = login_as("council")
    _, area = factories.site_and_area()
    author, lead = factories.user("member"), factories.user("belt")
    idea = an_idea(author, org_unit_id=area.id)
    idea.effort, idea.impact = 7, 9
    db.session.commit()

    response = client.post(f"/portfolio/ideas/{idea.id}/project", data={
        "lead_id": str(lead.id), "methodology": "kaizen", "version": str(idea.version)})

    project = db.session.scalar(select(Project))
    db.session.refresh(idea)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/{project.key}")
    assert (project.title, project.problem, project.business_case, project.org_unit_id) == (
        "Shadow board for the tool crib", "Tools go missing; 20 minutes lost a shift.",
        "About 80 hours a year on line 3.", area.id)
    assert (project.lead_id, project.sponsor_id, project.methodology) == (
        lead.id, council.id, "kaizen")
    assert [(m.user_id, m.role) for m in project.team] == [(author.id, "Idea author")]
    assert (idea.status, idea.project_id) == ("project", project.id)
    listing = client.get("/portfolio/ideas").get_data(as_text=True)
    assert re.search(rf"Project: <a href=\"/projects/{project.key}\">", listing)


def test_an_unscored_or_already_decided_idea_does_not_become_a_project(client, login_as,
                                                                       db) -> None:
    login_as("council")
    lead = factories.user("belt")
    unscored = an_idea()
    decided = an_idea(effort=2, impact=2)
    decided.effort, decided.impact, decided.status = 2, 2, "declined"
    db.session.commit()

    for idea, message in ((unscored, "Score the idea"), (decided, "already decided")):
        response = client.post(f"/portfolio/ideas/{idea.id}/project", data={
            "lead_id": str(lead.id), "methodology": "dmaic", "version": str(idea.version)})
        assert response.status_code == 409
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_a_decision_on_a_stale_page_is_refused(client, login_as, db) -> None:
    login_as("council")
    idea = an_idea()
    idea.effort, idea.impact = 2, 9
    db.session.commit()
    stale = idea.version
    ideas.score(factories.user("council"), idea, 3, 9, idea.version)
    db.session.commit()

    response = client.post(f"/portfolio/ideas/{idea.id}/decide", data={
        "outcome": "quick_win", "note": "Maintenance puts up the board.",
        "version": str(stale)})

    db.session.refresh(idea)
    assert response.status_code == 409 and idea.status == "new"


def test_a_quick_win_says_what_is_done_and_a_decline_why(client, login_as, db) -> None:
    login_as("council")
    win, no = an_idea(), an_idea()
    db.session.commit()

    silent = client.post(f"/portfolio/ideas/{no.id}/decide", data={
        "outcome": "declined", "note": "", "version": str(no.version)})
    quick = client.post(f"/portfolio/ideas/{win.id}/decide", data={
        "outcome": "quick_win", "note": "Maintenance puts up the board this week.",
        "version": str(win.version)})

    db.session.refresh(win)
    db.session.refresh(no)
    assert silent.status_code == 422 and no.status == "new"
    assert quick.status_code == 302
    assert (win.status, win.decision_note) == ("quick_win",
                                               "Maintenance puts up the board this week.")


def test_the_pick_chart_draws_the_ideas_waiting_with_tooltips_and_links(client, login_as,
                                                                        db) -> None:
    login_as("viewer")
    a, b, c = an_idea(title="Kanban for spares"), an_idea(title="Andon light"), an_idea()
    a.effort, a.impact = 2, 9
    b.effort, b.impact = 2, 9  # the same scores: one marker naming both
    c.effort, c.impact, c.status = 9, 9, "declined"  # decided: not on the chart
    db.session.commit()

    svg = client.get("/portfolio/ideas/pick.svg")
    png = client.get("/portfolio/ideas/pick.png")
    page = client.get("/portfolio/ideas").get_data(as_text=True)

    text = svg.get_data(as_text=True)
    assert svg.mimetype == "image/svg+xml"
    for quadrant in ("Implement", "Challenge", "Possible", "Kill"):
        assert quadrant in text
    titles = re.findall(r"<title>(.*?)</title>", text, re.S)
    assert [t for t in titles if t.startswith("effort")] == [
        f"effort 2, impact 9\n#{a.id} Kanban for spares\n#{b.id} Andon light"]
    assert f"#{c.id} " not in text
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in page and 'style="' not in page.split("<svg", 1)[1].split("</svg>")[0]


def test_one_idea_on_a_marker_links_to_its_page(client, login_as, db) -> None:
    login_as("member")
    idea = an_idea()
    idea.effort, idea.impact = 8, 3
    db.session.commit()

    text = client.get("/portfolio/ideas/pick.svg").get_data(as_text=True)

    assert f'<a href="/portfolio/ideas/{idea.id}" target="_top">' in text


def test_the_council_hears_of_a_new_idea_and_the_author_of_the_decision(db) -> None:
    from ciapp.notifications.models import Notification

    council, author = factories.user("council"), factories.user("member")
    idea = an_idea(author)
    ideas.decide(council, idea, "declined", "Already done on line 2.", idea.version)

    def inbox(user) -> list[str]:
        return list(db.session.scalars(select(Notification.message)
                                       .where(Notification.user_id == user.id)))

    assert inbox(council) == [f"New idea #{idea.id} from {author.name}: "
                              "Shadow board for the tool crib"]
    assert inbox(author) == ["Your idea “Shadow board for the tool crib”: declined. "
                             "Already done on line 2."]
