"""The data-set import, fed hostile files: arbitrary bytes, CSV text in odd encodings with
quotes, separators and line breaks inside cells, numbers past float64, digits that are not
ASCII, blank and unnamed columns, workbooks with impossible cells, and column mappings that
name anything. Whatever comes in, the parser answers with a table or an ImportProblem (the
422 the pages and the API show), never another exception; what it does accept is a table
of finite numbers; and a refused import saves nothing.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from flask import Flask
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from ciapp.core.errors import DomainError
from ciapp.datasets import building, imports, reading
from ciapp.datasets.models import Dataset, DatasetVersion, ImportDraft
from ciapp.datasets.problems import ImportProblem
from ciapp.extensions import db as _db
from tests import factories
from tests.conftest import rolled_back
from tests.fuzz.strategies import HOSTILE, fuzz_settings, hostile_text
from tests.fuzz.xlsx import workbook

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")
SEPARATORS = (",", ";", "\t", "|")


def cell() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), st.sampled_from(["a,b", 'say "hi"', "x;y", "1\t2", "|"]))


@st.composite
def grids(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(1, 4))
    header = draw(st.lists(st.one_of(st.sampled_from(["value", "Value", "date", "stage", "n",
                                                      "subgroup", "", " ", "value"]),
                                     st.text(max_size=8)), min_size=width, max_size=width))
    body = draw(st.lists(st.lists(cell(), min_size=width, max_size=width), max_size=8))
    return [header, *body]


def csv_bytes(grid: list[list[str]], separator: str, encoding: str, newline: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator=newline).writerows(grid)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    return csv_bytes(draw(grids()), draw(st.sampled_from(SEPARATORS)),
                     draw(st.sampled_from(ENCODINGS)), draw(st.sampled_from(["\n", "\r\n",
                                                                             "\r"])))


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    kinds = st.sampled_from(["n", "s", "b", "e"])
    rows = draw(st.lists(st.lists(st.tuples(kinds, cell()), max_size=4), max_size=8))
    data = workbook(rows, draw(st.sampled_from(["Data", "Ölçüm", "a'b", "x" * 31])))
    if draw(st.booleans()):  # a damaged download: cut short or a byte changed
        cut = draw(st.integers(0, len(data) - 1))
        data = data[:cut] if draw(st.booleans()) else \
            data[:cut] + bytes([data[cut] ^ 0xFF]) + data[cut + 1:]
    return data


@st.composite
def plausible_csv(draw: st.DrawFn) -> bytes:
    """A value column of ordinary numbers with now and then a hostile cell, so that many
    imports get past the reader and reach the checks and the save."""
    numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:.6g}")
    values = draw(st.lists(st.one_of(numbers, numbers, numbers, hostile_text()),
                           min_size=1, max_size=12))
    stages = draw(st.lists(st.sampled_from(["baseline", "after", ""]), min_size=len(values),
                           max_size=len(values)))
    return csv_bytes([["value", "stage"], *zip(values, stages, strict=True)], ",", "utf-8",
                     "\n")


def any_file() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=300), csv_files(), xlsx_files(),
                     st.text(max_size=200).map(str.encode))


def read_or_refuse(data: bytes, **kwargs: Any) -> reading.RawTable | None:
    try:
        raw = reading.read(data, **kwargs)
    except ImportProblem as problem:
        assert problem.message and 400 <= problem.status < 500
        return None
    assert len(raw.headers) == len(raw.columns) == len(set(raw.headers)) > 0
    assert all(h.strip() for h in raw.headers)
    assert all(len(col) == raw.n_rows for col in raw.columns) and raw.n_rows > 0
    return raw


@fuzz_settings(80)
@given(data=any_file(), filename=st.sampled_from(["", "a.csv", "b.xlsx", "c.txt", "d.XLSM"]),
       pasted=st.booleans())
def test_any_bytes_read_as_a_table_or_a_clear_refusal(data: bytes, filename: str,
                                                      pasted: bool) -> None:
    raw = read_or_refuse(data, filename=filename, pasted=pasted)
    if raw is not None:
        building.preview(raw, "continuous")  # the preview page reads every column


@fuzz_settings(60)
@given(grid=grids(), separator=st.sampled_from(SEPARATORS[:2]), newline=st.sampled_from(
    ["\n", "\r\n"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_cells_come_back_as_written(grid: list[list[str]], separator: str, newline: str,
                                   encoding: str) -> None:
    """Quotes, separators and line breaks inside cells survive, in any of the encodings the
    reader recognises; only a cell's carriage returns become line feeds."""
    grid = [[c.replace("\r", "").replace("\x00", "") for c in row] for row in grid]
    width = len(grid[0])
    body = [row for row in grid[1:] if any(c.strip() for c in row)]
    raw = read_or_refuse(csv_bytes(grid, separator, encoding, newline))
    if raw is None or width < 2 or raw.separator != separator:
        return
    if not any(h.strip() for h in grid[0]) or not body:
        return
    assert raw.n_rows == len(body)
    for i, header in enumerate(raw.headers):
        assert raw.column(header).to_pylist() == [row[i] for row in body]


