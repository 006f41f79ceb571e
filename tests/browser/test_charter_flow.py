"""A belt signs in, creates a project and edits its charter in place with htmx."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from ciapp.auth import services as auth_services
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "dana.belt@example.com"
PASSWORD = "kaizen-every-day-42"


@pytest.fixture
def belt(db: Any) -> None:
    auth_services.create_user(None, email=EMAIL, name="Dana Belt", role="belt",
                              password=PASSWORD, belt_level="green")
    db.session.commit()


def stored(db: Any, key: str) -> Project:
    """The project as the database holds it now, not as this session cached it."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalars(select(Project).where(Project.key == key)).one()


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"127.0.0.1:[0-9]+/$"))  # the start page
    # The whole page, top bar included: a boosted navigation must not get a bare fragment.
    expect(page.locator("header.top .who")).to_contain_text("Dana Belt")


def create_project(page: Page, base: str) -> str:
    page.goto(f"{base}/projects/new")
    page.get_by_label("Title").fill("Cut changeover time on press 4")
    page.get_by_label("Problem statement").fill("Changeovers on press 4 take 47 minutes.")
    page.get_by_label("Primary metric").fill("Changeover time")
    page.get_by_label("Unit").fill("min")
    page.get_by_label("USL", exact=True).fill("60")
    page.get_by_role("button", name="Create project").click()
    expect(page.locator(".flash-success")).to_contain_text("Created")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cut changeover time on press 4")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def edit_inline(page: Page, field: str, label: str, value: str) -> None:
    row = page.locator(f"#charter-{field}")
    row.get_by_role("link", name=f"Edit {label}").click()
    editor = page.locator(f"form#charter-{field}")
    expect(editor).to_be_visible()
    editor.get_by_label(label, exact=True).fill(value)
    editor.get_by_role("button", name="Save").click()


def test_belt_edits_charter_in_place(page: Page, live_server: str, db: Any, belt: None,
                                     screenshot_dir: Path) -> None:
    sign_in(page, live_server)
    key = create_project(page, live_server)
    assert page.evaluate("htmx.version") == "2.0.11"

    # A marker on window survives htmx swaps but not a full page load.
    page.evaluate("window.__noReload = true")

    goal_criterion = page.locator("#gate li", has_text="Goal filled in")
    expect(goal_criterion).to_have_class("unmet")
    edit_inline(page, "goal", "Goal", "Changeover under 20 minutes by March.")
    goal = page.locator("div#charter-goal .inline-value")
    expect(goal).to_have_text("Changeover under 20 minutes by March.")
    # The gate panel and the history follow the edit without a reload.
    expect(goal_criterion).to_have_class("met")
    expect(page.locator("#history")).to_contain_text("Edited goal")
    assert page.evaluate("window.__noReload") is True
    assert stored(db, key).goal == "Changeover under 20 minutes by March."

    # LSL above the USL of 60: the rule across fields answers in place, nothing is saved.
    edit_inline(page, "lsl", "LSL", "75")
    error = page.locator("form#charter-lsl .error")
    expect(error).to_contain_text("must be below USL")
    expect(page.locator("form#charter-lsl .field")).to_have_class(re.compile("has-error"))
    assert page.evaluate("window.__noReload") is True
    assert stored(db, key).lsl is None

    page.screenshot(path=str(screenshot_dir / "project-page.png"), full_page=True)

    # Cancel puts the read-only row back, still without a reload.
    page.locator("form#charter-lsl").get_by_role("link", name="Cancel").click()
    expect(page.locator("div#charter-lsl .inline-value")).to_have_text("—")
    assert page.evaluate("window.__noReload") is True
