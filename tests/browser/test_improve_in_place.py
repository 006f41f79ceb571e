"""The improve page in a real browser: an action marked done in place shows its completion
date at once, and a due date before the action was created is refused beside the field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from ciapp.improve import services as improve
from ciapp.improve.models import ActionItem
from ciapp.projects import services as projects

pytestmark = pytest.mark.browser

EMAIL = "ivo.improve@example.com"
PASSWORD = "in-the-room-with-htmx-3"


@pytest.fixture
def action(db: Any) -> tuple[ActionItem, str]:
    lead = auth_services.create_user(None, email=EMAIL, name="Ivo Improve", role="belt",
                                     password=PASSWORD, belt_level="green")
    project = projects.create_project(lead, {"title": "Fewer late trucks"})
    cm = improve.create_countermeasure(lead, project, "Fixed loading slots", [])
    made = improve.add_action(lead, cm, "Train drivers", lead.id,
                              improve.today() + timedelta(days=7))
    db.session.commit()
    return made, project.key


def test_an_action_edited_in_place(page: Page, live_server: str, db: Any,
                                   action: tuple[ActionItem, str],
                                   screenshot_dir: Path) -> None:
    made, key = action
    row = f"#action-{made.id}"
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header.top .who")).to_be_visible()
    page.goto(f"{live_server}/projects/{key}/improve")

    page.locator(f"{row}-status").get_by_role("link", name="Edit Status").click()
    page.locator(f"form{row}-status").get_by_label("Status").select_option("Done")
    page.locator(f"form{row}-status").get_by_role("button", name="Save").click()
    expect(page.locator(f"div{row}-status .inline-value")).to_have_text("Done")
    expect(page.locator(f"{row}-state")).to_have_text(
        f"Completed {improve.today().isoformat()}")

    early = (made.created_at.date() - timedelta(days=3)).isoformat()
    page.locator(f"{row}-due_date").get_by_role("link", name="Edit Due").click()
    page.locator(f"form{row}-due_date").get_by_label("Due").fill(early)
    page.locator(f"form{row}-due_date").get_by_role("button", name="Save").click()
    expect(page.locator(f"form{row}-due_date [role=alert]")).to_contain_text(
        "is before the action was created")
    page.screenshot(path=str(screenshot_dir / "improve-in-place.png"), full_page=True)
    db.session.rollback()
    db.session.expire_all()
    saved = db.session.get(ActionItem, made.id)
    assert saved.status == "done" and saved.due_date.isoformat() != early
