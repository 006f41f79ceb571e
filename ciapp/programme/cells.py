"""The columns a programme import understands, and reading one cell of them.

Pure: no Flask, no database. The file itself is read by ``ciapp.datasets.reading`` (the same
reader as a data set's import); this module names the fields a register or a benefits sheet
has, suggests which column is which from its header, and turns a cell's text into a value or
a reason to refuse it. A refusal names the row and the column the way a spreadsheet does
(row 7, column C "Lead").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import numpy as np
import pyarrow as pa

from ..core.money import CENT, as_money
from ..datasets.problems import Problem
from ..datasets.reading import (
    DATE_FORMATS,
    RawTable,
    date_format,
    decimal_mark,
    human_format,
    quote,
    to_numbers,
    to_times,
)

KINDS = {"projects": "Project register", "benefits": "Benefits spreadsheet"}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    hint: str = ""


PROJECT_FIELDS: tuple[Field, ...] = (
    Field("title", "Title", ("title", "project", "projectname", "projecttitle", "name"), True),
    Field("methodology", "Methodology", ("methodology", "projecttype", "approach", "type"),
          hint="DMAIC or Kaizen; empty is DMAIC"),
    Field("site", "Site", ("site", "plant", "location", "facility"), hint="by name"),
    Field("area", "Area", ("area", "department", "dept", "valuestream"),
          hint="by name, within the site"),
    Field("lead", "Lead", ("lead", "leademail", "projectlead", "leader", "projectleader",
                           "owner", "belt"), True, hint="e-mail (or exact name)"),
    Field("sponsor", "Sponsor", ("sponsor", "sponsoremail", "champion"),
          hint="e-mail (or exact name)"),
    Field("phase", "Phase", ("phase", "currentphase", "dmaicphase", "stage", "gate"),
          hint="Define, Measure, Analyze, Improve, Control (or the Kaizen names); "
               "empty is the first"),
    Field("status", "Status", ("status", "state"),
          hint="Active, On hold, Cancelled, Closed; empty is Active"),
    Field("start_date", "Start date", ("startdate", "start", "started", "opened", "kickoff")),
    Field("target_date", "Target date", ("targetdate", "duedate", "due", "enddate", "end",
                                         "plannedend", "targetcompletion", "finish")),
    Field("closed_on", "Closed on", ("closedon", "closed", "closedate", "completed",
                                     "completiondate", "actualend"),
          hint="for closed projects; empty is the day of the import"),
    Field("problem", "Problem statement", ("problem", "problemstatement")),
    Field("goal", "Goal", ("goal", "goalstatement", "objective")),
    Field("in_scope", "In scope", ("inscope", "scope")),
    Field("out_of_scope", "Out of scope", ("outofscope", "outscope")),
    Field("business_case", "Business case", ("businesscase", "rationale")),
    Field("metric_name", "Primary metric", ("primarymetric", "metric", "kpi", "ymetric")),
    Field("metric_unit", "Metric unit", ("metricunit", "unit", "units")),
    Field("metric_better", "Better is", ("betteris", "better", "direction"),
          hint="lower or higher; empty is lower"),
    Field("target", "Metric target", ("target", "metrictarget", "targetvalue")),
)

BENEFIT_FIELDS: tuple[Field, ...] = (
    Field("project", "Project", ("project", "projectkey", "key", "projectid", "projecttitle"),
          True, hint="its key (CI-2026-0001) or its exact title"),
    Field("category", "Category", ("category", "benefitcategory", "benefittype", "type"), True,
          hint="Hard savings, Soft savings, Cost avoidance, Revenue"),
    Field("description", "Description", ("description", "benefit", "benefitdescription",
                                         "line", "item"), True),
    Field("method", "Calculation", ("calculation", "method", "calculationmethod", "basis")),
    Field("projected", "Projected annual amount", (
        "projected", "projectedannual", "projectedannualamount", "annual", "annualamount",
        "projectedsavings", "annualsavings", "projectedamount"),
        hint="or a quantity and a value per unit"),
    Field("quantity", "Quantity a year", ("quantity", "qty", "volume", "quantityayear")),
    Field("quantity_unit", "Unit of the quantity", ("quantityunit", "unit", "uom")),
    Field("unit_value", "Value per unit", ("unitvalue", "valueperunit", "unitcost", "rate")),
    Field("start_month", "First month", ("startmonth", "firstmonth", "start", "from"),
          hint="empty is the first realized month"),
    Field("month", "Month (one row per month)", ("month", "period"),
          hint="only for one row per month; otherwise months are columns"),
    Field("amount", "Realized amount (one row per month)", (
        "amount", "realized", "realizedamount", "actual", "actualsavings")),
)

FIELDS = {"projects": PROJECT_FIELDS, "benefits": BENEFIT_FIELDS}


def template_csv(kind: str) -> str:
    """The header row of a file with every column ``kind`` understands, by their labels
    (which the mapping recognises); benefits get this year's first three months as
    columns, the layout with months as columns."""
    labels = [f.label for f in FIELDS[kind] if f.name not in ("month", "amount")]
    if kind == "benefits":
        year = date.today().year
        labels += [f"{year}-{m:02d}" for m in (1, 2, 3)]
    return ",".join(f'"{label}"' for label in labels) + "\r\n"


def norm(text: str) -> str:
    """A header or a choice compared loosely: lower case, letters and digits only."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def suggest(headers: Sequence[str], kind: str) -> dict[str, str]:
    """Columns whose header is one of a field's names take that field; each column once."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for field in FIELDS[kind]:
        for header in headers:
            if header not in taken and norm(header) in (norm(field.label), *field.synonyms):
                mapping[field.name] = header
                taken.add(header)
                break
    return mapping


def letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


@dataclass(frozen=True)
class Refusal:
    """Why a row (or the whole sheet, when ``row`` is None) cannot be imported."""

    row: int | None
    column: str | None  # the letter, as the spreadsheet shows it
    header: str | None
    reason: str

    @property
    def message(self) -> str:
        where = [f"Row {self.row}"] if self.row is not None else []
        if self.column:
            where.append(f"column {self.column} ({self.header})")
        return (", ".join(where) + ": " if where else "") + self.reason

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "header": self.header,
                "message": self.message}

    def as_problem(self) -> Problem:
        return Problem(self.message, self.row, self.header)


class Sheet:
    """A read table with the columns chosen for each field: cells by field and row index,
    refusals that name the spreadsheet's row and column."""

    def __init__(self, raw: RawTable, mapping: Mapping[str, str]) -> None:
        self.raw = raw
        self.mapping = dict(mapping)
        self._cells = {name: raw.column(header).to_pylist() for name, header in mapping.items()}

    @property
    def n_rows(self) -> int:
        return self.raw.n_rows

    def row(self, i: int) -> int:
        return int(self.raw.rows[i])

    def has(self, name: str) -> bool:
        return name in self._cells

    def cell(self, name: str, i: int) -> str:
        cells = self._cells.get(name)
        return (cells[i] or "").strip() if cells is not None else ""

    def column_of(self, header: str) -> str:
        return letter(self.raw.headers.index(header))

    def refuse(self, i: int | None, name: str | None, reason: str) -> Refusal:
        header = self.mapping.get(name or "")
        return Refusal(None if i is None else self.row(i),
                       self.column_of(header) if header else None, header, reason)

    def refuse_header(self, i: int, header: str, reason: str) -> Refusal:
        return Refusal(self.row(i), self.column_of(header), header, reason)


