"""Tables as CSV and XLSX files that a spreadsheet opens safely. Pure: no Flask, no database.

Text that a spreadsheet would run as a formula (OWASP "CSV injection": a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, in both
formats; numbers stay numbers (Decimals are written as numbers, dates as dates), so the
sheet can still sum them. XLSX through XlsxWriter, which writes every text cell as a string,
never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets
# (OWASP "CSV injection"); a leading apostrophe makes it text again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    return value


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_plain(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode()


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        for c, header in enumerate(sheet.headers):
            ws.write_string(0, c, safe_text(header), bold)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                value = _cell(value)
                if isinstance(value, Decimal):
                    ws.write_number(r, c, float(value), money)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value if isinstance(value, datetime) else
                                      datetime(value.year, value.month, value.day), day)
                else:
                    ws.write_string(r, c, str(value))
        ws.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
