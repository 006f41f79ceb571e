"""Reading a file or pasted cells into columns of text, and saying how each column reads.

The first half of an import: bytes in, a :class:`RawTable` of string columns out, with the
encoding, separator and sheet it was read with. Nothing is converted yet, so the preview can
show the user what was in the file before they choose which column is what
(:mod:`ciapp.datasets.building` does the conversion). Pure: no Flask, no database.

CSV goes through pyarrow's reader (fast, and it reports ragged rows with their line number);
XLSX through python-calamine (it reads the cached values of formulas and is an order of
magnitude faster than openpyxl). Only the guesses a parser cannot make are ours: the text
encoding, the separator, and the decimal mark of each column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .problems import ImportProblem

SEPARATORS = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "vertical bar"}
XLSX_MAGIC = b"PK\x03\x04"
OLD_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class RawTable:
    """Every cell as text, as the file held it; ``headers`` are unique and never empty.

    ``rows`` holds the spreadsheet row number of each data row (the header is row 1), so
    messages can point at the row the user sees in Excel even after blank rows are dropped.
    """

    headers: tuple[str, ...]
    columns: tuple[pa.Array, ...]
    rows: np.ndarray
    source: str  # "csv", "xlsx" or "paste"
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def column(self, header: str) -> pa.Array:
        try:
            return self.columns[self.headers.index(header)]
        except ValueError:
            raise ImportProblem(f"There is no column named '{header}' in the file; its "
                                f"columns are {', '.join(map(repr, self.headers))}.") from None


def read(data: bytes, *, filename: str | None = None, sheet: str | None = None,
         pasted: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read an uploaded file (CSV or XLSX, told apart by content, not name) or pasted cells."""
    if len(data) > max_bytes:
        raise ImportProblem(f"The file is {len(data) / 2**20:.1f} MiB; the limit is "
                            f"{max_bytes / 2**20:.0f} MiB.", status=413)
    if not data.strip():
        raise ImportProblem("The file is empty." if not pasted else "Nothing was pasted.")
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data, sheet=sheet)
    if data.startswith(OLD_XLS_MAGIC):
        raise ImportProblem("This is an old Excel .xls file; save it as .xlsx or CSV and "
                            "upload that.")
    if filename and filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportProblem(f"'{filename}' is not an Excel workbook (.xlsx): its content is "
                            "not a zip archive. Save it from Excel again, or as CSV.")
    text, encoding = decode(data)
    return read_text(text, source="paste" if pasted else "csv", encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with.

    A byte-order mark decides; otherwise UTF-16 is recognised by its zero bytes, then UTF-8
    is tried strictly, and what is not UTF-8 is read as Windows-1252 (Latin-1 with the
    printable characters Excel writes in 0x80-0x9F), the usual "ANSI" CSV from Excel.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode(data, name), "UTF-8 (with BOM)" if bom == codecs.BOM_UTF8 \
                else "UTF-16"
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return _decode(data, "utf-16-le"), "UTF-16"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return _decode(data, "utf-16-be"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"The file starts as {encoding.upper()} but byte {exc.start} is "
                            "not valid in it; save it again as UTF-8.") from None


def sniff_separator(lines: list[str]) -> str | None:
    """The separator that splits the header into the most fields (> 1) and most of the next
    lines into as many; None for a single column. Quotes are respected. A line that
    disagrees (a ragged row) does not change the choice: reading reports it by number."""
    best: tuple[int, int, str] | None = None
    for sep in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        if not counts or counts[0] < 2:
            continue
        agreeing = sum(1 for c in counts if c == counts[0])
        score = (agreeing, counts[0], sep)
        if 2 * agreeing > len(counts) and (best is None or score[:2] > best[:2]):
            best = score
    return best[2] if best else None


def read_text(text: str, *, source: str = "csv", encoding: str | None = None) -> RawTable:
    if "\x00" in text:
        raise ImportProblem("The file contains NUL characters, so it is not a text (CSV) "
                            "file. Upload CSV or XLSX.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n", 40)[:40] if line.strip()]
    if not lines:
        raise ImportProblem("The file is empty.")
    sep = "\t" if source == "paste" and "\t" in lines[0] else sniff_separator(lines[:20])
    header = next(csv.reader([lines[0]], delimiter=sep or "\x1f"))
    headers = unique_headers(header)
    header_end = text.index(lines[0]) + len(lines[0]) + 1
    body = text[header_end:].encode("utf-8")
    if not body.strip():
        raise ImportProblem("The file has a header row but no data rows.")
    table, ragged = _parse_csv(body, headers, sep, threads=True)
    if ragged and ragged[0][0] is None:  # threads do not know line numbers: ask again
        table, ragged = _parse_csv(body, headers, sep, threads=False)
    if ragged:
        number, actual = ragged[0]
        where = f"Row {number + 1}" if number is not None else "A row"
        more = f" ({len(ragged) - 1} more rows too)" if len(ragged) > 1 else ""
        raise ImportProblem(f"{where} has {actual} cells but the header has {len(headers)} "
                            f"columns{more}. Check for a stray separator or a missing quote.",
                            row=number + 1 if number is not None else None)
    columns = [table.column(i).combine_chunks() for i in range(table.num_columns)]
    return _without_blank_rows(headers, columns, first_row=2, source=source,
                               encoding=encoding, separator=sep)


