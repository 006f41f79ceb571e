"""A belt builds a 5-Whys chain and a fishbone cause in place (htmx), verifies the root
cause, then opens the project's A3 and finds them there, drawn and listed, with no content
security policy violation from the inline charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from ciapp.auth import services as auth_services
from ciapp.projects import services as project_services
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "ada.a3@example.com"
PASSWORD = "one-page-tells-it-all-3"
WHY = "The die is set by eye"
CAUSE = "No height gauge at the press"


@pytest.fixture
def project(db: Any) -> Project:
    lead = auth_services.create_user(None, email=EMAIL, name="Ada Athree", role="belt",
                                     password=PASSWORD, belt_level="green")
    created = project_services.create_project(lead, {
        "title": "Shorter die changes", "problem": "Die changes take 47 minutes."})
    db.session.commit()
    return created


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header.top .who")).to_be_visible()


def build_a_why_chain(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/projects/{key}/rootcause")
    page.get_by_label("Problem statement").fill("Die changes take 47 minutes")
    page.get_by_role("button", name="Start a 5-Whys chain").click()
    chain = page.locator("section.chain")
    expect(chain.get_by_role("heading", level=2)).to_have_text(
        "Problem: Die changes take 47 minutes")
    chain.get_by_label("Why does the problem happen?").fill(WHY)
    chain.get_by_role("button", name="Add a why").click()
    why = page.locator("li.why", has_text=WHY)
    expect(why).to_be_visible()
    why.get_by_role("button", name="Root cause", exact=True).click()
    expect(why.locator(".badge")).to_have_text("Root cause")
    why.get_by_text("Verify", exact=True).click()
    why.get_by_label("Verified").check()
    why.get_by_label("Evidence").fill("Trial: 12 die changes with a gauge, one setting each")
    why.get_by_role("button", name="Save").click()
    expect(page.locator("li.why", has_text=WHY).locator(".badge")).to_have_text(
        "Root cause · verified")


def add_a_fishbone_cause(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/projects/{key}/fishbone")
    page.get_by_role("button", name="Start the fishbone (the 6 Ms)").click()
    machine = page.locator("section.category", has=page.get_by_role("heading",
                                                                     name="Machine"))
    machine.get_by_label("A cause under Machine").fill(CAUSE)
    machine.get_by_role("button", name="Add cause").click()
    expect(page.locator("section.category", has_text="Machine").locator(".cause-text")
           ).to_have_text(CAUSE)


def test_whys_and_a_cause_built_in_place_show_on_the_a3(page: Page, live_server: str,
                                                        project: Project,
                                                        screenshot_dir: Path) -> None:
    violations: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", keep)
    sign_in(page, live_server)
    build_a_why_chain(page, live_server, project.key)
    add_a_fishbone_cause(page, live_server, project.key)

    page.goto(f"{live_server}/projects/{project.key}")
    violations.clear()  # the A3's own: the inline charts carry no style attribute
    page.get_by_role("link", name="A3 summary").click()

    sheet = page.locator("article.a3-sheet")
    expect(sheet.get_by_role("heading", level=1)).to_have_text("Shorter die changes")
    root = sheet.locator("section.a3-rootcause")
    expect(root.locator("ol.a3-whys li")).to_have_text(
        f"Why? {WHY} verified root cause")
    expect(root.locator("p.a3-root")).to_contain_text(
        "verified — Trial: 12 die changes with a gauge, one setting each")
    expect(root.locator("figure.a3-fishbone svg text", has_text=CAUSE)).to_have_count(1)
    expect(sheet.locator("section.a3-benefits")).to_contain_text("No benefits recorded yet.")
    expect(page.get_by_role("link", name="Download PDF")).to_have_attribute(
        "href", f"/projects/{project.key}/a3.pdf")
    page.screenshot(path=str(screenshot_dir / "a3.png"), full_page=True)
    assert violations == []