def mapping_refusals(raw: RawTable, mapping: Mapping[str, str], kind: str) -> list[Refusal]:
    """What is wrong with the choice of columns itself: a required field without a column,
    a column chosen twice, a header the file does not have."""
    refusals = []
    labels = {f.name: f.label for f in FIELDS[kind]}
    for name, header in mapping.items():
        if name not in labels:
            refusals.append(Refusal(None, None, None, f"Unknown field '{name}'; the fields "
                                    f"are {', '.join(labels)}."))
        elif header not in raw.headers:
            refusals.append(Refusal(None, None, None, f"{labels[name]}: there is no column "
                                    f"named {quote(header)} in the file."))
    for header in set(mapping.values()):
        chosen = [labels.get(n, n) for n, h in mapping.items() if h == header]
        if len(chosen) > 1 and header in raw.headers:
            refusals.append(Refusal(None, letter(raw.headers.index(header)), header,
                                    f"is chosen for {' and '.join(chosen)}; choose one column "
                                    "per field."))
    for field in FIELDS[kind]:
        if field.required and field.name not in mapping:
            refusals.append(Refusal(None, None, None, f"Choose the column that holds the "
                                    f"{field.label.lower()}: every row needs one."))
    return refusals


# ---- reading one cell ------------------------------------------------------------------

def choice(text: str, table: Mapping[str, str], what: str, allowed: str) -> str:
    """The value ``text`` names in ``table`` (keys compared by :func:`norm`)."""
    value = table.get(norm(text))
    if value is None:
        raise ValueError(f"{quote(text)} is not a {what}; use {allowed}.")
    return value


def limited(text: str, limit: int, label: str) -> str:
    if len(text) > limit:
        raise ValueError(f"the {label} is {len(text):,} characters long; the limit is "
                         f"{limit:,}.")
    return text