def _parse_csv(body: bytes, headers: tuple[str, ...], sep: str | None, *, threads: bool
               ) -> tuple[pa.Table, list[tuple[int | None, int]]]:
    """Every cell as a string; rows with the wrong number of cells are collected (with their
    line number, counting the header as 1, when ``threads`` is off) instead of read."""
    ragged: list[tuple[int | None, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        ragged.append((row.number, row.actual_columns))
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(use_threads=threads, column_names=list(headers),
                                           block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep or "\x1f", newlines_in_values=True,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(headers, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        raise ImportProblem(f"The file could not be read as CSV: {exc}") from None
    return table, ragged


def unique_headers(header: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header, start=1):
        name = name.strip() or f"Column {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        seen.setdefault(name, 1)
        out.append(name)
    return tuple(out)


def _without_blank_rows(headers: tuple[str, ...], columns: list[pa.Array], *, first_row: int,
                        **meta: object) -> RawTable:
    n = len(columns[0]) if columns else 0
    rows = np.arange(first_row, first_row + n)
    if n:
        filled = None
        for col in columns:
            has = pc.not_equal(pc.utf8_trim_whitespace(col), "")
            filled = has if filled is None else pc.or_(filled, has)
        mask = filled.to_numpy(zero_copy_only=False)
        if not mask.all():
            rows = rows[mask]
            columns = [col.filter(filled) for col in columns]
    if len(rows) == 0:
        raise ImportProblem("The file has a header row but no data rows.")
    return RawTable(headers=headers, columns=tuple(columns), rows=rows, **meta)  # type: ignore[arg-type]


def read_xlsx(data: bytes, *, sheet: str | None = None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ImportProblem(f"The file is not a readable Excel workbook (.xlsx): {exc}.") \
            from None
    names = tuple(book.sheet_names)
    if not names:
        raise ImportProblem("The workbook has no sheets.")
    if sheet is None:
        sheet = names[0]
    elif sheet not in names:
        raise ImportProblem(f"The workbook has no sheet named '{sheet}'; its sheets are "
                            f"{', '.join(map(repr, names))}.")
    try:
        cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # a damaged sheet (a boolean cell holding "-0") opens but won't read
        raise ImportProblem(f"The sheet '{sheet}' could not be read: {exc}. Save the workbook "
                            "from Excel again, or as CSV.") from None
    start = next((i for i, row in enumerate(cells) if any(c not in ("", None) for c in row)),
                 None)
    if start is None:
        raise ImportProblem(f"The sheet '{sheet}' is empty.")
    headers = unique_headers([cell_text(c) for c in cells[start]])
    body = cells[start + 1:]
    columns = [pa.array([cell_text(row[i]) if i < len(row) else "" for row in body],
                        type=pa.string()) for i in range(len(headers))]
    notes = (f"Sheet '{sheet}' of {len(names)}.",) if len(names) > 1 else ()
    return _without_blank_rows(headers, columns, first_row=start + 2, source="xlsx",
                               sheet=sheet, sheets=names, notes=notes)


def cell_text(value: object) -> str:
    """A typed Excel cell as the text a CSV export would hold, losslessly for numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
NON_FINITE_RE = r"(?i)^[+-]?(inf|infinity|nan|#num!|#div/0!|#value!|#n/a)$"


def decimal_mark(col: pa.Array, separator: str | None) -> str:
    """"," when the column writes decimals with a comma (``1,5`` or ``1.234,5``), else ".".

    A value holding both marks decides by which comes last. Only ``1,234``-shaped values
    (one comma, three digits after) are ambiguous; they are read as a decimal comma when
    the file is separated by semicolons or tabs (a European export) and as thousands
    otherwise. The preview shows the choice and the user can change it.
    """
    sample = col.slice(0, 5000)
    both = pc.match_substring_regex(sample, r"\d[.,]\d+[.,]\d")
    comma_last = pc.match_substring_regex(sample, r"\.\d{3},\d*$|^[+-]?\d*,\d+$")
    if pc.any(pc.and_(both, pc.match_substring_regex(sample, r",\d*$"))).as_py():
        return ","
    if pc.any(pc.and_(pc.invert(both), comma_last)).as_py():
        strictly = pc.match_substring_regex(sample, r"^[+-]?\d*,(\d{1,2}|\d{4,})$")
        if pc.any(strictly).as_py() or separator in (";", "\t"):
            return ","
    return "."


def to_numbers(col: pa.Array, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """The column as float64 and a mask of the cells that are not numbers (empty is NaN and
    not flagged). Thousands separators (the other mark, spaces, apostrophes) are dropped."""
    text = pc.utf8_trim_whitespace(col)
    thousands = "." if decimal == "," else ","
    text = pc.replace_substring_regex(text, "[\\s\u00a0\u202f']", "")
    text = pc.replace_substring(text, thousands, "")
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    ok = pc.match_substring_regex(text, NUMBER_RE)
    empty = pc.equal(text, "")
    cleaned = pc.if_else(ok, text, pa.scalar(None, pa.string()))
    values = pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False)
    bad = pc.invert(pc.or_(ok, empty)).to_numpy(zero_copy_only=False)
    return values, bad


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y",
                "%d/%m/%y", "%m/%d/%y", "%d.%m.%y")
TIME_SUFFIXES = ("", " %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S", "T%H:%M:%S.%f")


def date_format(col: pa.Array) -> tuple[str | None, list[str]]:
    """The first common day format that reads every non-empty cell of ``col`` (each cell with
    or without a time of day), and the other formats that would read them too (day and
    month order cannot always be told apart). When none reads them all, the one that reads
    most of them (more than half), so that the others are refused by their rows."""
    sample = pc.utf8_trim_whitespace(col.slice(0, 2000))
    sample = sample.filter(pc.not_equal(sample, ""))
    if len(sample) == 0:
        return None, []
    read = {day: pc.sum(pc.is_valid(_strptime(sample, day, TIME_SUFFIXES))).as_py() or 0
            for day in DATE_FORMATS}
    fits = [day for day, count in read.items() if count == len(sample)]
    if fits:
        return fits[0], fits[1:]
    if _iso_with_zone(sample):
        return "ISO 8601", []
    most = max(DATE_FORMATS, key=read.__getitem__)
    return (most, []) if read[most] * 2 > len(sample) else (None, [])


def _strptime(text: pa.Array, day: str, suffixes: tuple[str, ...]) -> pa.Array:
    """Cells read with ``day`` followed by any of ``suffixes`` (times of day, or none)."""
    parsed = [pc.strptime(text, day + suffix, "us", error_is_null=True) for suffix in suffixes]
    found = pc.coalesce(*parsed) if len(parsed) > 1 else parsed[0]
    if "%Y" in day:  # %Y takes "26" as the year 26 AD: a two-digit year is %y's to read
        found = pc.if_else(pc.less(pc.year(found), 1000), pa.scalar(None, found.type), found)
    return found


def _suffixes(text: pa.Array, day: str) -> tuple[str, ...]:
    """The times of day that occur with ``day`` in a sample, so a long column is parsed
    once per format it uses instead of once per format there is."""
    sample = text.slice(0, 2000)
    used = tuple(sfx for sfx in TIME_SUFFIXES
                 if pc.any(pc.is_valid(pc.strptime(sample, day + sfx, "us",
                                                   error_is_null=True))).as_py())
    return used or TIME_SUFFIXES


def _iso_with_zone(sample: pa.Array) -> bool:
    return pc.all(pc.match_substring_regex(
        sample, r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
    ).as_py()


def human_format(fmt: str) -> str:
    """``%d/%m/%Y`` as ``DD/MM/YYYY``: the way a spreadsheet user writes a date format."""
    for code, word in (("%d", "DD"), ("%m", "MM"), ("%Y", "YYYY"), ("%y", "YY"), ("%H", "hh"),
                       ("%M", "mm"), ("%S", "ss"), ("%f", "ffffff")):
        fmt = fmt.replace(code, word)
    return fmt


def to_times(col: pa.Array, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps (UTC, naive datetime64[us]) and a mask of cells that do not parse."""
    text = pc.utf8_trim_whitespace(col)
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    if fmt == "ISO 8601":
        import pandas as pd

        parsed = pd.to_datetime(pd.Series(text.to_pylist()).replace("", None),
                                format="ISO8601", utc=True, errors="coerce")
        values = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    else:
        values = _strptime(text, fmt, _suffixes(text, fmt)).to_numpy(
            zero_copy_only=False).astype("datetime64[us]")
        if np.isnat(values).any():  # formats the sample did not show: try them all
            values = _strptime(text, fmt, TIME_SUFFIXES).to_numpy(
                zero_copy_only=False).astype("datetime64[us]")
        values[_rolled_over(text, fmt, values)] = np.datetime64("NaT")
    bad = np.isnat(values) & ~empty
    return values, bad


_DAY_FIELDS = {"%d": r"(?P<day>\d{1,2})", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{2}"}


def _rolled_over(text: pa.Array, fmt: str, values: np.ndarray) -> np.ndarray:
    """Cells whose day of the month is not the day written: Arrow's strptime (the C
    library's) reads 30 February as 2 March, where a spreadsheet and Python refuse it.
    Only a day from 1 to 3 can be a rolled-over 29th to 31st, so only those are checked."""
    days = pc.day(pa.array(values, type=pa.timestamp("us"), from_pandas=True))
    suspects = np.flatnonzero(pc.fill_null(pc.less_equal(days, 3), False).to_numpy(
        zero_copy_only=False))
    rolled = np.zeros(len(values), dtype=bool)
    if len(suspects) == 0:
        return rolled
    pattern = "^" + "".join(_DAY_FIELDS.get(part, re.escape(part))
                            for part in re.split(r"(%[dmYy])", fmt))
    written = pc.struct_field(pc.extract_regex(text.take(suspects), pattern), [0])
    wrong = pc.not_equal(pc.cast(written, pa.int64()), days.take(suspects))
    rolled[suspects] = pc.fill_null(wrong, False).to_numpy(zero_copy_only=False)
    return rolled


def looks_numeric(col: pa.Array, separator: str | None) -> tuple[bool, str]:
    sample = col.slice(0, 2000)
    _, bad = to_numbers(sample, decimal_mark(sample, separator))
    filled = pc.not_equal(pc.utf8_trim_whitespace(sample), "").to_numpy(zero_copy_only=False)
    return bool(filled.any() and not (bad & filled).any()), decimal_mark(sample, separator)


def quote(text: str, limit: int = 40) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "'" + re.sub(r"\s+", " ", text) + "'"
