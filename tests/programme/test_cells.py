"""Reading one cell: column letters, months in headers and cells, amounts to the cent.
Expected values are as a spreadsheet user reads them (Excel numbers column 27 as AA and
column 703 as AAA)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ciapp.programme import cells


@pytest.mark.parametrize(("index", "expected"), [
    (0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"),
    (702, "AAA")])
def test_column_letters_as_excel_shows_them(index: int, expected: str) -> None:
    assert cells.letter(index) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03", date(2026, 3, 1)),
    ("2026-03-01", date(2026, 3, 1)),
    ("2026-03-01T00:00:00", date(2026, 3, 1)),  # an Excel date header, as read
    ("2026/3", date(2026, 3, 1)),
    ("03/2026", date(2026, 3, 1)),
    ("3.2026", date(2026, 3, 1)),
    ("Mar 2026", date(2026, 3, 1)),
    ("March 2026", date(2026, 3, 1)),
    ("mar-26", date(2026, 3, 1)),
    ("Sept 2026", date(2026, 9, 1)),
    ("Dec. 2025", date(2025, 12, 1)),
    ("01/03/2026", date(2026, 3, 1)),  # the first of March, day first
    ("3/1/2026", date(2026, 3, 1)),  # the first of March, month first
    ("15/03/2026", None),  # a day that is no month's first: not a month column
    ("2026-13", None), ("1999-12", None), ("Q1 2026", None), ("Marchy 2026", None),
    ("Total", None), ("", None), ("2026", None),
])
def test_months_in_headers_and_cells(text: str, expected: date | None) -> None:
    assert cells.month(text) == expected


@pytest.mark.parametrize(("text", "mark", "expected"), [
    ("1250", ".", "1250.00"),
    ("1,250.50", ".", "1250.50"),
    ("1.250,50", ",", "1250.50"),
    ("1 250,5", ",", "1250.50"),
    ("€ 1,250", ".", "1250.00"),
    ("EUR 99.90", ".", "99.90"),
    ("$12", ".", "12.00"),
    ("-15", ".", "-15.00"),
    ("(15.25)", ".", "-15.25"),  # accountants' negative
    ("1234.5600000000001", ".", "1234.56"),  # a formula's result in binary noise
    ("1e3", ".", "1000.00"),
])
def test_amounts_to_the_cent(text: str, mark: str, expected: str) -> None:
    assert cells.money(text, mark) == Decimal(expected)


@pytest.mark.parametrize(("text", "why"), [
    ("12.345", "at most two decimals"),
    ("83.3333333", "at most two decimals"),
    ("lots", "is not an amount"),
    ("1.2.3", "is not an amount"),
    ("nan", "is not an amount"),
    ("Infinity", "is not an amount"),
    ("1e400", "limited to"),
    ("1000000000000", "limited to"),
])
def test_amounts_that_are_refused(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        cells.money(text, ".")


def test_headers_suggest_their_fields_each_column_once() -> None:
    headers = ["Project Title", "Project Lead", "Site", "Phase", "Title", "E-mail"]
    assert cells.suggest(headers, "projects") == {
        "title": "Project Title", "site": "Site", "lead": "Project Lead", "phase": "Phase"}
