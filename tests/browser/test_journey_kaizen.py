"""The whole Kaizen journey in a browser, through the Kaizen event's own phases and gates
(Scope / charter, Current state, Root cause, Countermeasures, Sustain / follow-up): a belt
scopes the event and measures the current state; the council approves each gate; the team
finds the root cause on the fishbone and verifies it, puts its countermeasures in place and
shows a significant improvement; the saving is estimated from that before/after result and
finance validates it; the council closes the event; leadership sees the validated and backed
saving in the summary and opens the A3; an operations manager starts an event from a KPI the
board flags.

Every step is screenshotted at a laptop's and a phone's width under
test-artifacts/journey/kaizen/, and every page must fit the phone without sideways scrolling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ciapp.orgunits import services as orgunits
from tests.browser import journey_steps as steps
from tests.browser.journey import (
    Person,
    create_people,
    kpi_with_a_shift,
    measurements,
    open_as,  # noqa: F401  the fixture
    recorder,
)

# About two minutes on a quiet machine, more on a busy one: above the suite's 120 s.
# This year's benefits, so the summary's default year (this one) shows them.
JANUARY, THIS_MONTH = f"{date.today().year}-01", date.today().strftime("%Y-%m")
pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PEOPLE = {
    "belt": Person("kenji.belt@example.com", "Kenji Watanabe", "belt", "black"),
    "member": Person("rosa.member@example.com", "Rosa Lindqvist", "member"),
    "council": Person("amara.council@example.com", "Amara Nwosu", "council", "master_black"),
    "finance": Person("paul.finance@example.com", "Paul Meyer", "finance"),
    "leader": Person("ingrid.leader@example.com", "Ingrid Solberg", "viewer"),
    "ops": Person("hugo.ops@example.com", "Hugo Lambert", "belt", "green"),
}
SITE = "Riverside DC"
TITLE = "Load a truck in under 40 minutes"
CHARTER = {
    "title": TITLE, "methodology": "Kaizen event", "site": SITE,
    "lead": PEOPLE["belt"].name,
    "Problem statement": "Loading a truck at dock 3 takes 52 minutes; drivers wait.",
    "Goal": "Every truck loaded in under 40 minutes within the event week.",
    "In scope": "Dock 3, outbound trucks of the day shift.",
    "Out of scope": "Inbound receiving.",
    "Business case": "Detention fees of 1,800 a month and two missed slots a week.",
    "metric": "Truck loading time", "unit": "min", "usl": "60", "target": "35",
}
DATASET = "Loading minutes, dock 3"
BASELINE = [("baseline", 25, 52.0, 5.0)]
AFTER = [("after change", 25, 37.0, 4.0)]
SUSTAIN = [("sustain", 20, 36.5, 4.0)]
CAUSE = "Pallets staged in pick order, not load order"
COMPARISON = "Before/after: load-order staging"
KPI = "Trucks leaving late"
PHASES = ["Scope / charter", "Current state", "Root cause", "Countermeasures",
          "Sustain / follow-up"]


@pytest.fixture
def setting(db: Any) -> dict[str, Any]:
    people = create_people(PEOPLE)
    orgunits.create_site(people["council"], SITE)
    kpi_with_a_shift(people["ops"], KPI)
    db.session.commit()
    return people


def gate(belt: Page, council: Page, base: str, key: str, leaving: int, note: str) -> None:
    """The belt asks for the gate leaving PHASES[leaving]; the council approves it."""
    steps.request_gate(belt, base, key, note)
    steps.approve_gate(council, base, key, TITLE, f"Approved: {note}")
    if leaving + 1 < len(PHASES):
        expect(council.locator("#gate-h")).to_contain_text(f"leaving {PHASES[leaving + 1]}")


def test_kaizen_event_from_scope_to_closed_and_a_kpi_shift(
        open_as: Callable[[Person], Page], live_server: str,  # noqa: F811
        setting: dict[str, Any], tmp_path: Path) -> None:
    base, shots = live_server, recorder("kaizen")
    belt = open_as(PEOPLE["belt"])
    council = open_as(PEOPLE["council"])

    # Scope / charter.
    key = steps.create_project(belt, base, CHARTER)
    expect(belt.get_by_role("list", name="Phases")).to_have_text(
        re.compile(r"\s*".join(map(re.escape, PHASES))))
    expect(belt.locator(".phase-track [aria-current=step]")).to_have_text("Scope / charter")
    steps.add_team_member(belt, PEOPLE["member"].name, "Dock lead")
    shots.step(belt, "charter", belt.locator("#charter"))
    steps.set_sponsor(council, base, key, PEOPLE["council"].name)
    expect(belt.locator("#gate-h")).to_contain_text("leaving Scope / charter")
    gate(belt, council, base, key, 0, "Event week agreed with the dock team.")
    shots.step(council, "scope-gate-approved", council.locator("#gate ul.reviews"))

    # Current state: a week of loading times, their chart and capability.
    baseline = tmp_path / "loading-baseline.csv"
    baseline.write_text(measurements(11, date(2026, 8, 3), BASELINE))
    belt.goto(f"{base}/projects/{key}")
    steps.upload_data(belt, baseline, DATASET)
    belt.get_by_role("link", name="Control chart").click()
    expect(belt.locator("#chart-figure svg")).to_be_visible(timeout=30_000)
    expect(belt.locator("#analysis")).to_contain_text("individuals (I) chart")
    shots.step(belt, "current-state-chart", belt.locator("#chart-figure svg"))
    steps.save_as_evidence(belt, "Current state I-MR chart")
    steps.open_dataset(belt, base, key, DATASET)
    belt.get_by_role("link", name="Capability").click()
    expect(belt.locator("tr", has_text="Ppk")).to_be_visible(timeout=30_000)
    shots.step(belt, "current-state-capability", belt.locator("#indices-h"))
    steps.save_as_evidence(belt, "Current state capability")
    gate(belt, council, base, key, 1, "Current state measured on 25 trucks.")

    # Root cause: a short why chain, the fishbone, the cause verified on the fishbone.
    steps.build_whys(belt, base, key, "Trucks take 52 minutes to load",
                     ["Loaders walk the dock to find the next pallet",
                      "The staging lanes follow the pick order"],
                     "Time study: 31% of loading time is walking between lanes")
    steps.add_fishbone(belt, base, key, {"Method": CAUSE,
                                         "Machine": "One pallet jack for two loaders"})
    steps.verify_cause(belt, CAUSE, "Trial on 6 trucks staged in load order: 38 minutes",
                       "Current state I-MR chart")
    shots.step(belt, "fishbone-verified", belt.locator("li.cause", has_text=CAUSE))
    belt.goto(f"{base}/projects/{key}/rootcause")
    expect(belt.locator("section", has=belt.get_by_role("heading", name="Root causes"))
           ).to_contain_text(CAUSE)
    shots.step(belt, "root-causes", belt.get_by_role("heading", name="Root causes"))
    gate(belt, council, base, key, 2, "Both root causes verified by trials.")

    # Countermeasures: one for each verified root cause, done; the after data; the test.
    today = date.today().isoformat()
    steps.add_countermeasure(belt, base, key, "Stage pallets in load order", CAUSE,
                             "Repaint the staging lanes by truck stop", PEOPLE["member"].name,
                             today)
    steps.add_countermeasure(belt, base, key, "Pallet location board at the dock",
                             "The staging lanes follow the pick order",
                             "Hang the board and brief the loaders", PEOPLE["member"].name,
                             today)
    shots.step(belt, "countermeasures", belt.locator("article.countermeasure").first)
    after = tmp_path / "loading-after.csv"
    after.write_text(measurements(12, date(2026, 9, 7), AFTER))
    steps.append_data(belt, base, key, DATASET, after, 25)
    verdict = steps.compare(belt, "baseline", "after change")
    expect(verdict).to_contain_text("a significant improvement at alpha 0.05")
    expect(verdict).to_contain_text(re.compile(r"The mean fell from 5\d\.\d+ to 3\d\.\d+ min"))
    shots.step(belt, "before-after-verdict", verdict)
    steps.save_as_evidence(belt, COMPARISON)
    gate(belt, council, base, key, 3, "Loading down by a quarter.")

    # Sustain / follow-up: sustain data, control plan, the saving estimated from the test.
    sustain = tmp_path / "loading-sustain.csv"
    sustain.write_text(measurements(13, date(2026, 10, 5), SUSTAIN))
    steps.append_data(belt, base, key, DATASET, sustain, 20)
    steps.add_control_plan(belt, base, key, {
        "Process step": "Staging", "Characteristic": "Loading time",
        "Reaction plan": "Over 45 minutes: the dock lead walks the lanes with the loaders.",
        "Control method": "I-MR chart", "Data set": DATASET, "Owner": PEOPLE["member"].name})
    steps.write_lessons(belt, "Stage for the truck, not for the picker.")
    shots.step(belt, "control-plan", belt.locator("#control-plan article.control-row"))
    card = steps.estimate_benefit(belt, base, key, {
        "record_id": COMPARISON, "category": "Hard savings",
        "description": "Detention fees avoided at dock 3",
        "method": "Minutes saved per truck x trucks a year x fee per minute",
        "unit_cost": "0.75", "volume": "6000", "quantity_unit": "truck-minutes",
        "start_month": JANUARY}, realized=(THIS_MONTH, "6000.00"))
    shots.step(belt, "benefit-estimated", card)

    finance = open_as(PEOPLE["finance"])
    steps.validate_benefits(finance, "Detention fees avoided at dock 3", "Per the carrier bills")
    gate(belt, council, base, key, 4, "Held for 20 trucks; savings validated.")
    expect(council.locator("#gate")).to_contain_text("This project is closed.")
    expect(council.locator(".phase-track li.done")).to_have_count(5)
    shots.step(council, "closed", council.locator("#gate"))

    # Leadership: the saving is validated and backed by the test; the A3.
    leader = open_as(PEOPLE["leader"])
    leader.get_by_role("navigation", name="Main").get_by_role("link", name="Benefits").click()
    expect(leader.locator("#backed")).to_contain_text("100%")
    method = leader.locator("section", has=leader.get_by_role("heading", name="By methodology"))
    expect(method.locator("tr", has_text="Kaizen")).to_contain_text("6,000.00 EUR")
    shots.step(leader, "leadership-summary", leader.locator("#backed"))
    leader.locator("ol.top li", has_text=key).get_by_role("link", name=key).click()
    leader.get_by_role("link", name="A3 summary").click()
    sheet = leader.locator("article.a3-sheet")
    expect(sheet.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(sheet.locator("section.a3-rootcause")).to_contain_text(CAUSE)
    shots.step(leader, "a3", sheet)

    # Operations: a KPI shift on the board starts the next event.
    ops = open_as(PEOPLE["ops"])
    ops.get_by_role("link", name="KPIs").click()
    tile = ops.locator("article.kpi-tile", has_text=KPI)
    expect(tile.get_by_role("img", name="Special cause, concerning")).to_be_visible()
    shots.step(ops, "kpi-board", tile)
    tile.get_by_role("link", name=KPI).click()
    ops.get_by_label("Project title").fill("Trucks on time again")
    ops.get_by_role("button", name="Start an improvement").click()
    expect(ops.get_by_role("heading", level=1)).to_have_text("Trucks on time again")
    expect(ops.locator("#data")).to_contain_text(KPI)
    expect(ops.locator("div#charter-metric_name .inline-value")).to_have_text(KPI)
    shots.step(ops, "project-from-kpi", ops.locator("#data"))
    shots.assert_fits_a_phone()
