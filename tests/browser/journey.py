"""What the journey tests share: the people (one signed-in browser context each), the CSV
files a belt uploads, and the recorder that screenshots every step at a laptop's and a
phone's width and checks that the page fits the phone.

Screenshots go to ``test-artifacts/journey/<journey>/NN-step.png`` (and ``-phone.png``) in
the checkout, or under ``CIAPP_JOURNEY_DIR``; CI keeps that folder as its artifact.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from ciapp.auth import services as auth_services

PASSWORD = "walk-the-whole-journey-12"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(os.environ.get("CIAPP_JOURNEY_DIR")
                 or Path(__file__).resolve().parents[2] / "test-artifacts" / "journey")

# The innermost elements that reach past the phone's right edge outside any scrolling
# box, with their ancestors, to name the culprit.
WIDE_ELEMENTS = """() => {
  const w = window.innerWidth, past = (el) => el.getBoundingClientRect().right > w + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const path = (el) => {
    const names = [];
    for (; el && el !== document.body && names.length < 6; el = el.parentElement) {
      names.unshift(name(el));
    }
    return names.join(' > ');
  };
  const clipped = (el) => {  // inside a box that scrolls or clips: not the page's fault
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((el) => past(el) && ![...el.children].some(past) && !clipped(el))
    .slice(0, 3).map(path);
}"""


@dataclass
class Recorder:
    """Screenshots each step twice (laptop, phone) and notes every page wider than a phone."""

    folder: Path
    overflows: list[str] = field(default_factory=list)
    count: int = 0
    timings: list[str] = field(default_factory=list)
    since: float = field(default_factory=time.monotonic)

    def step(self, page: Page, name: str, key: Locator) -> None:
        """The whole page on a laptop; on a phone, the screen with the step's key content
        scrolled into view (a whole 390-pixel page can be ten thousand pixels tall)."""
        expect(key.first).to_be_visible()
        self.count += 1
        stem = f"{self.count:02d}-{name}"
        page.screenshot(path=str(self.folder / f"{stem}.png"), full_page=True)
        page.set_viewport_size(PHONE)
        try:
            expect(key.first).to_be_visible()
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide = page.evaluate(WIDE_ELEMENTS)
                self.overflows.append(f"{stem} ({page.url}): {overflow}px too wide: "
                                      + "; ".join(wide))
            try:
                key.first.scroll_into_view_if_needed()
            except PlaywrightError:  # swapped by htmx while scrolling: once more, settled
                page.wait_for_load_state("networkidle")
                key.first.scroll_into_view_if_needed()
            page.screenshot(path=str(self.folder / f"{stem}-phone.png"))
        finally:
            page.set_viewport_size(LAPTOP)
        now = time.monotonic()
        self.timings.append(f"{stem}: {now - self.since:.1f}s")
        self.since = now

    def assert_fits_a_phone(self) -> None:
        # Seconds from one step to the next, to keep an eye on the journey's pace.
        (self.folder / "timings.txt").write_text("\n".join(self.timings) + "\n")
        assert self.overflows == [], "pages wider than a phone:\n" + "\n".join(self.overflows)


def recorder(journey: str) -> Recorder:
    folder = ARTIFACTS / journey
    shutil.rmtree(folder, ignore_errors=True)  # only this run's screenshots
    folder.mkdir(parents=True, exist_ok=True)
    return Recorder(folder)


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: str
    belt: str = "none"


def create_people(people: dict[str, Person]) -> dict[str, Any]:
    return {key: auth_services.create_user(None, email=p.email, name=p.name, role=p.role,
                                           password=PASSWORD, belt_level=p.belt)
            for key, p in people.items()}


@pytest.fixture
def open_as(browser: Browser, browser_context_args: dict[str, Any], live_server: str,
            request: pytest.FixtureRequest) -> Iterator[Callable[[Person], Page]]:
    """A signed-in page in a browser context of its own: several people at once, as in an
    office, without signing out and in between the steps. When the test fails, each
    person's page as it was goes to test-artifacts/journey/failed/."""
    contexts: list[tuple[Person, Any]] = []
    failed_before = request.session.testsfailed
    for stale in (ARTIFACTS / "failed").glob(f"{request.node.originalname}-*.png"):
        stale.unlink()  # from an earlier failed run of this test

    def sign_in(person: Person) -> Page:
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(15_000)
        contexts.append((person, context))
        page = context.new_page()
        page.goto(f"{live_server}/auth/login")
        page.get_by_label("E-mail").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("header.top .who")).to_contain_text(person.name)
        return page

    yield sign_in
    # The call's report is counted before teardown, so a failure shows here.
    failed = request.session.testsfailed > failed_before
    folder = ARTIFACTS / "failed"
    for person, context in contexts:
        if failed:
            folder.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                name = f"{request.node.originalname}-{person.email.split('@')[0]}.png"
                page.screenshot(path=str(folder / name), full_page=True)
        context.close()


def measurements(seed: int, start: date, stages: list[tuple[str, int, float, float]]) -> str:
    """A CSV of daily measurements: (stage, points, mean, spread) in turn.

    Values are seeded normal draws (standard deviation spread / 2) cut at the mean +/- the
    spread, so no point falls far beyond the limits of its own stage, a normality test
    passes and the file is the same on every run.
    """
    rng = random.Random(seed)
    lines, day = ["Date,Minutes,Stage"], start
    for stage, n, mean, spread in stages:
        for _ in range(n):
            value = mean + max(-spread, min(spread, rng.gauss(0, spread / 2)))
            lines.append(f"{day.isoformat()},{value:.1f},{stage}")
            day += timedelta(days=1)
    return "\n".join(lines) + "\n"


def kpi_with_a_shift(owner: Any, name: str) -> Any:
    """A daily KPI whose last eight days sit well above its usual level: the board flags
    it as a special cause (the operation's history, there before the journey starts)."""
    from ciapp.kpis import services, summary, values

    kpi = services.create_kpi(owner, {"name": name, "better": "lower", "frequency": "daily",
                                      "unit": "h", "target": 10})
    series = [9.0, 11.0] * 10 + [14.0] * 8
    first = date.today() - timedelta(days=len(series))
    values.append(owner, kpi, [values.Row(first + timedelta(days=i), v, None, "")
                               for i, v in enumerate(series)])
    summary.refresh(kpi)
    return kpi
