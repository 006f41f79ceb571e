"""The whole DMAIC journey in a browser, as its people walk it: a belt opens a project,
writes the charter, uploads baseline data and sees its chart and capability, and asks for
each gate; a council member approves each; the belt finds and verifies a root cause, puts
countermeasures in place, shows a significant improvement, writes the control plan and the
benefits; finance validates them; the council closes the project; leadership finds it in the
benefits summary and opens its A3; an operations manager sees a KPI shift on the board and
starts a project from it.

Every step is screenshotted at a laptop's and a phone's width under
test-artifacts/journey/dmaic/, and every page must fit the phone without sideways scrolling.
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
    "belt": Person("dana.okoye@example.com", "Dana Okoye", "belt", "green"),
    "member": Person("tariq.member@example.com", "Tariq Haddad", "member"),
    "council": Person("carmen.council@example.com", "Carmen Ruiz", "council", "black"),
    "finance": Person("fiona.finance@example.com", "Fiona Grant", "finance"),
    "leader": Person("leo.leader@example.com", "Leo Marsh", "viewer"),
    "ops": Person("olga.ops@example.com", "Olga Petrova", "belt", "yellow"),
}
SITE = "Northfield Plant"
TITLE = "Cut changeover time on press 4"
CHARTER = {
    "title": TITLE, "methodology": "DMAIC project", "site": SITE,
    "sponsor": PEOPLE["council"].name, "lead": PEOPLE["belt"].name,
    "Problem statement": "Changeovers on press 4 take 47 minutes on average.",
    "Goal": "Changeovers under 30 minutes by March.",
    "In scope": "Press 4, all dies of the door-handle family.",
    "Out of scope": "Presses 1 to 3.",
    "Business case": "Each minute saved frees 40 hours of press time a year.",
    "metric": "Changeover time", "unit": "min", "usl": "60", "target": "25",
}
DATASET = "Changeover minutes, press 4"
BASELINE = [("baseline", 25, 47.0, 4.0)]
AFTER = [("after change", 25, 29.0, 3.0)]
SUSTAIN = [("sustain", 20, 28.5, 3.0)]
WHYS = ["Setters adjust the die height several times",
        "The height is set by eye",
        "Press 4 has no height gauge"]
CONTROL_ROW = {
    "Process step": "Die change", "Characteristic": "Changeover time",
    "Specification": "under 30 min", "Measurement method": "Press log, start to first good part",
    "Sample size": "every changeover", "Frequency": "each changeover",
    "Control method": "I-MR chart", "Data set": DATASET,
    "Reaction plan": "Over 35 minutes: the shift lead checks the gauge the same day.",
    "Owner": "Tariq Haddad",
}
BENEFIT = {"Category": "Hard savings", "Description": "Press time freed on press 4",
           "Calculation in words": "18 minutes saved x 1,200 changeovers a year x 25.00 "
                                   "per press minute / 18",
           "Quantity a year": "1200", "Unit of the quantity": "changeovers",
           "Value per unit": "25.00", "First month of the benefit": JANUARY}
KPI = "Dock-to-stock hours"


@pytest.fixture
def setting(db: Any) -> dict[str, Any]:
    people = create_people(PEOPLE)
    orgunits.create_site(people["council"], SITE)
    kpi_with_a_shift(people["ops"], KPI)
    db.session.commit()
    return people


def test_dmaic_from_charter_to_closed_and_a_kpi_shift(
        open_as: Callable[[Person], Page], live_server: str,  # noqa: F811
        setting: dict[str, Any], tmp_path: Path) -> None:
    base, shots = live_server, recorder("dmaic")
    belt = open_as(PEOPLE["belt"])
    council = open_as(PEOPLE["council"])

    # Define: the charter, the team, the sponsor, the gate.
    key = steps.create_project(belt, base, CHARTER)
    steps.edit_in_place(belt, belt.locator("#charter"), "Goal",
                        "Changeovers under 25 minutes by March.")
    shots.step(belt, "charter", belt.locator("#charter"))
    steps.add_team_member(belt, PEOPLE["member"].name, "Die setter")
    steps.set_sponsor(council, base, key, PEOPLE["council"].name)
    steps.edit_whole_charter(belt, base, key, "Out of scope", "Presses 1 to 3 and the dies' "
                             "own repairs.", PEOPLE["council"].name)
    steps.request_gate(belt, base, key, "Charter agreed with Carmen on Monday.")
    shots.step(belt, "define-gate-requested", belt.locator("#gate .pending"))
    steps.approve_gate(council, base, key, TITLE, "Good charter; go and measure.")
    expect(council.locator("#gate-h")).to_contain_text("leaving Measure")
    shots.step(council, "define-gate-approved", council.locator("#gate ul.reviews"))

    # Measure: baseline data, its chart and capability, saved as evidence.
    baseline = tmp_path / "changeovers-baseline.csv"
    baseline.write_text(measurements(4, date(2026, 8, 1), BASELINE))
    belt.goto(f"{base}/projects/{key}")
    steps.upload_data(belt, baseline, DATASET)
    expect(belt.locator("#rows tbody tr")).to_have_count(25)
    shots.step(belt, "baseline-uploaded", belt.locator("#rows"))
    belt.get_by_role("link", name="Control chart").click()
    expect(belt.locator("#chart-figure svg")).to_be_visible(timeout=30_000)
    expect(belt.locator("#analysis")).to_contain_text("individuals (I) chart")
    shots.step(belt, "baseline-chart", belt.locator("#chart-figure svg"))
    steps.save_as_evidence(belt, "Baseline I-MR chart")
    expect(belt.get_by_text("every number agrees")).to_be_visible()
    steps.open_dataset(belt, base, key, DATASET)
    belt.get_by_role("link", name="Capability").click()
    expect(belt.locator("#indices-h")).to_be_visible(timeout=30_000)
    expect(belt.locator("tr", has_text="Cpk").first).to_contain_text(re.compile(r"\d\.\d{3}"))
    shots.step(belt, "baseline-capability", belt.locator("#indices-h"))
    steps.save_as_evidence(belt, "Baseline capability against USL 60")
    steps.request_gate(belt, base, key, "25 changeovers measured; chart stable.")
    steps.approve_gate(council, base, key, TITLE, "Baseline is clear.")
    expect(council.locator("#gate-h")).to_contain_text("leaving Analyze")

    # Analyze: a 5-Whys chain and a fishbone; the root cause verified.
    steps.build_whys(belt, base, key, "Changeovers take 47 minutes", WHYS,
                     "Trial: 12 changeovers with a height gauge took 28 minutes each")
    shots.step(belt, "five-whys", belt.locator("section.chain"))
    steps.add_fishbone(belt, base, key, {"Machine": "No height gauge at the press",
                                         "Method": "Dies fetched after the press stops"})
    shots.step(belt, "fishbone", belt.locator("section.category").first)
    steps.request_gate(belt, base, key, "Root cause verified by a trial.")
    steps.approve_gate(council, base, key, TITLE, "Convincing trial.")
    expect(council.locator("#gate-h")).to_contain_text("leaving Improve")

    # Improve: countermeasure and action done, after-change data, a significant verdict.
    steps.add_countermeasure(belt, base, key, "Height gauge fitted to press 4", WHYS[-1],
                             "Fit the gauge and train the setters", PEOPLE["member"].name,
                             date.today().isoformat())
    shots.step(belt, "countermeasures", belt.locator("article.countermeasure"))
    after = tmp_path / "changeovers-after.csv"
    after.write_text(measurements(5, date(2026, 9, 1), AFTER))
    steps.append_data(belt, base, key, DATASET, after, 25)
    verdict = steps.compare(belt, "baseline", "after change")
    expect(verdict).to_contain_text("a significant improvement at alpha 0.05")
    expect(verdict).to_contain_text(re.compile(r"The mean fell from 4\d\.\d+ to 2\d\.\d+ min"))
    expect(verdict).to_contain_text("(Welch t-test, p < 0.0001)")
    shots.step(belt, "before-after-verdict", verdict)
    steps.save_as_evidence(belt, "Before/after: gauge on press 4")
    steps.request_gate(belt, base, key, "Changeovers down by 18 minutes.")
    steps.approve_gate(council, base, key, TITLE, "Well done; now hold the gain.")
    expect(council.locator("#gate-h")).to_contain_text("leaving Control")

    # Control: sustain data, control plan, lessons, benefits submitted to finance.
    sustain = tmp_path / "changeovers-sustain.csv"
    sustain.write_text(measurements(6, date(2026, 10, 1), SUSTAIN))
    steps.append_data(belt, base, key, DATASET, sustain, 20)
    steps.add_control_plan(belt, base, key, CONTROL_ROW)
    steps.write_lessons(belt, "Measure the die height, never judge it by eye.")
    shots.step(belt, "control-plan", belt.locator("#control-plan article.control-row"))
    steps.claim_benefit(belt, base, key, BENEFIT, realized=(THIS_MONTH, "2500.00"))
    shots.step(belt, "benefits-submitted", belt.locator("article.benefit-line"))

    finance = open_as(PEOPLE["finance"])
    steps.validate_benefits(finance, BENEFIT["Description"], "Matches the press log")
    shots.step(finance, "finance-validated", finance.get_by_text(
        "Nothing is waiting for validation."))
    steps.request_gate(belt, base, key, "Gain held for 20 changeovers; savings validated.")
    steps.approve_gate(council, base, key, TITLE, "Closed: a model for the other presses.")
    expect(council.locator("#gate")).to_contain_text("This project is closed.")
    expect(council.locator(".project-head .status")).to_have_text("Closed")
    shots.step(council, "closed", council.locator("#gate"))

    # Leadership: the summary shows the validated figure; the A3 tells the story.
    leader = open_as(PEOPLE["leader"])
    leader.get_by_role("navigation", name="Main").get_by_role("link", name="Benefits").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Benefits summary")
    totals = leader.locator("section.totals tbody tr", has_text="Whole year")
    expect(totals.locator("td").nth(1)).to_have_text("30,000.00 EUR")  # projected, validated
    expect(totals.locator("td").nth(3)).to_have_text("2,500.00 EUR")  # realized, validated
    top = leader.locator("ol.top li", has_text=key)
    expect(top).to_contain_text("2,500.00 EUR realized")
    shots.step(leader, "leadership-summary", leader.locator("section.totals"))
    top.get_by_role("link", name=key).click()
    leader.get_by_role("link", name="A3 summary").click()
    sheet = leader.locator("article.a3-sheet")
    expect(sheet.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(sheet.locator("section.a3-rootcause")).to_contain_text(WHYS[-1])
    expect(sheet).to_contain_text("significant")
    shots.step(leader, "a3", sheet)

    # Operations: the KPI board flags a shift; a project starts from it.
    ops = open_as(PEOPLE["ops"])
    ops.get_by_role("link", name="KPIs").click()
    tile = ops.locator("article.kpi-tile", has_text=KPI)
    expect(tile.get_by_role("img", name="Special cause, concerning")).to_be_visible()
    shots.step(ops, "kpi-board", tile)
    tile.get_by_role("link", name=KPI).click()
    expect(ops.locator("#status")).to_contain_text("Special cause, concerning")
    ops.get_by_label("Project title").fill("Bring dock-to-stock back under 10 hours")
    ops.get_by_role("button", name="Start an improvement").click()
    expect(ops.get_by_role("heading", level=1)).to_have_text(
        "Bring dock-to-stock back under 10 hours")
    expect(ops.locator("#data")).to_contain_text(KPI)
    expect(ops.locator("div#charter-metric_name .inline-value")).to_have_text(KPI)
    shots.step(ops, "project-from-kpi", ops.locator("#data"))
    shots.assert_fits_a_phone()
