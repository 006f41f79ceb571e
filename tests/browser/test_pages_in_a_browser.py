"""What a browser shows: no content-security-policy violation through htmx swaps, refused
forms answered inside their card, and pages that fit a phone's width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from ciapp.auth import services as auth_services
from ciapp.projects import services as project_services
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "lena.lead@example.com"
PASSWORD = "kaizen-every-day-42"
# A pasted link and a part number: nothing to break them at but the layout's own rules.
LONG_URL = ("https://intranet.example.com/quality/nonconformance/reports/2026/"
            "NCR-000123456789-supplier-aluminium-housing-bracket-left-hand-drive-rev-c.pdf")
PART = "PN-7734-XK-0099-REV-C-ALUMINIUMHOUSINGBRACKETASSEMBLYLEFTHANDDRIVE"

# Every CSP violation, as the page's own event sees it (added before any script runs).
CATCH_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective);
});
"""


@pytest.fixture
def project(db: Any) -> Project:
    lead = auth_services.create_user(None, email=EMAIL, name="Lena Lead", role="belt",
                                     password=PASSWORD, belt_level="green")
    project = project_services.create_project(lead, {
        "title": f"Supplier part {PART} rejects", "problem": f"See {LONG_URL} for details.",
        "metric_name": "Reject rate", "metric_unit": "ppm", "usl": 90.0})
    db.session.commit()
    return project


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")  # the start page


def csp_messages(page: Page) -> list[str]:
    seen: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", keep)
    page.add_init_script(CATCH_VIOLATIONS)
    return seen


def test_no_csp_violation_on_the_project_page_or_after_an_inline_edit(
        page: Page, live_server: str, project: Project) -> None:
    console = csp_messages(page)
    sign_in(page, live_server)
    page.goto(f"{live_server}/projects/{project.key}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Supplier part")
    # A textarea the person resized carries an inline style (set through the CSSOM, which
    # the policy allows). The edit below swaps the gate panel, which holds that textarea:
    # htmx must not copy the style over with setAttribute, which the policy forbids.
    page.evaluate("document.getElementById('note').style.height = '12rem'")
    page.get_by_role("link", name="Edit Goal").click()
    editor = page.locator("form", has=page.get_by_role("button", name="Save"))
    editor.get_by_label("Goal", exact=True).fill("Rejects below 50 ppm by June.")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#gate li", has_text="Goal filled in")).to_have_class("met")
    page.wait_for_timeout(300)  # htmx settles 20 ms after the swap
    assert page.evaluate("window.__violations || []") == []
    assert console == []


def test_a_refused_status_change_answers_inside_its_card(page: Page, live_server: str,
                                                         project: Project) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server}/projects/{project.key}")
    page.evaluate("window.__noReload = true")
    status = page.locator("section#status")
    assert status.get_by_label("Action").locator("option").all_inner_texts() == [
        "Put on hold", "Cancel"]  # no Resume on an active project
    status.get_by_role("button", name="Apply").click()  # hold, with no reason given
    expect(page.locator("section#status #reason-error")).to_have_text(
        "Give a reason: it goes into the project's history.")
    assert page.evaluate("window.__noReload") is True  # swapped in place, not reloaded
    assert page.url.endswith(f"/projects/{project.key}")  # the address stayed the project's
    page.locator("section#status").get_by_label("Reason").fill("Supplier strike")
    page.locator("section#status").get_by_role("button", name="Apply").click()
    expect(page.locator(".flash-success")).to_have_text(f"{project.key} is now on hold.")
    expect(page.locator("section#status").get_by_label("Action").locator("option")) \
        .to_have_text(["Resume", "Cancel"])


@pytest.mark.parametrize("width", [390, 1366])
def test_pages_fit_the_screen_with_long_unbroken_text(page: Page, live_server: str,
                                                      project: Project, width: int,
                                                      screenshot_dir: Path) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server)
    for path, name in ((f"/projects/{project.key}", "project"), ("/projects/", "list"),
                       ("/", "start")):
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=str(screenshot_dir / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
    if width < 600:  # on a phone each project is a card of labelled values, not a row
        cell = page.goto(f"{live_server}/projects/") and page.locator("td[data-label=Title]")
        label = cell.first.evaluate("td => getComputedStyle(td, '::before').content")
        assert re.sub(r'^"|"$', "", label) == "Title"
