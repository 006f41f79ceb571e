"""Spreadsheets for the programme import's tests, written by the tests themselves."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter


def csv_bytes(rows: Sequence[Sequence[Any]], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[Any]], sheet: str = "Register") -> bytes:
    """A workbook as Excel writes one: dates as date cells, numbers as numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date | datetime):
                ws.write_datetime(r, c, datetime.combine(value, datetime.min.time())
                                  if not isinstance(value, datetime) else value, day)
            elif value is None:
                continue
            else:
                ws.write(r, c, value)
    book.close()
    return out.getvalue()