def dates(sheet: Sheet, name: str) -> tuple[list[date | None], list[Refusal]]:
    """A column of days, read with the one common format that reads the most of its cells
    (so 03/04/2026 is read the same way in every row), and the cells it cannot read."""
    n = sheet.n_rows
    if not sheet.has(name):
        return [None] * n, []
    col = sheet.raw.column(sheet.mapping[name])
    fmt, _ = date_format(col)
    if fmt is None:
        fmt = _most_read_format(col)
    values, bad = to_times(col, fmt)
    out: list[date | None] = []
    refusals = []
    for i in range(n):
        if bad[i]:
            refusals.append(sheet.refuse(i, name, f"{quote(sheet.cell(name, i))} is not a date "
                                         f"like the others ({human_format(fmt)})."))
            out.append(None)
        else:
            out.append(None if np.isnat(values[i]) else values[i].astype("datetime64[D]")
                       .astype(object))
    return out, refusals


def _most_read_format(col: pa.Array) -> str:
    best, read = DATE_FORMATS[0], -1
    for fmt in DATE_FORMATS:
        _, bad = to_times(col, fmt)
        if int((~bad).sum()) > read:
            best, read = fmt, int((~bad).sum())
    return best


def number_mark(sheet: Sheet, name: str) -> str:
    """The decimal mark of a mapped column, read as the data set import reads it."""
    if not sheet.has(name):
        return "."
    return decimal_mark(sheet.raw.column(sheet.mapping[name]), sheet.raw.separator)


def number(text: str, mark: str) -> float:
    values, bad = to_numbers(pa.array([text], pa.string()), mark)
    if bad[0] or not np.isfinite(values[0]):
        raise ValueError(f"{quote(text)} is not a number.")
    return float(values[0])


CURRENCY_MARKS = re.compile(r"[\s\u00a0\u202f'€$£¥]|\b(?:EUR|USD|GBP|CHF)\b", re.IGNORECASE)


def plain_decimal(text: str, mark: str) -> Decimal:
    """A number as an exact decimal: currency signs and thousands separators dropped,
    the decimal mark of the column honoured, a leading minus or brackets for negatives."""
    cleaned = CURRENCY_MARKS.sub("", text)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()") if negative else cleaned
    cleaned = cleaned.replace("." if mark == "," else ",", "")
    if mark == ",":
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueError(f"{quote(text)} is not an amount.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{quote(text)} is not an amount.") from None
    if not value.is_finite():
        raise ValueError(f"{quote(text)} is not an amount.")
    return -value if negative else value


def money(text: str, mark: str) -> Decimal:
    """An amount to the cent, through ``core.money``. A spreadsheet's formula result that
    is a cent value in binary noise (1234.5600000000001) is that cent value; a real third
    decimal (83.333) is refused rather than rounded unseen."""
    value = plain_decimal(text, mark)
    if abs(value) < Decimal("1e15"):
        cents = value.quantize(CENT)
        if abs(value - cents) <= Decimal("0.000001"):
            value = cents
    try:
        return as_money(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{quote(text)}: {exc}") from None


MONTH_NAMES = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
_NUMERIC_MONTHS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-\d{1,2}(?:[T ][\d:.]+)?)?"),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})(?:/\d{1,2})?"),
    re.compile(r"(?P<m>\d{1,2})[/.-](?P<y>\d{4})"),
)
# A whole day as a month column's header (01/03/2026 or 3/1/2026): the first of a month,
# whichever order the day and the month come in; any other day is ambiguous, so not a month.
_DAY_HEADER = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})")
_NAMED_MONTH = re.compile(r"(?P<name>[A-Za-z]+)\.?[\s\-/']*(?P<y>\d{4}|\d{2})")


def month(text: str) -> date | None:
    """The first of the month ``text`` names, or None: 2026-03, 2026-03-01, 03/2026,
    Mar 2026, March-26, Mar-2026, or an Excel date header (2026-03-01T00:00:00)."""
    text = text.strip()
    for pattern in _NUMERIC_MONTHS:
        found = pattern.fullmatch(text)
        if found:
            return _first_of(int(found["y"]), int(found["m"]))
    found = _DAY_HEADER.fullmatch(text)
    if found:
        a, b = int(found["a"]), int(found["b"])
        number = b if a == 1 else a if b == 1 else 0
        return _first_of(int(found["y"]), number)
    found = _NAMED_MONTH.fullmatch(text)
    if found and found["name"].casefold() in MONTH_NAMES:
        year = int(found["y"])
        return _first_of(year + 2000 if year < 100 else year, MONTH_NAMES[found["name"].casefold()])
    return None


def _first_of(year: int, number: int) -> date | None:
    return date(year, number, 1) if 1 <= number <= 12 and 2000 <= year <= 2100 else None