MAPPINGS = st.dictionaries(
    st.sampled_from([*building.ROLES, "nonsense", ""]),
    st.one_of(st.sampled_from(["value", "Value", "date", "stage", "n", "subgroup", "Column 1",
                               "Column 2", "", "missing"]), st.text(max_size=6)), max_size=4)


@fuzz_settings(80)
@given(data=st.one_of(csv_files(), xlsx_files()), mapping=MAPPINGS,
       kind=st.sampled_from(building.KINDS),  # the kind is checked before (check_details)
       subgroup_size=st.one_of(st.none(), st.integers(-2, 6), st.just(2**40)))
def test_any_mapping_builds_finite_rows_or_is_refused(data: bytes, mapping: dict[str, str],
                                                      kind: str, subgroup_size: int | None
                                                      ) -> None:
    raw = read_or_refuse(data)
    if raw is None:
        return
    try:
        table = imports.table(raw, imports.Choices(kind=kind, mapping=mapping), kind=kind,
                              subgroup_size=subgroup_size)
    except ImportProblem as problem:
        assert problem.message and 400 <= problem.status < 500
        return
    for role in ("value", "n"):
        if role in table.column_names:
            assert np.isfinite(table[role].to_numpy()).all(), role
    assert table.num_rows == raw.n_rows


def test_every_hostile_cell_is_a_number_or_named() -> None:
    """Each of the hostile cells alone in a value column: a finite number, or a message
    that quotes it and names its row and column."""
    for text in HOSTILE:
        raw = reading.RawTable(headers=("value",), columns=(
            pa.array([text]),), rows=np.array([2]), source="csv")
        try:
            table = building.build(raw, {"value": "value"}, "continuous")
        except ImportProblem as problem:
            assert "Row 2, column 'value'" in problem.message, text
            continue
        assert np.isfinite(table["value"].to_numpy()).all(), text


# --- through the database: a refused import saves nothing ------------------------------


def _counts() -> tuple[int, int, int]:
    return tuple(_db.session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]
                 for model in (Dataset, DatasetVersion, ImportDraft))


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_an_import_saves_whole_or_nothing(app: Flask) -> None:
    @fuzz_settings(40)
    @given(data=st.one_of(plausible_csv(), any_file()),
           mapping=st.one_of(st.just({}), st.just({"value": "value"}), MAPPINGS),
           kind=st.sampled_from(building.KINDS),
           name=st.one_of(st.just("Scrap"), hostile_text()),
           subgroup_size=st.one_of(st.none(), st.integers(-1, 5)))
    def importing(data: bytes, mapping: dict[str, str], kind: str, name: str,
                  subgroup_size: int | None) -> None:
        with app.app_context(), rolled_back():
            lead = factories.user("belt")
            project = factories.project(lead)
            _db.session.commit()
            before = _counts()
            try:
                draft = imports.start(lead, project.id, data, filename="upload.csv")
            except ImportProblem as refusal:
                assert 400 <= refusal.status < 500
                _db.session.rollback()
                assert _counts() == before
                return
            _db.session.commit()
            with_draft = _counts()
            try:
                dataset = imports.confirm(lead, draft, imports.Choices(
                    kind=kind, mapping=mapping, name=name, subgroup_size=subgroup_size))
            except (ImportProblem, DomainError) as refusal:
                assert 400 <= refusal.status < 500
                _db.session.rollback()
                assert _counts() == with_draft
                event("refused at confirming")
                return
            _db.session.commit()
            assert dataset.current == 1
            event("saved")
            assert _counts() == (before[0] + 1, before[1] + 1, before[2])

    importing()


def test_a_workbook_whose_sheet_will_not_read_is_refused_by_name() -> None:
    """Found by the fuzzer: a boolean cell holding "-0" opened, then failed while the sheet
    was read (a CalamineError, so a 500 on upload)."""
    data = workbook([[("s", "value")], [("b", "-0")]])
    with pytest.raises(ImportProblem, match="The sheet 'Data' could not be read"):
        reading.read(data)
