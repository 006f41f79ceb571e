"""Leadership opens the benefits summary, narrows it to one site, and downloads the XLSX of
the benefit lines behind it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from ciapp.auth import services as auth_services
from tests.browser.test_benefits_flow import PASSWORD, sign_in
from tests.leadership.conftest import programme  # noqa: F401  the fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(db: Any, programme: Any) -> dict[str, Any]:  # noqa: F811
    auth_services.create_user(None, email="lena.leader@example.com", name="Lena Leader",
                              role="viewer", password=PASSWORD)
    db.session.commit()
    return programme


def test_summary_by_site_and_its_xlsx(page: Page, live_server: str, reader: Any) -> None:
    base = live_server
    sign_in(page, base, "lena.leader@example.com")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Benefits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefits summary")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"year=2026"))
    expect(page.locator("#totals-h")).to_have_text("2026")
    expect(page.locator("section.totals")).to_contain_text("2,333.34")

    north = reader["north"].name
    page.get_by_label("Site", exact=True).select_option(label=north)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"site={reader['north'].id}"))
    expect(page.locator("#totals-h")).to_have_text(f"2026, {north}")
    expect(page.locator("section.totals")).to_contain_text("1,200.00")
    expect(page.locator("section.totals")).not_to_contain_text("2,333.34")

    with page.expect_download() as caught:
        page.get_by_role("link", name="XLSX").first.click()
    download = caught.value
    assert download.suggested_filename == "benefits-2026.xlsx"
    data = io.BytesIO(Path(download.path()).read_bytes())
    rows = CalamineWorkbook.from_filelike(data).get_sheet_by_name("Benefit lines").to_python()
    projects = {r[1] for r in rows[1:]}
    assert projects == {reader["p1"].key}  # the site's lines only
