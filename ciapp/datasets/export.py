"""A version's rows for people and programs: one page of them as plain dicts, or all of them
as CSV a spreadsheet can open safely. Pure: no Flask, no database.

A page is a slice of the Arrow table turned into Python values, never one object per row of
the whole data set, so the millionth row costs what the first does.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..core.exports import FORMULA_STARTS
from .building import ROLE_LABELS

COLUMN_LABELS = {**ROLE_LABELS, "excluded": "excluded", "exclude_reason": "exclude reason"}


@dataclass(frozen=True)
class RowsPage:
    items: list[dict[str, Any]]
    columns: list[str]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """The point number (from 1) of the first row shown."""
        return (self.page - 1) * self.per_page + 1


def page(table: pa.Table, page: int = 1, per_page: int = 50) -> RowsPage:
    """Rows ``(page - 1) * per_page`` onwards, each with its ``point`` number from 1. A page
    past the end is empty (the caller says so), not an error."""
    page = max(1, page)
    start = (page - 1) * per_page
    rows = table.slice(start, per_page).to_pylist() if start < table.num_rows else []
    items = [{"point": start + i + 1, **{k: _plain(v) for k, v in row.items()}}
             for i, row in enumerate(rows)]
    return RowsPage(items=items, columns=list(table.column_names), page=page,
                    per_page=per_page, total=table.num_rows)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def point(table: pa.Table, number: int) -> dict[str, Any] | None:
    """Point ``number`` (from 1) as a dict, None when there is no such point."""
    if not 1 <= number <= table.num_rows:
        return None
    return {"point": number, **table.slice(number - 1, 1).to_pylist()[0]}


def neutralise(column: pa.Array) -> pa.Array:
    """Text cells that a spreadsheet would run as formulas, prefixed with ``'``."""
    starts = None
    for mark in FORMULA_STARTS:
        hit = pc.starts_with(column, mark)
        starts = hit if starts is None else pc.or_(starts, hit)
    prefixed = pc.binary_join_element_wise("'", column, "")
    return pc.if_else(pc.fill_null(starts, False), prefixed, column)


def to_csv(table: pa.Table) -> bytes:
    """UTF-8 CSV with a header, text cells safe to open in a spreadsheet. Numbers stay
    numbers: a negative value is data, not a formula."""
    columns = []
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = neutralise(col)
        columns.append(col)
    safe = pa.table(columns, names=table.column_names)
    out = io.BytesIO()
    pacsv.write_csv(safe, out, pacsv.WriteOptions(quoting_style="needed"))
    return out.getvalue()
