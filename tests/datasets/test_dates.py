"""Days that are not on the calendar. Arrow's strptime (the C library's) reads 30 February as
2 March; an import must refuse such a cell by its row, as a spreadsheet would, and never
store a date nobody wrote."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ciapp.datasets import building, reading
from ciapp.datasets.problems import ImportProblem


def build(csv: str) -> object:
    raw = reading.read(csv.encode(), filename="days.csv")
    return building.build(raw, building.preview(raw, "continuous").mapping, "continuous")


@pytest.mark.parametrize(("day", "written"), [
    ("2026-02-30", "2026-02-28"), ("2026-04-31", "2026-04-30"), ("2025-02-29", "2024-02-29")])
def test_a_day_past_the_end_of_its_month_is_refused_by_row(day: str, written: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        build(f"date,value\n{written},1.5\n2026-03-01,2.5\n{day},3.5\n2026-03-02,4.5\n")

    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "date")]
    assert f"'{day}' is not a date like the others (YYYY-MM-DD)" in caught.value.message


def test_the_last_days_of_months_and_leap_days_are_kept() -> None:
    table = build("date,value\n2024-02-29,1\n2026-03-31,2\n2026-04-01,3\n")

    assert [t.isoformat()[:10] for t in table.column("time").to_pylist()] == [
        "2024-02-29", "2026-03-31", "2026-04-01"]


def test_day_first_dates_with_a_time_are_checked_too() -> None:
    col = pa.array(["28/02/2026 10:00", "30/02/2026 11:00", "1/3/2026 12:00"])

    values, bad = reading.to_times(col, "%d/%m/%Y")

    assert bad.tolist() == [False, True, False]
    assert str(values[2]) == "2026-03-01T12:00:00.000000"


def test_two_digit_years_are_this_century_not_the_first() -> None:
    """%Y reads "26" as the year 26 AD; such a column is DD/MM/YY, as a spreadsheet means it."""
    col = pa.array(["03/05/26", "04/05/26", "25/12/25"])

    fmt, others = reading.date_format(col)
    values, bad = reading.to_times(col, fmt)

    assert (fmt, others) == ("%d/%m/%y", [])
    assert [str(v)[:10] for v in values] == ["2026-05-03", "2026-05-04", "2025-12-25"]
    assert not bad.any()


def test_a_two_digit_year_among_four_digit_ones_is_refused_by_row() -> None:
    with pytest.raises(ImportProblem) as caught:
        build("date,value\n" + "".join(f"{d:02d}/03/2026,{d}\n" for d in range(1, 26))
              + "26/03/26,26\n")

    assert [(p.row, p.column) for p in caught.value.problems] == [(27, "date")]  # not row 2
    assert "'26/03/26' is not a date like the others (DD/MM/YYYY)" in caught.value.message
