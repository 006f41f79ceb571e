"""Each role's start page at /, and the council's list of gate reviews waiting for it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from flask import Flask

from ciapp.gates import services as gates
from ciapp.projects import services as project_services
from tests import factories
from tests.conftest import sign_in


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start:html.index("</section>", start)]


def test_signing_in_lands_on_the_start_page_and_slash_still_works(client: Any,
                                                                   db: Any) -> None:
    assert "/auth/login" in client.get("/").headers["Location"]
    user = factories.user("belt", email="bo@example.com")
    user.set_password("a-long-password-1")
    db.session.commit()
    response = client.post("/auth/login", data={"email": "bo@example.com",
                                                "password": "a-long-password-1"})
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "<h1>Your work</h1>" in page.text


def test_a_belt_sees_their_projects_and_the_reviews_they_asked_for(client: Any,
                                                                   db: Any) -> None:
    belt = factories.user("belt", name="Bea Belt")
    led = factories.project(belt, complete=True, title="Shorter changeovers")
    other_lead = factories.user("belt")
    on_team = factories.project(other_lead, title="Fewer picking errors")
    project_services.add_member(other_lead, on_team, belt.id, "Analyst")
    factories.project(other_lead, title="Somebody else's project")
    review = gates.request_review(belt, led, "Charter signed")
    council = factories.user("council", name="Cleo Council")
    gates.decide_review(council, review, "return", "Quantify the business case.")
    db.session.commit()
    sign_in(client, belt)
    page = client.get("/").text

    mine = section(page, "my-projects")
    assert "Shorter changeovers" in mine and "Fewer picking errors" in mine
    assert "Somebody else" not in mine
    assert '<td data-label="Your part">Lead</td>' in mine
    assert '<td data-label="Your part">Team member</td>' in mine
    asked = section(page, "my-reviews")
    assert "leaving Define" in asked and "sent back" in asked and "Cleo Council" in asked
    assert "Quantify the business case." in asked
    assert 'id="by-phase"' not in page  # the portfolio is the council's and viewers' view
    assert "Reviews waiting" not in page.split("</header>", 1)[0]


def test_the_council_sees_reviews_waiting_with_a_count_in_the_top_bar(app: Flask,
                                                                      client: Any,
                                                                      db: Any) -> None:
    council = factories.user("council")
    colleague = factories.user("council")
    first = factories.project(complete=True, title="Scrap on line 3")
    second = factories.project(complete=True, title="Invoice errors")
    own = factories.project(council, complete=True, title="Own project of the council")
    waiting = [gates.request_review(first.lead, first, "ready"),
               gates.request_review(second.lead, second)]
    gates.request_review(council, own)  # asked by this council member: others decide it
    db.session.commit()
    sign_in(client, council)

    page = client.get("/").text
    top = page.split("</header>", 1)[0]
    assert '<span class="badge" aria-label="2 waiting for you">2</span>' in top
    listed = section(page, "waiting")
    assert "Scrap on line 3" in listed and "Invoice errors" in listed
    assert "Own project of the council" not in listed
    assert listed.index("Scrap on line 3") < listed.index("Invoice errors")  # oldest first
    assert "(2)" in listed

    full = client.get("/gates/waiting")
    assert full.status_code == 200 and "Scrap on line 3" in full.text
    assert f'href="/projects/{first.key}#gate"' in full.text

    other = app.test_client()
    sign_in(other, colleague)
    assert "Council&#39;s own project" in other.get("/gates/waiting").text \
        or "Own project of the council" in other.get("/gates/waiting").text

    gates.decide_review(colleague, waiting[0], "approve")
    db.session.commit()
    top = client.get("/").text.split("</header>", 1)[0]
    assert 'aria-label="1 waiting for you"' in top


def test_a_sponsor_who_is_not_on_the_council_sees_their_projects_reviews(client: Any,
                                                                         db: Any) -> None:
    sponsor = factories.user("belt", name="Sid Sponsor")
    project = factories.project(complete=True, sponsor=sponsor, title="Kitting cart")
    gates.request_review(project.lead, project)
    factories.project(complete=True, title="Not sponsored by Sid")
    db.session.commit()
    sign_in(client, sponsor)
    page = client.get("/").text
    assert "Kitting cart" in section(page, "waiting")
    assert client.get("/gates/waiting").text.count('data-label="Project"') == 1


def test_viewers_and_finance_get_the_portfolio(client: Any, db: Any) -> None:
    today = date.today()
    lead = factories.user("belt")
    factories.project(lead, title="On time", target_date=today + timedelta(days=30))
    late = factories.project(lead, title="Running late", start_date=today - timedelta(days=90),
                             target_date=today - timedelta(days=3))
    held = factories.project(lead, title="Waiting for parts")
    project_services.change_status(lead, held, "hold", "Supplier strike")
    db.session.commit()
    for role in ("viewer", "finance"):
        sign_in(client, factories.user(role))
        db.session.commit()
        page = client.get("/").text
        assert "<h1>Portfolio</h1>" in page
        phases = section(page, "by-phase")
        assert 'aria-label="2 active in Define">2</a>' in phases
        assert 'href="/projects/?phase=scope&amp;status=on_hold"' in phases
        assert 'aria-label="1 on hold in Define">1</a>' in phases
        overdue = section(page, "late")
        assert "Running late" in overdue and "On time" not in overdue
        assert late.key in overdue
        assert 'id="closed"' in page and 'id="my-projects"' not in page
        assert "Reviews waiting" not in page.split("</header>", 1)[0]


def test_every_page_has_a_favicon_and_htmx_settles_no_style(app: Flask, client: Any,
                                                             db: Any) -> None:
    sign_in(client, factories.user("viewer"))
    db.session.commit()
    head = client.get("/").text.split("</head>", 1)[0]
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in head
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.text.lstrip().startswith("<svg") and "<script" not in icon.text
    # Under the CSP (style-src 'self') htmx may neither add its indicator <style> nor copy
    # style attributes while settling a swap; the browser test sees the console stay clean.
    config = head.split('name="htmx-config" content=\'', 1)[1].split("'", 1)[0]
    settings = json.loads(config)
    assert settings["includeIndicatorStyles"] is False
    assert "style" not in settings["attributesToSettle"]
    icon.close()
