"""Write the import corpus: good and bad files, each with what reading it must give.

Run from the repository root to regenerate (the files are committed, so tests do not need
this): ``.venv/bin/python tests/data/imports/make_corpus.py``. ``expected.json`` lists, per
file, the kind and column mapping to import it with and either the values it must produce
or the message it must fail with.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
EXPECTED: dict[str, dict] = {}


def text_file(name: str, text: str, encoding: str = "utf-8", **expected: object) -> None:
    (HERE / name).write_bytes(text.encode(encoding))
    EXPECTED[name] = expected


def good(name: str, text: str, values: list[float], encoding: str = "utf-8",
         **extra: object) -> None:
    text_file(name, text, encoding, values=values, **extra)


def bad(name: str, text: str, message: str, **extra: object) -> None:
    text_file(name, text, message=message, **extra)


def main() -> None:
    for old in HERE.glob("*.csv"):
        old.unlink()
    # Good files: every one reads as the same four values, whatever its dialect.
    four = [10.5, 11.25, 1234.5, 9.0]
    good("comma_dot.csv", "value,note\n10.5,a\n11.25,b\n1234.5,c\n9,d\n", four)
    good("semicolon_decimal_comma.csv", "Wert;Notiz\n10,5;a\n11,25;b\n1.234,5;c\n9;d\n", four,
         decimal=",", separator="semicolon")
    good("tab_separated.csv", "value\tnote\n10.5\ta\n11.25\tb\n1234.5\tc\n9\td\n", four,
         separator="tab")
    good("quoted_thousands.csv",
         'value,note\n"10.5","a, with comma"\n11.25,b\n"1,234.5",c\n9,"d ""quoted"""\n', four)
    good("utf8_bom.csv", "\ufeffvalue,note\n10.5,é\n11.25,b\n1234.5,c\n9,d\n", four,
         encoding_name="UTF-8 (with BOM)")
    good("utf16.csv", "\ufeffvalue\tnote\n10.5\té\n11.25\tb\n1234.5\tc\n9\td\n", four,
         encoding="utf-16-le", encoding_name="UTF-16")
    good("latin1.csv", "Mesure;Remarque\n10,5;très\n11,25;b\n1234,5;c\n9;d\n", four,
         encoding="cp1252", encoding_name="Windows-1252 (Latin-1)")
    good("blank_lines_crlf.csv", "value\r\n10.5\r\n\r\n11.25\r\n1234.5\r\n9\r\n\r\n", four)
    good("dates_iso.csv",
         "time,value\n2026-01-05,10.5\n2026-01-06 08:30,11.25\n2026-01-07,1234.5\n"
         "2026-01-08,9\n", four, mapping={"time": "time", "value": "value"},
         first_time="2026-01-05T00:00:00")
    good("dates_dayfirst.csv",
         "Date;Value\n25/01/2026;10,5\n26/01/2026;11,25\n27/01/2026;1234,5\n28/01/2026;9\n",
         four, mapping={"time": "Date", "value": "Value"}, first_time="2026-01-25T00:00:00")
    good("defectives.csv", "defectives,n\n3,50\n0,50\n5,48\n2,50\n", [3, 0, 5, 2],
         kind="defectives", mapping={"value": "defectives", "n": "n"})
    good("subgroups.csv", "batch,value\nA,1\nA,2\nA,3\nB,4\nB,5\nB,6\n", [1, 2, 3, 4, 5, 6],
         subgroup_size=3, mapping={"subgroup": "batch", "value": "value"})
    # Bad files: the message each must produce (a substring of it).
    bad("empty.csv", "", "The file is empty.")
    bad("header_only.csv", "value,note\n", "The file has a header row but no data rows.")
    bad("text_in_numbers.csv", "value\n1.5\n2.5\nabc\n4\n",
        "Row 4, column 'value': 'abc' is not a number.")
    bad("nan_inf.csv", "value\n1\nNaN\n3\ninf\n",
        "Row 3, column 'value': 'NaN' is not a finite number.")
    bad("overflow.csv", "value\n1\n1e309\n", "Row 3, column 'value': '1e309' is not a "
        "finite number.")
    bad("negative_count.csv", "defectives,n\n3,50\n-1,50\n", "Row 3, column 'defectives': "
        "-1 is negative; a count cannot be.", kind="defectives",
        mapping={"value": "defectives", "n": "n"})
    bad("fractional_count.csv", "defectives,n\n1.5,50\n", "Row 2, column 'defectives': 1.5 "
        "is not a whole number", kind="defectives", mapping={"value": "defectives", "n": "n"})
    bad("defectives_over_n.csv", "defectives,n\n3,50\n12,10\n", "Row 3: 12 defectives is "
        "more than the sample size 10 (column 'n').", kind="defectives",
        mapping={"value": "defectives", "n": "n"})
    bad("mixed_subgroups.csv", "batch,value\nA,1\nA,2\nA,3\nB,4\nB,5\n",
        "Subgroup 'B' (from Row 5) has 2 values; this data set's subgroup size is 3.",
        subgroup_size=3, mapping={"subgroup": "batch", "value": "value"})
    bad("ragged.csv", "value,note\n1,a\n2,b,extra\n3,c\n", "Row 3 has 3 cells but the "
        "header has 2 columns.")
    bad("empty_value.csv", "value,note\n1,a\n,b\n", "Row 3, column 'value' is empty")
    bad("bad_date.csv", "time,value\n2026-01-05,1\n2026-01-06,2\nyesterday,3\n",
        "Row 4, column 'time': 'yesterday' is not a date like the others (YYYY-MM-DD).",
        mapping={"time": "time", "value": "value"})
    bad("not_really.xlsx", "value\n1\n2\n", "is not an Excel workbook (.xlsx)")
    (HERE / "truncated.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    EXPECTED["truncated.xlsx"] = {"message": "is not a readable Excel workbook (.xlsx)"}
    write_xlsx()
    (HERE / "expected.json").write_text(json.dumps(EXPECTED, indent=1, sort_keys=True) + "\n")


def write_xlsx() -> None:
    """Two sheets, the second the data; formulas carry cached results as Excel saves them."""
    import xlsxwriter

    path = HERE / "two_sheets_formulas.xlsx"
    book = xlsxwriter.Workbook(str(path), {"default_date_format": "yyyy-mm-dd"})
    book.set_properties({"created": __import__("datetime").datetime(2026, 1, 1)})
    cover = book.add_worksheet("Cover")
    cover.write("A1", "Line 3 fill weights, January")
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["Date", "Weight", "Doubled"])
    import datetime as dt

    for i, weight in enumerate([10.5, 11.25, 1234.5, 9.0], start=1):
        data.write_datetime(i, 0, dt.datetime(2026, 1, 4 + i))
        data.write_number(i, 1, weight)
        data.write_formula(i, 2, f"=B{i + 1}*2", None, weight * 2)
    book.close()
    EXPECTED[path.name] = {"sheet": "Data", "sheets": ["Cover", "Data"],
                           "values": [21.0, 22.5, 2469.0, 18.0],
                           "mapping": {"time": "Date", "value": "Doubled"},
                           "first_time": "2026-01-05T00:00:00"}


if __name__ == "__main__":
    main()
