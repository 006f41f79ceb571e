"""The benefits spreadsheet: lines with their realized months, months as columns or one row
per month; every refused row with its row and column; the import through the benefits'
own services."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from ciapp.audit.models import AuditEvent
from ciapp.benefits.models import BenefitLine
from ciapp.datasets import reading
from ciapp.programme import services
from tests import factories
from tests.conftest import sign_in
from tests.programme.helpers import csv_bytes, xlsx_bytes

WIDE = ["Project", "Category", "Description", "Calculation", "Projected annual",
        "Start month", "2026-01", "2026-02", "Mar 2026"]


@pytest.fixture
def kanban(org: dict[str, Any]) -> Any:
    project = factories.project(org["omar"], title="Kanban for spares")
    return project


def _plan(rows: list[list[Any]], header: list[str] = WIDE,
          mapping: dict[str, str] | None = None) -> services.Plan:
    raw = reading.read(csv_bytes([header, *rows]), filename="benefits.csv")
    return services.plan("benefits", raw, mapping or services.suggest("benefits", raw))


def test_months_as_columns(org: dict[str, Any], kanban: Any) -> None:
    key = org["existing"].key
    plan = _plan([
        [key.lower(), "Hard savings", "Less scrap", "1200 kg x 2.50", "3,000.00", "2026-01",
         "250", "250", "250.50"],
        ["kanban FOR spares", "cost avoidance", "Fewer rush orders", "", "€12,000", "", "",
         "1000", ""],
    ])

    assert plan.refused == []
    scrap, rush = plan.created
    assert (scrap.project.key, scrap.category, scrap.projected, scrap.start_month) == \
        (key, "hard_savings", Decimal("3000.00"), date(2026, 1, 1))
    assert scrap.months == {date(2026, 1, 1): Decimal("250.00"),
                            date(2026, 2, 1): Decimal("250.00"),
                            date(2026, 3, 1): Decimal("250.50")}
    assert (scrap.quantity, scrap.quantity_unit, scrap.unit_value) == \
        (Decimal("1.0000"), "year", Decimal("3000.00"))
    # No first month given: the first realized month.
    assert (rush.project.id, rush.start_month, rush.realized) == \
        (kanban.id, date(2026, 2, 1), Decimal("1000.00"))


def test_every_refused_row_and_cell_is_named(org: dict[str, Any], kanban: Any) -> None:
    key = org["existing"].key
    header = [*WIDE, "Dec 2099"]
    plan = _plan([
        [key, "Hard savings", "Less scrap", "", "3000", "2026-01", "250", "", "", ""],
        ["CI-2026-9999", "Hard savings", "Ghost", "", "100", "2026-01", "", "", "", ""],
        [key, "Savings", "Vague", "", "100", "2026-01", "", "", "", ""],
        [key, "Revenue", "Upsell", "", "lots", "2026-01", "", "", "", ""],
        [key, "Revenue", "Upsell 2", "", "100", "2026-01", "", "", "12.345", ""],
        [key, "Hard savings", "less  SCRAP", "", "3000", "2026-01", "", "", "", ""],
        ["Kanban for spares", "Revenue", "Later", "", "100", "2026-01", "", "", "", "5"],
        ["", "", "", "", "", "", "7", "", "", ""],
        [key, "Soft", "Zero", "", "0", "March", "", "", "", ""],
    ], header)

    assert [line.rows for line in plan.created] == [[2]]
    assert [(r.row, r.column, r.header) for r in plan.refused] == [
        (3, "A", "Project"),
        (4, "B", "Category"),
        (5, "E", "Projected annual"),
        (6, "I", "Mar 2026"),
        (7, "C", "Description"),
        (8, "J", "Dec 2099"),
        (9, "A", "Project"),
        (9, "B", "Category"),
        (9, "C", "Description"),
        (9, "E", "Projected annual"),
        (10, "E", "Projected annual"),
        (10, "F", "Start month"),
    ]
    messages = [r.message for r in plan.refused]
    assert messages[0] == "Row 3, column A (Project): there is no project CI-2026-9999."
    assert messages[1].startswith("Row 4, column B (Category): 'Savings' is not a benefit "
                                  "category")
    assert messages[2] == "Row 5, column E (Projected annual): 'lots' is not an amount."
    assert "'12.345'" in messages[3] and "at most two decimals" in messages[3]
    assert messages[4].endswith("the same line as row 2 (same project and description).")
    assert "2099-12 has not begun" in messages[5]
    assert "'0' must be more than zero." in messages[10]
    assert "'March' is not a month" in messages[11]


def test_one_row_per_month(org: dict[str, Any]) -> None:
    key = org["existing"].key
    header = ["Project", "Category", "Description", "Projected annual", "Month", "Amount"]
    plan = _plan([
        [key, "Hard savings", "Less scrap", "3000", "2026-01", "250"],
        [key, "", "Less scrap", "", "2026-02", "260.10"],
        [key, "", "Less scrap", "3000.00", "2026-03", "-15"],
    ], header)

    assert plan.refused == []
    (scrap,) = plan.created
    assert scrap.rows == [2, 3, 4]
    assert scrap.months == {date(2026, 1, 1): Decimal("250.00"),
                            date(2026, 2, 1): Decimal("260.10"),
                            date(2026, 3, 1): Decimal("-15.00")}
    assert scrap.start_month == date(2026, 1, 1)
    # A line with neither a first month nor a realized month has no start.
    assert [r.message for r in _plan([[key, "Hard savings", "Press energy", "1200", "", ""]],
                                     header).refused] == [
        "Row 2: the line has no first month and no realized months; give a First month "
        "(YYYY-MM)."]


def test_one_row_per_month_refusals(org: dict[str, Any]) -> None:
    key = org["existing"].key
    header = ["Project", "Category", "Description", "Projected annual", "Month", "Amount"]
    plan = _plan([
        [key, "Hard savings", "Less scrap", "3000", "2026-01", "250"],
        [key, "Soft savings", "Less scrap", "", "2026-02", "260"],
        [key, "", "Less scrap", "", "2026-01", "10"],
        [key, "", "Less scrap", "2500", "2026-04", ""],
        [key, "", "Less scrap", "", "Q2", "5"],
    ], header)

    assert plan.created == []  # every row of the line is refused or the line is
    assert [(r.row, r.column) for r in plan.refused] == [
        (3, "B"), (4, "E"), (5, "D"), (5, "F"), (6, "E")]
    assert "2026-01 is given twice" in plan.refused[1].reason


def test_quantity_times_value_per_unit_must_agree_with_the_projection(
        org: dict[str, Any]) -> None:
    key = org["existing"].key
    header = ["Project", "Category", "Description", "Quantity", "Unit", "Unit value",
              "Projected", "Start month"]
    plan = _plan([
        [key, "Hard savings", "Scrap", "1200", "kg", "2.50", "3000", "2026-01"],
        [key, "Hard savings", "Energy", "1200", "kWh", "0.10", "130", "2026-01"],
        [key, "Hard savings", "Hours", "37.5", "h", "", "", "2026-01"],
    ], header)

    assert [(n.description, n.quantity, n.quantity_unit, n.projected)
            for n in plan.created] == [("Scrap", Decimal("1200.0000"), "kg",
                                        Decimal("3000.00"))]
    assert [(r.row, r.column) for r in plan.refused] == [(3, "G"), (4, "F")]
    assert plan.refused[0].reason == "130.00 is not 1200.0000 x 0.10 = 120.00."


def test_a_line_the_project_has_already_is_refused(org: dict[str, Any], db: Any) -> None:
    from ciapp.benefits import services as benefits

    benefits.create_line(org["dana"], org["existing"], benefits.LineInput(
        "hard_savings", "Less scrap", "", Decimal("1"), "", Decimal("100"), date(2026, 1, 1)))
    plan = _plan([[org["existing"].key, "Hard savings", "Less Scrap", "", "100", "2026-01",
                   "", "", ""]])

    assert plan.created == []
    assert "already has a benefit line 'Less Scrap'" in plan.refused[0].message


def test_an_excel_benefits_sheet_imported_on_the_page(client: Any, db: Any,
                                                      org: dict[str, Any],
                                                      kanban: Any) -> None:
    from datetime import datetime

    key = org["existing"].key
    header = ["Project", "Category", "Description", "Calculation", "Projected annual",
              datetime(2026, 1, 1), datetime(2026, 2, 1)]
    data = xlsx_bytes([header,
                       [key, "Hard savings", "Less scrap", "1200 kg x 2.50", 3000, 250,
                        1234.5600000000001],
                       ["Kanban for spares", "Revenue", "More orders", "", 1200.5, None, 100]],
                      sheet="Benefits")
    sign_in(client, org["council"])
    upload = client.post("/programme/import/benefits", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "benefits.xlsx")})
    page = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert "Realized months, one column each: F “2026-01-01” = 2026-01, G “2026-02-01” = " \
        "2026-02." in page
    assert "2 rows read: 2 benefit lines would be created." in page

    form = {"map_project": "Project", "map_category": "Category",
            "map_description": "Description", "map_method": "Calculation",
            "map_projected": "Projected annual", "action": "import"}
    done = client.post(upload.headers["Location"], data=form, follow_redirects=True)

    assert "Imported 2 benefit lines into" in done.get_data(as_text=True)
    scrap = db.session.scalar(select(BenefitLine).where(BenefitLine.description == "Less scrap"))
    assert (scrap.project_id, scrap.projected, scrap.method, scrap.projected_state) == \
        (org["existing"].id, Decimal("3000.00"), "1200 kg x 2.50", "draft")
    assert [(m.month, m.amount, m.state) for m in scrap.months] == [
        (date(2026, 1, 1), Decimal("250.00"), "draft"),
        (date(2026, 2, 1), Decimal("1234.56"), "draft")]
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity == "benefit", AuditEvent.entity_id == scrap.id,
        AuditEvent.action == "import"))
    assert event.actor_id == org["council"].id
    assert "imported from benefits.xlsx, row 2, by Cy Council: 2 realized month(s), " \
        "1484.56 in all" in event.summary
