"""The KPI board in a browser: open it, filter it by site (the filter lands in the URL),
open a KPI and see its chart and status; no content-security-policy violation on the way
(the small charts and icons are inline SVG with presentation attributes only)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from ciapp.kpis import services, summary, values
from ciapp.orgunits import services as orgunits

pytestmark = pytest.mark.browser

EMAIL = "olivia.ops@example.com"
PASSWORD = "kaizen-every-day-42"
CATCH_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective);
});
"""


@pytest.fixture
def kpis(db: Any) -> dict[str, Any]:
    owner = auth_services.create_user(None, email=EMAIL, name="Olivia Ops", role="belt",
                                      password=PASSWORD, belt_level="green")
    north, south = (orgunits.create_site(owner, name) for name in ("North DC", "South DC"))
    made = {}
    for name, site, series in (("Dock-to-stock hours", north, [9.0, 11.0] * 10 + [14.0] * 8),
                               ("Order accuracy", south, [9.0, 11.0] * 15)):
        kpi = services.create_kpi(owner, {"name": name, "better": "lower",
                                          "frequency": "daily", "org_unit_id": site.id})
        first = date.today() - timedelta(days=len(series))
        rows = [values.Row(first + timedelta(days=i), v, None, "")
                for i, v in enumerate(series)]
        values.append(owner, kpi, rows)
        summary.refresh(kpi)
        made[name] = kpi
    db.session.commit()
    return {"north": north, **made}


def test_open_the_board_filter_by_site_and_open_a_kpi(page: Page, live_server: str,
                                                      kpis: dict[str, Any]) -> None:
    page.add_init_script(CATCH_VIOLATIONS)
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="KPIs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KPI board")
    expect(page.locator("article.kpi-tile")).to_have_count(2)

    page.get_by_label("Site").select_option(label="North DC")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"site={kpis['north'].id}"))
    expect(page.locator("article.kpi-tile")).to_have_count(1)
    tile = page.locator("article.kpi-tile")
    expect(tile.get_by_role("img", name="Special cause, concerning")).to_be_visible()

    tile.get_by_role("link", name="Dock-to-stock hours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dock-to-stock hours")
    expect(page.locator("#status")).to_contain_text("Special cause, concerning")
    expect(page.locator("#chart svg").first).to_be_visible()
    assert page.evaluate("window.__violations || []") == []
