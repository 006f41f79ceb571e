"""A belt brings a CSV into a project in a real browser: upload, see how each column was
read, map the columns, save; then the control chart shows the shift as a signal whose
tooltip says which rule, and its point opens the row to exclude it with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from ciapp.projects import services as project_services
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "bea.belt@example.com"
PASSWORD = "measure-twice-cut-once"
# Fill weights with a decimal comma and a semicolon, as a German Excel saves them; point 18
# is far above the others (a rule 1 signal on any individuals chart).
WEIGHTS = [500.2, 499.8, 500.5, 500.1, 499.6, 500.3, 500.0, 499.9, 500.4, 499.7,
           500.2, 500.1, 499.8, 500.3, 500.0, 499.9, 500.2, 508.9, 500.1, 499.8]
CSV = "Datum;Gewicht (g)\n" + "".join(
    f"{d + 1:02d}.03.2026;{str(w).replace('.', ',')}\n" for d, w in enumerate(WEIGHTS))


@pytest.fixture
def project(db: Any) -> Project:
    lead = auth_services.create_user(None, email=EMAIL, name="Bea Belt", role="belt",
                                     password=PASSWORD, belt_level="green")
    project = project_services.create_project(lead, {
        "title": "Overfill on filler 2", "metric_name": "Fill weight", "metric_unit": "g"})
    db.session.commit()
    return project


def test_upload_map_save_and_see_the_signal_on_the_chart(page: Page, live_server: str,
                                                         project: Project, tmp_path: Path,
                                                         screenshot_dir: Path) -> None:
    upload = tmp_path / "fuellgewicht.csv"
    upload.write_bytes(CSV.encode("cp1252"))
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")  # the start page
    page.goto(f"{live_server}/projects/{project.key}")
    page.locator("#data").get_by_role("link", name="Add data").click()

    page.get_by_label("CSV or Excel file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    read = page.locator("#columns-read")
    expect(read.locator("tr", has_text="Gewicht (g)")).to_contain_text("number")
    expect(read.locator("tr", has_text="Gewicht (g)")).to_contain_text("“,”")
    expect(read.locator("tr", has_text="Datum")).to_contain_text("DD.MM.YYYY")
    page.screenshot(path=str(screenshot_dir / "import-preview.png"), full_page=True)

    # Another kind of data re-reads the preview in place with that kind's roles.
    page.get_by_label("Kind of data").select_option("categories")
    expect(page.get_by_label("Category", exact=True)).to_be_visible()
    # htmx has swapped and set up the new preview (its select listens for changes again)
    # only when none of its request, swap or settle classes is left: a change made
    # before that (a test is quicker than a person) fires no request.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.get_by_label("Kind of data").select_option("continuous")
    expect(page.get_by_label("Timestamp")).to_be_visible()
    page.get_by_label("Value").select_option("Gewicht (g)")
    page.get_by_label("Timestamp").select_option("Datum")
    page.get_by_label("Name").fill("Fill weight, filler 2")
    page.get_by_label("Unit").fill("g")
    page.get_by_role("button", name="Save the data set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fill weight, filler 2")
    expect(page.locator("#rows tbody tr")).to_have_count(20)

    page.get_by_role("link", name="Control chart").click()
    expect(page.locator("#chart-figure svg")).to_be_visible(timeout=30_000)  # a first draw
    signal = page.locator("#chart-figure g.point title", has_text="rule 1")
    expect(signal).to_have_count(1)
    tooltip = signal.text_content() or ""
    assert "508.9" in tooltip and "#18" in tooltip, tooltip
    page.screenshot(path=str(screenshot_dir / "import-chart.png"), full_page=True)

    # Clicking the point opens its row (the marker is the link).
    page.locator("#chart-figure a", has=page.locator("title", has_text="rule 1")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Point 18")
    page.get_by_label("Reason").fill("Scale not tared after cleaning")
    page.get_by_role("button", name="Exclude point 18").click()
    expect(page.locator("#excluded-note")).to_contain_text("Scale not tared after cleaning")
