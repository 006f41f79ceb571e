"""Property: whatever text the cells hold, the parsers answer with rows to create or
refusals that name their row; they never raise. Pure: no database, fake references."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from ciapp.datasets.reading import RawTable
from ciapp.programme import cells, ledger, projectsheet
from ciapp.programme.projectsheet import Person, RegisterRefs, Unit

TODAY = date(2026, 11, 26)
PEOPLE = {"dana@plant.example": Person(1, "Dana Belt", "dana@plant.example"),
          "gone@plant.example": Person(2, "Gone", "gone@plant.example", active=False)}
REGISTER_REFS = RegisterRefs(
    PEOPLE, {"dana belt": (PEOPLE["dana@plant.example"],)},
    {"plant north": (Unit(10, "Plant North"),)}, {(10, "moulding"): Unit(11, "North > M")},
    {"moulding": (Unit(11, "North > M"),)}, {"existing": "CI-2026-0001"})
PROJECT = ledger.ProjectRef(5, "CI-2026-0005", "Kanban")
LEDGER_REFS = ledger.LedgerRefs({"CI-2026-0005": PROJECT}, {"kanban": (PROJECT,)},
                                frozenset({(5, "old line")}))

# Text a person might type, with the valid values mixed in so both paths are explored.
MEANINGFUL = ["", " ", "DMAIC", "kaizen", "Analyze", "Closed", "On hold", "Plant North",
              "Moulding", "dana@plant.example", "Dana Belt", "gone@plant.example",
              "2026-02-01", "31/01/2026", "2026-02-30", "1,234.50", "1.234,50", "€ 12",
              "(15)", "-3", "0", "1e400", "nan", "12.345", "CI-2026-0005", "ci-2026-0009",
              "Kanban", "Hard savings", "revenue", "2026-03", "Mar 2026", "2099-01",
              "existing", "Old line", "x" * 250, "lower", "higher"]
CELL = st.one_of(st.sampled_from(MEANINGFUL), st.text(max_size=24))


def raw_table(headers: list[str], rows: list[list[str]]) -> RawTable:
    columns = tuple(pa.array([row[c] for row in rows], pa.string())
                    for c in range(len(headers)))
    return RawTable(headers=tuple(headers), columns=columns,
                    rows=np.arange(2, 2 + len(rows)), source="csv", separator=",")


def rows_of(width: int) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=6)


def _check(plan: projectsheet.Plan, rows: set[int], created_rows: set[int]) -> None:
    """Every refusal says why and names a row of the sheet (or none: the whole sheet)."""
    refused_rows = {r.row for r in plan.refused}
    assert all(r.message and r.reason for r in plan.refused)
    assert refused_rows - {None} <= rows
    assert not created_rows & refused_rows  # a row is created or refused, never both


PROJECT_HEADERS = [f.label for f in cells.PROJECT_FIELDS]


@settings(max_examples=150, deadline=None)
@given(rows_of(len(PROJECT_HEADERS)))
def test_any_register_cells_give_projects_or_refusals(rows: list[list[str]]) -> None:
    raw = raw_table(PROJECT_HEADERS, rows)

    plan = projectsheet.parse(raw, cells.suggest(raw.headers, "projects"), REGISTER_REFS,
                              TODAY)

    created = {n.row for n in plan.created}
    _check(plan, set(range(2, 2 + len(rows))), created)
    # Every row is one or the other.
    assert created | {r.row for r in plan.refused} == set(range(2, 2 + len(rows)))


WIDE_HEADERS = [f.label for f in cells.BENEFIT_FIELDS if f.name not in ("month", "amount")]
WIDE_HEADERS += ["2026-01", "Feb 2026", "2099-12"]
LONG_HEADERS = [f.label for f in cells.BENEFIT_FIELDS]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([WIDE_HEADERS, LONG_HEADERS]).flatmap(
    lambda headers: st.tuples(st.just(headers), rows_of(len(headers)))))
def test_any_benefit_cells_give_lines_or_refusals(case: tuple[list[str], list[list[str]]]
                                                  ) -> None:
    headers, rows = case
    raw = raw_table(headers, rows)
    mapping = {f.name: f.label for f in cells.BENEFIT_FIELDS if f.label in headers}

    plan = ledger.parse(raw, mapping, LEDGER_REFS, TODAY)

    created = {row for line in plan.created for row in line.rows}
    _check(plan, set(range(2, 2 + len(rows))), created)
    for line in plan.created:
        assert line.projected > 0 and line.start_month is not None
        assert all(month <= TODAY for month in line.months)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5))
def test_any_file_is_read_and_planned_or_refused_as_a_whole(rows: list[list[str]]) -> None:
    """The whole way in, as a file: the reader refuses it (ImportProblem, a message) or the
    parser plans it."""
    import csv
    import io

    from ciapp.datasets import reading
    from ciapp.datasets.problems import ImportProblem

    out = io.StringIO()
    csv.writer(out).writerows([["Title", "Lead", "Phase"], *rows])
    try:
        raw = reading.read(out.getvalue().encode("utf-8"), filename="register.csv")
    except ImportProblem as problem:
        assert problem.message
        return
    plan = projectsheet.parse(raw, cells.suggest(raw.headers, "projects"), REGISTER_REFS,
                              TODAY)
    created = {n.row for n in plan.created}
    _check(plan, set(raw.rows.tolist()), created)
    assert created | {r.row for r in plan.refused} == set(raw.rows.tolist())
