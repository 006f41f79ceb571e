"""A belt attaches a photo to a project in a real browser: the thumbnail loads under the
app's content security policy, the link downloads the file rather than opening it, and an
executable renamed to .png is refused on the page with the reason."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from ciapp.auth import services as auth_services
from ciapp.projects import services as project_services
from ciapp.projects.models import Project

pytestmark = pytest.mark.browser

EMAIL = "ada.attach@example.com"
PASSWORD = "photos-or-it-did-not-happen"


@pytest.fixture
def project(db: Any) -> Project:
    lead = auth_services.create_user(None, email=EMAIL, name="Ada Attach", role="belt",
                                     password=PASSWORD, belt_level="green")
    project = project_services.create_project(lead, {"title": "Jams at station 4"})
    db.session.commit()
    return project


def test_attach_a_photo_see_its_thumbnail_and_download_it(page: Page, live_server: str,
                                                          project: Project, tmp_path: Path,
                                                          screenshot_dir: Path) -> None:
    photo, fake = tmp_path / "jam.png", tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 114, 178)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    fake.write_bytes(Path("/bin/true").read_bytes())
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")  # signed in
    page.goto(f"{live_server}/projects/{project.key}")

    card = page.locator("#attachments")
    card.get_by_text("Attach a photo or document").click()
    card.get_by_label("File").set_input_files(str(photo))
    card.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_have_text("Attached jam.png.")
    thumbnail = page.locator("#attachments img")
    page.wait_for_function("img => img.complete && img.naturalWidth === 64",
                           arg=thumbnail.element_handle())
    page.screenshot(path=str(screenshot_dir / "attachments-card.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("#attachments").get_by_role("link", name="jam.png").click()
    assert download.value.suggested_filename == "jam.png"
    assert Path(download.value.path()).read_bytes() == photo.read_bytes()

    card = page.locator("#attachments")
    card.get_by_text("Attach a photo or document").click()
    card.get_by_label("File").set_input_files(str(fake))
    card.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "by its content it is an executable program (ELF)")
    expect(page.locator("img")).to_have_count(1)  # the photo only: nothing new was kept
