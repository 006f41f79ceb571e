"""Two charter fields open at once on one page, saved one after the other, and a real
conflict with another person's save: what a belt sees with htmx in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from ciapp.projects import services as projects
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "ines.inline@example.com"
PASSWORD = "one-field-at-a-time-7"


@pytest.fixture
def project(db: Any) -> Project:
    lead = auth_services.create_user(None, email=EMAIL, name="Ines Inline", role="belt",
                                     password=PASSWORD, belt_level="green")
    created = projects.create_project(lead, {"title": "Shorter changeovers", "goal": "Old"})
    db.session.commit()
    return created


def open_project(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The form is boosted (an htmx request): wait for its answer, or the next goto races it.
    expect(page.locator("header.top .who")).to_be_visible()
    page.goto(f"{base}/projects/{key}")
    expect(page.locator("#charter-goal")).to_be_visible()


def open_editor(page: Page, field: str, label: str) -> Any:
    page.locator(f"#charter-{field}").get_by_role("link", name=f"Edit {label}").click()
    editor = page.locator(f"form#charter-{field}")
    expect(editor).to_be_visible()
    return editor


def stored(db: Any, key: str) -> Project:
    db.session.rollback()
    db.session.expire_all()
    return projects.get_project(key)


def test_two_open_editors_saved_one_after_the_other(page: Page, live_server: str, db: Any,
                                                    project: Project) -> None:
    open_project(page, live_server, project.key)
    goal = open_editor(page, "goal", "Goal")
    problem = open_editor(page, "problem", "Problem statement")
    goal.get_by_label("Goal", exact=True).fill("Changeover under 20 minutes")
    problem.get_by_label("Problem statement", exact=True).fill("Changeovers take 47 minutes")
    goal.get_by_role("button", name="Save").click()
    expect(page.locator("div#charter-goal .inline-value")).to_have_text(
        "Changeover under 20 minutes")
    # The problem editor, opened before the goal was saved, now holds the new version.
    problem.get_by_role("button", name="Save").click()
    expect(page.locator("div#charter-problem .inline-value")).to_have_text(
        "Changeovers take 47 minutes")
    saved = stored(db, project.key)
    assert (saved.goal, saved.problem) == ("Changeover under 20 minutes",
                                           "Changeovers take 47 minutes")


def test_a_real_conflict_keeps_the_typed_text(page: Page, live_server: str, db: Any,
                                              project: Project) -> None:
    open_project(page, live_server, project.key)
    goal = open_editor(page, "goal", "Goal")
    goal.get_by_label("Goal", exact=True).fill("Mine: under 20 minutes")
    other = stored(db, project.key)
    projects.update_project(other.lead, other, {"goal": "Theirs: under 30 minutes"})
    db.session.commit()

    goal.get_by_role("button", name="Save").click()
    conflict = page.locator("form#charter-goal .conflict")
    expect(conflict).to_contain_text("changed by someone else")
    expect(conflict.locator(".conflict-current")).to_have_text("Theirs: under 30 minutes")
    expect(goal.get_by_label("Goal", exact=True)).to_have_value("Mine: under 20 minutes")

    goal.get_by_role("button", name="Save").click()
    expect(page.locator("div#charter-goal .inline-value")).to_have_text(
        "Mine: under 20 minutes")
    assert stored(db, project.key).goal == "Mine: under 20 minutes"
