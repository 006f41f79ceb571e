"""What needs attention: reviews waiting, overdue actions, stalled projects, sustain
signals after close; the stalled threshold is a setting."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.portfolio.conftest import (
    overdue_action,
    passed_gate,
    pending_review,
    project,
    sustain_flag,
)


def section(page: str, part: str) -> str:
    found = re.search(rf'<section class="card" id="{part}".*?</section>', page, re.S)
    assert found, part
    return found.group(0)


def test_the_four_parts_list_what_needs_attention(client, login_as, db) -> None:
    login_as("council")
    waiting = project(phase="baseline")
    pending_review(waiting, days_ago=4)
    late = project()
    overdue_action(late, 9, title="Install the light curtain")
    stuck = project(phase="root_cause", days_old=100)
    fresh = project(phase="root_cause", days_old=100)
    passed_gate(fresh, 10, "baseline")  # in its phase only ten days
    slipped = project(phase="sustain", status="closed")
    sustain_flag(slipped)
    settled = project(phase="sustain", status="closed")
    sustain_flag(settled, cleared=True)
    db.session.commit()

    page = client.get("/portfolio/attention").get_data(as_text=True)

    reviews = section(page, "reviews")
    assert waiting.key in reviews and "<td class=\"num\" data-label=\"Days waiting\">4</td>" \
        in reviews and "yours to decide" in reviews
    overdue = section(page, "overdue")
    assert "Install the light curtain" in overdue and late.key in overdue
    assert '<strong class="flag-overdue">9</strong>' in overdue
    stalled = section(page, "stalled")
    assert stuck.key in stalled and fresh.key not in stalled
    assert "more than 60 days in one phase" in stalled
    signals = section(page, "signals")
    assert slipped.key in signals and "did the gain hold?" in signals
    assert settled.key not in signals


def test_the_stalled_threshold_is_a_setting_and_can_be_changed_in_the_address(
        app, client, login_as, db, monkeypatch: pytest.MonkeyPatch) -> None:
    login_as("viewer")
    p = project(phase="baseline", days_old=40)
    db.session.commit()

    default = section(client.get("/portfolio/attention").get_data(as_text=True), "stalled")
    monkeypatch.setitem(app.config, "PORTFOLIO_STALLED_DAYS", 30)
    by_setting = section(client.get("/portfolio/attention").get_data(as_text=True),
                         "stalled")
    monkeypatch.setitem(app.config, "PORTFOLIO_STALLED_DAYS", 60)
    by_address = section(client.get("/portfolio/attention?days=35").get_data(as_text=True),
                         "stalled")

    assert p.key not in default
    assert p.key in by_setting and "more than 30 days" in by_setting
    assert p.key in by_address and "more than 35 days" in by_address


def test_on_hold_and_closed_projects_are_not_stalled(client, login_as, db) -> None:
    login_as("council")
    held = project(status="on_hold", days_old=300)
    closed = project(phase="sustain", status="closed", days_old=300)
    db.session.commit()

    stalled = section(client.get("/portfolio/attention").get_data(as_text=True), "stalled")

    assert held.key not in stalled and closed.key not in stalled


def test_a_review_someone_may_not_decide_is_listed_without_the_mark(client, db) -> None:
    from tests.conftest import sign_in

    p = project(phase="baseline")
    pending_review(p)
    viewer, lead = factories.user("viewer"), p.lead
    db.session.commit()

    for user in (viewer, lead):  # a viewer decides nothing; the lead asked for it
        sign_in(client, user)
        reviews = section(client.get("/portfolio/attention").get_data(as_text=True),
                          "reviews")
        assert p.key in reviews and "yours to decide" not in reviews


def test_the_filters_narrow_every_part(client, login_as, db) -> None:
    login_as("council")
    site, area = factories.site_and_area()
    here = project(org_unit_id=area.id, days_old=100)
    there = project(days_old=100)
    for p in (here, there):
        overdue_action(p, 2)
        pending_review(p)
    db.session.commit()

    page = client.get(f"/portfolio/attention?site_id={site.id}").get_data(as_text=True)

    for part in ("reviews", "overdue", "stalled"):
        assert here.key in section(page, part) and there.key not in section(page, part)


def test_the_council_start_page_links_to_the_attention_list(client, login_as) -> None:
    login_as("council")

    page = client.get("/").get_data(as_text=True)

    assert re.search(r'<a href="/portfolio/attention">What needs attention', page)
