"""A lead claims a saving in the browser and submits it; finance approves it from the queue
linked on its start page; the figure is then locked for the lead."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "kaizen-every-day-42"


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    lead = auth_services.create_user(None, email="lee.lead@example.com", name="Lee Lead",
                                     role="belt", password=PASSWORD)
    auth_services.create_user(None, email="fin.val@example.com", name="Fin Validator",
                              role="finance", password=PASSWORD)
    project = factories.project(lead, complete=True)
    db.session.commit()
    return {"key": project.key}


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"127.0.0.1:[0-9]+/$"))


def test_claim_submit_approve_lock(page: Page, live_server: str,
                                   people: dict[str, Any]) -> None:
    base, key = live_server, people["key"]
    sign_in(page, base, "lee.lead@example.com")
    page.goto(f"{base}/projects/{key}")
    page.locator("#benefits").get_by_role("link", name="Benefits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits")

    page.get_by_text("Add a benefit line").click()
    form = page.locator("#new-line")
    form.get_by_label("Description").fill("Less scrap on line 3")
    form.get_by_label("Quantity a year").fill("1200")
    form.get_by_label("Value per unit").fill("2.50")
    form.get_by_label("First month of the benefit").fill("2026-01")
    form.get_by_role("button", name="Add line").click()
    line = page.locator("article.benefit-line")
    expect(line).to_contain_text("= 3,000.00 EUR a year")
    # in place: one field, saved; the figures and the buttons' versions follow
    line.get_by_role("link", name="Edit Quantity a year").click()
    # exact: the Edit link is labelled "Edit Quantity a year" until htmx swaps the form in
    line.get_by_label("Quantity a year", exact=True).fill("1300")
    line.get_by_role("button", name="Save", exact=True).click()
    expect(line).to_contain_text("= 3,250.00 EUR a year")
    line.get_by_role("button", name="Submit projected figure to finance").click()
    expect(page.locator("article.benefit-line")).to_contain_text("Waiting for finance")

    page.context.clear_cookies()
    sign_in(page, base, "fin.val@example.com")
    page.get_by_role("link", name="Benefits waiting for validation").click()
    card = page.locator("article.benefit-line")
    expect(card).to_contain_text("Less scrap on line 3")
    card.get_by_label("Comment (needed to return)").fill("Matches the scrap report")
    card.get_by_role("button", name="Approve and lock").click()
    expect(page.get_by_text("Nothing is waiting for validation.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, base, "lee.lead@example.com")
    page.goto(f"{base}/projects/{key}/benefits")
    line = page.locator("article.benefit-line")
    expect(line).to_contain_text("Projected: Validated")
    expect(line).to_contain_text("Matches the scrap report")
    expect(line.get_by_role("link", name=re.compile("^Edit "))).to_have_count(0)  # locked
    expect(line.get_by_role("button", name=re.compile("Reopen the validated"))).to_be_visible()
