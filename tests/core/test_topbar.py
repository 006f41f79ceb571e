"""The top bar's badges (ciapp/core/topbar.py): each area's count, all in one statement."""

from __future__ import annotations

from typing import Any

from flask import render_template_string
from flask_login import login_user

from ciapp.gates import services as gates
from ciapp.notifications import services as notifications
from tests import factories
from tests.conftest import sign_in
from tests.projects.test_query_counts import statements


def top_bar(html: str) -> str:
    return html.split("</header>", 1)[0]


def test_a_council_member_gets_both_badges_from_one_statement(client: Any, db: Any) -> None:
    council = factories.user("council")
    project = factories.project(complete=True)
    own = factories.project(council, complete=True)
    gates.request_review(project.lead, project)
    gates.request_review(council, own)  # asked by this member: not waiting for them
    notifications.notify([council], "One")
    notifications.notify([council], "Two")
    notifications.notify([project.lead], "Someone else's")
    db.session.commit()
    sign_in(client, council)
    client.get("/notifications/")
    with statements() as seen:
        top = top_bar(client.get("/notifications/").text)
    assert 'aria-label="1 waiting for you">1</span>' in top
    assert 'aria-label="3 unread">3</span>' in top  # "One", "Two" and the review request
    counts = [sql for sql in seen if "notifications" in sql and "gate_reviews" in sql]
    assert len(counts) == 1
    assert not [sql for sql in seen if "gate_reviews" in sql and sql not in counts]


def test_a_belt_gets_the_unread_badge_only(client: Any, login_as: Any, db: Any) -> None:
    belt = login_as("belt")
    notifications.notify([belt], "Hello")
    db.session.commit()
    with statements() as seen:
        top = top_bar(client.get("/notifications/").text)
    assert 'aria-label="1 unread">1</span>' in top and "Reviews waiting" not in top
    assert not [sql for sql in seen if "gate_reviews" in sql]


def test_a_notification_added_in_the_request_is_counted(app: Any, login_as: Any,
                                                      db: Any) -> None:
    belt = login_as("belt")
    with app.test_request_context("/"):
        login_user(belt)
        notifications.notify([belt], "Not flushed yet")  # counted as a query would see it
        html = render_template_string("{{ unread_notifications() }}")
    assert html == "1"


def test_fragments_count_nothing(client: Any, login_as: Any, db: Any) -> None:
    login_as("council")
    with statements() as seen:
        client.get("/projects/?q=x", headers={"HX-Request": "true"})
    assert not [sql for sql in seen if "notifications" in sql]
