"""The project register's dry run: what each row would create, and every refused row with
its row and column as the spreadsheet numbers them."""

from __future__ import annotations

from datetime import date
from typing import Any

from ciapp.datasets import reading
from ciapp.programme import services
from tests.programme.helpers import csv_bytes, xlsx_bytes

HEADER = ["Title", "Methodology", "Site", "Area", "Lead", "Sponsor", "Phase", "Status",
          "Start date", "Target date", "Problem", "Goal"]
GOOD = [
    ["Cut scrap on line 3", "DMAIC", "Plant North", "Moulding", "dana@plant.example",
     "sam@plant.example", "Analyze", "Active", "2026-02-01", "2026-09-30",
     "Scrap is 4.2% against 2%.", "2% by September."],
    ["5S in the packing hall", "Kaizen event", "Plant South", "Packing", "Omar Lead", "",
     "Current state", "On hold", "2026-03-15", "", "", ""],
]


def _plan(rows: list[list[Any]], data: bytes | None = None) -> services.Plan:
    raw = reading.read(data or csv_bytes([HEADER, *rows]), filename="register.csv")
    return services.plan("projects", raw, services.suggest("projects", raw))


def test_the_columns_are_recognised_by_their_headers(org: dict[str, Any]) -> None:
    raw = reading.read(csv_bytes([HEADER, *GOOD]))
    assert services.suggest("projects", raw) == {
        "title": "Title", "methodology": "Methodology", "site": "Site", "area": "Area",
        "lead": "Lead", "sponsor": "Sponsor", "phase": "Phase", "status": "Status",
        "start_date": "Start date", "target_date": "Target date", "problem": "Problem",
        "goal": "Goal"}


def test_a_dry_run_lists_what_would_be_created(org: dict[str, Any]) -> None:
    plan = _plan(GOOD)

    assert plan.refused == []
    first, second = plan.created
    assert (first.row, first.values["title"], first.phase, first.status) == \
        (2, "Cut scrap on line 3", "root_cause", "active")
    assert first.values["lead_id"] == org["dana"].id
    assert first.values["sponsor_id"] == org["sam"].id
    assert first.values["org_unit_id"] == org["moulding"].id
    assert first.values["start_date"] == date(2026, 2, 1)
    assert first.phase_label == "Analyze"
    # By name when the cell is no e-mail; the area within its site, not North's Packing.
    assert (second.values["methodology"], second.phase, second.status) == \
        ("kaizen", "baseline", "on_hold")
    assert second.values["lead_id"] == org["omar"].id
    assert second.place == "Plant South > Packing"
    assert second.phase_label == "Current state"


def test_every_refused_row_is_named_with_its_row_and_column(org: dict[str, Any]) -> None:
    bad = [
        [*GOOD[0]],
        ["Unknown site", "DMAIC", "Plant East", "", "dana@plant.example", "", "", "", "",
         "", "", ""],
        ["Unknown lead", "DMAIC", "", "", "nobody@plant.example", "", "", "", "", "", "",
         ""],
        ["Unknown phase", "DMAIC", "", "", "dana@plant.example", "", "Deploy", "", "", "",
         "", ""],
        ["Cut scrap on line 3", "DMAIC", "", "", "dana@plant.example", "", "", "", "", "",
         "", ""],
        ["faster  changeovers on PRESS 4", "", "", "", "dana@plant.example", "", "", "",
         "", "", "", ""],
        ["Bad date", "Six Sigma", "", "", "dana@plant.example", "", "", "", "2026-02-30",
         "", "", ""],
        ["Backwards", "", "", "", "gone@plant.example", "", "", "Paused", "2026-05-01",
         "2026-04-01", "", ""],
        ["", "Lean", "Plant North", "Welding", "", "dana@plant.example", "", "Doing", "",
         "", "", ""],
    ]

    plan = _plan(bad)

    assert [n.row for n in plan.created] == [2]
    where = [(r.row, r.column, r.header) for r in plan.refused]
    assert where == [
        (3, "C", "Site"),
        (4, "E", "Lead"),
        (5, "G", "Phase"),
        (6, "A", "Title"),
        (7, "A", "Title"),
        (8, "I", "Start date"),
        (9, "E", "Lead"),
        (9, "J", "Target date"),
        (10, "A", "Title"),
        (10, "B", "Methodology"),
        (10, "D", "Area"),
        (10, "E", "Lead"),
        (10, "H", "Status"),
    ]
    messages = [r.message for r in plan.refused]
    assert messages[0].startswith("Row 3, column C (Site): there is no site named "
                                  "'Plant East'")
    assert "nobody here has the e-mail 'nobody@plant.example'" in messages[1]
    assert "'Deploy' is not a phase" in messages[2]
    assert messages[3].endswith("the same title as row 2.")
    assert f"exists already ({org['existing'].key})" in messages[4]
    assert messages[5] == ("Row 8, column I (Start date): '2026-02-30' is not a date like "
                           "the others (YYYY-MM-DD).")
    assert "Gone Person is deactivated" in messages[6]
    assert "before the start date" in messages[7]
    assert "Plant North has no area named 'Welding'" in messages[10]


def test_the_sheet_itself_is_refused_without_a_title_or_lead_column(
        org: dict[str, Any]) -> None:
    raw = reading.read(csv_bytes([["Name of thing", "Owner mail"], ["x", "y"]]))

    plan = services.plan("projects", raw, {})

    assert plan.created == []
    assert [r.message for r in plan.refused] == [
        "Choose the column that holds the title: every row needs one.",
        "Choose the column that holds the lead: every row needs one."]


def test_an_excel_register_with_date_cells_reads_like_the_csv(org: dict[str, Any]) -> None:
    rows = [[*GOOD[0][:8], date(2026, 2, 1), date(2026, 9, 30), *GOOD[0][10:]]]
    plan = _plan([], xlsx_bytes([HEADER, *rows]))

    assert plan.refused == []
    assert plan.created[0].values["target_date"] == date(2026, 9, 30)


def test_a_closed_project_keeps_its_closing_day_and_is_in_its_last_phase(
        org: dict[str, Any]) -> None:
    raw = reading.read(csv_bytes([["Title", "Lead", "Status", "Completed"],
                                  ["Old win", "dana@plant.example", "Done", "15/01/2026"],
                                  ["Still open", "dana@plant.example", "", "20/01/2026"]]))

    plan = services.plan("projects", raw, services.suggest("projects", raw))

    assert [(n.row, n.status, n.phase, n.closed_on) for n in plan.created] == \
        [(2, "closed", "sustain", date(2026, 1, 15))]
    assert [(r.row, r.column) for r in plan.refused] == [(3, "D")]
    assert "not closed" in plan.refused[0].reason
