"""A benefits spreadsheet, row by row: the benefit lines it would create with their realized
months, or every reason a row cannot be imported.

Two layouts are read. *Months as columns* (wide): one row per line, and every column whose
header is a month (2026-01, Jan 2026, an Excel date) holds that month's realized amount.
*One row per month* (long): a Month and an Amount column; the rows of one line share its
project and description, and the first of them carries the line's figures.

Pure, like ``projectsheet``: the projects and existing lines come in :class:`LedgerRefs`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..benefits.calc import QUANTUM, projected
from ..benefits.models import CATEGORIES
from ..benefits.rollup import ProjectRef
from ..core.money import MAX_AMOUNT
from ..datasets.reading import RawTable, quote
from . import cells
from .cells import Refusal, Sheet
from .projectsheet import Plan, fold

DESCRIPTION_MAX = 200
METHOD_MAX = 2000
UNIT_MAX = 40
QUANTITY_MAX = Decimal("99999999999.9999")  # Numeric(15, 4)
KEY_RE = re.compile(r"[A-Za-z]{2}-\d{4}-\d{4,}")
CATEGORY_NAMES = {cells.norm(text): key for key, label in CATEGORIES.items()
                  for text in (key, label)} | {
    "hard": "hard_savings", "hardsaving": "hard_savings", "soft": "soft_savings",
    "softsaving": "soft_savings", "avoidance": "cost_avoidance",
    "costavoided": "cost_avoidance", "sales": "revenue", "revenueincrease": "revenue"}


@dataclass(frozen=True)
class LedgerRefs:
    by_key: Mapping[str, ProjectRef] = field(default_factory=dict)  # upper-case key
    by_title: Mapping[str, tuple[ProjectRef, ...]] = field(default_factory=dict)
    lines: frozenset[tuple[int, str]] = frozenset()  # (project id, folded description)


@dataclass
class NewLine:
    """One benefit line to create, with its realized months."""

    row: int
    project: ProjectRef
    category: str
    description: str
    method: str
    quantity: Decimal
    quantity_unit: str
    unit_value: Decimal
    projected: Decimal
    start_month: date | None
    months: dict[date, Decimal] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]

    @property
    def realized(self) -> Decimal:
        return sum(self.months.values(), Decimal("0.00"))

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "project": self.project.key,
                "category": self.category, "description": self.description,
                "method": self.method, "quantity": str(self.quantity),
                "quantity_unit": self.quantity_unit, "unit_value": str(self.unit_value),
                "projected": str(self.projected),
                "start_month": f"{self.start_month:%Y-%m}" if self.start_month else None,
                "months": {f"{m:%Y-%m}": str(a) for m, a in sorted(self.months.items())}}


def month_columns(raw: RawTable, mapping: Mapping[str, str]) -> list[tuple[str, date]]:
    """The wide layout's month columns: headers that read as a month, not chosen for a
    field."""
    chosen = set(mapping.values())
    found = ((h, cells.month(h)) for h in raw.headers if h not in chosen)
    return [(h, m) for h, m in found if m is not None]


def is_long(mapping: Mapping[str, str]) -> bool:
    return "month" in mapping or "amount" in mapping


def parse(raw: RawTable, mapping: Mapping[str, str], refs: LedgerRefs, today: date) -> Plan:
    refused = cells.mapping_refusals(raw, mapping, "benefits")
    if is_long(mapping) and not {"month", "amount"} <= set(mapping):
        refused.append(Refusal(None, None, None, "One row per month needs both a Month and "
                               "an Amount column; for months as columns choose neither."))
    if refused:
        return Plan([], refused, raw.n_rows)
    sheet = Sheet(raw, mapping)
    reader = _Reader(sheet, refs, today.replace(day=1))
    for i in range(sheet.n_rows):
        reader.read(i)
    return Plan(reader.finish(), sorted(reader.refused, key=lambda r: (r.row or 0,
                                                                         r.column or "")),
                raw.n_rows)


class _Reader:
    def __init__(self, sheet: Sheet, refs: LedgerRefs, this_month: date) -> None:
        self.sheet, self.refs, self.this_month = sheet, refs, this_month
        self.long = is_long(sheet.mapping)
        self.wide = [] if self.long else month_columns(sheet.raw, sheet.mapping)
        self.marks = {name: cells.number_mark(sheet, name)
                      for name in ("projected", "quantity", "unit_value", "amount")}
        self.wide_marks = {h: cells.decimal_mark(sheet.raw.column(h), sheet.raw.separator)
                           for h, _ in self.wide}
        self.lines: dict[tuple[int, str], NewLine] = {}
        self.refused: list[Refusal] = []
        self.bad_rows: set[int] = set()

    def refuse(self, i: int, name: str | None, reason: str) -> None:
        self.refused.append(self.sheet.refuse(i, name, reason))
        self.bad_rows.add(self.sheet.row(i))

    def cell(self, name: str, i: int) -> str:
        return self.sheet.cell(name, i)

    def read(self, i: int) -> None:
        project = self.project(i)
        description = self.cell("description", i)
        if not description:
            self.refuse(i, "description", "the description is empty; every benefit line "
                        "needs one.")
        elif len(description) > DESCRIPTION_MAX:
            self.refuse(i, "description", f"the description is {len(description)} "
                        f"characters long; the limit is {DESCRIPTION_MAX}.")
            description = ""
        months = self.months(i)
        if project is None or not description:
            self.line_fields(i)  # every fault of the row, even when it cannot be a line
            return
        key = (project.id, fold(description))
        if key in self.refs.lines:
            self.refuse(i, "description", f"{project.key} already has a benefit line "
                        f"{quote(description)}; importing it again would count it twice.")
            return
        first = self.lines.get(key)
        if first is None:
            line = self.line_fields(i)
            if line is not None:
                line.project, line.description = project, description
                self.lines[key] = line
                self.add_months(i, line, months)
        elif not self.long:
            self.refuse(i, "description", f"the same line as row {first.row} (same project "
                        "and description).")
        else:
            self.same_line(i, first)
            self.add_months(i, first, months)

    def project(self, i: int) -> ProjectRef | None:
        text = self.cell("project", i)
        if not text:
            self.refuse(i, "project", "the project is empty; give its key or its title.")
            return None
        if KEY_RE.fullmatch(text):
            found = self.refs.by_key.get(text.upper())
            if found is None:
                self.refuse(i, "project", f"there is no project {text.upper()}.")
            return found
        named = self.refs.by_title.get(fold(text), ())
        if len(named) != 1:
            self.refuse(i, "project", f"there is no project with the key or title "
                        f"{quote(text)}." if not named else f"{len(named)} projects are "
                        f"titled {quote(text)}; give the key instead.")
            return None
        return named[0]

    def line_fields(self, i: int) -> NewLine | None:
        ok = True
        category = ""
        text = self.cell("category", i)
        if not text:
            self.refuse(i, "category", "the category is empty; use Hard savings, Soft "
                        "savings, Cost avoidance or Revenue.")
            ok = False
        else:
            try:
                category = cells.choice(text, CATEGORY_NAMES, "benefit category",
                                        "Hard savings, Soft savings, Cost avoidance or "
                                        "Revenue")
            except ValueError as exc:
                self.refuse(i, "category", str(exc))
                ok = False
        method, unit = self.cell("method", i), self.cell("quantity_unit", i)
        for name, value, limit in (("method", method, METHOD_MAX),
                                   ("quantity_unit", unit, UNIT_MAX)):
            if len(value) > limit:
                self.refuse(i, name, f"{len(value)} characters; the limit is {limit}.")
                ok = False
        figures = self.figures(i)
        start = self.start_month(i)
        if not ok or figures is None or start is False:
            return None
        quantity, unit_value, annual = figures
        if quantity == 1 and not unit and not self.cell("quantity", i):
            unit = "year"
        return NewLine(self.sheet.row(i), ProjectRef(0, "", ""), category, "", method,
                       quantity, unit, unit_value, annual, start or None,
                       rows=[self.sheet.row(i)])

    def amount(self, i: int, name: str, *, positive: bool) -> Decimal | None:
        text = self.cell(name, i)
        if not text:
            return None
        try:
            value = cells.money(text, self.marks[name])
        except ValueError as exc:
            self.refuse(i, name, str(exc))
            return None
        if positive and value <= 0:
            self.refuse(i, name, f"{quote(text)} must be more than zero.")
            return None
        return value

    def figures(self, i: int) -> tuple[Decimal, Decimal, Decimal] | None:
        """Quantity x value per unit, or the projected annual amount as 1 year x amount."""
        annual = self.amount(i, "projected", positive=True)
        if self.cell("quantity", i) or self.cell("unit_value", i):
            quantity = self.quantity(i)
            unit_value = self.amount(i, "unit_value", positive=True)
            if self.cell("quantity", i) and not self.cell("unit_value", i):
                self.refuse(i, "unit_value", "the value per unit is empty; a quantity needs "
                            "one.")
            if self.cell("unit_value", i) and not self.cell("quantity", i):
                self.refuse(i, "quantity", "the quantity is empty; a value per unit needs "
                            "one.")
            if quantity is None or unit_value is None:
                return None
            computed = projected(quantity, unit_value)
            if computed > MAX_AMOUNT:
                self.refuse(i, "quantity", f"{quantity} x {unit_value} is above the largest "
                            "amount.")
                return None
            if annual is not None and annual != computed:
                self.refuse(i, "projected", f"{annual} is not {quantity} x {unit_value} "
                            f"= {computed}.")
                return None
            return quantity, unit_value, computed
        if annual is None:
            if not self.cell("projected", i):
                self.refuse(i, "projected", "the projected annual amount is empty; give it, "
                            "or a quantity and a value per unit.")
            return None
        return Decimal("1.0000"), annual, annual

    def quantity(self, i: int) -> Decimal | None:
        text = self.cell("quantity", i)
        if not text:
            return None
        try:
            value = cells.plain_decimal(text, self.marks["quantity"])
        except ValueError as exc:
            self.refuse(i, "quantity", str(exc))
            return None
        if value <= 0 or value > QUANTITY_MAX or value != value.quantize(QUANTUM):
            self.refuse(i, "quantity", f"{quote(text)} must be above zero, with at most four "
                        "decimals.")
            return None
        return value.quantize(QUANTUM)

    def start_month(self, i: int) -> date | None | bool:
        """The first month; None when the cell is empty; False when it does not read."""
        text = self.cell("start_month", i)
        if not text:
            return None
        found = cells.month(text)
        if found is None:
            self.refuse(i, "start_month", f"{quote(text)} is not a month; write it as "
                        "YYYY-MM, such as 2026-03.")
            return False
        return found

    def months(self, i: int) -> dict[date, tuple[Decimal, str | None]]:
        """The row's realized amounts: by month, with the header of the cell they came from
        (wide) or None (long)."""
        out: dict[date, tuple[Decimal, str | None]] = {}
        if self.long:
            text, amount_text = self.cell("month", i), self.cell("amount", i)
            if not text and not amount_text:
                return out
            found = cells.month(text) if text else None
            if found is None:
                self.refuse(i, "month", f"{quote(text)} is not a month; write it as YYYY-MM."
                            if text else "the month is empty but the row has an amount.")
            amount = self.amount(i, "amount", positive=False)
            if amount is None and not amount_text and found is not None:
                self.refuse(i, "amount", f"no realized amount for {found:%Y-%m}.")
            if found is not None and amount is not None and self.current(i, "month", found):
                out[found] = (amount, None)
            return out
        for header, found in self.wide:
            text = self.sheet.raw.column(header)[i].as_py().strip()
            if not text:
                continue
            try:
                amount = cells.money(text, self.wide_marks[header])
            except ValueError as exc:
                self.refused.append(self.sheet.refuse_header(i, header, str(exc)))
                self.bad_rows.add(self.sheet.row(i))
                continue
            if self.current(i, None, found, header):
                out[found] = (amount, header)
        return out

    def current(self, i: int, name: str | None, found: date, header: str | None = None
                ) -> bool:
        if found <= self.this_month:
            return True
        reason = (f"{found:%Y-%m} has not begun; realized amounts are for months that "
                  "have started.")
        if header:
            self.refused.append(self.sheet.refuse_header(i, header, reason))
            self.bad_rows.add(self.sheet.row(i))
        else:
            self.refuse(i, name, reason)
        return False

    def add_months(self, i: int, line: NewLine, months: dict[date, tuple[Decimal, str | None]]
                   ) -> None:
        for found, (amount, _) in months.items():
            if found in line.months:
                self.refuse(i, "month", f"{found:%Y-%m} is given twice for "
                            f"{quote(line.description)} (also in row {line.row}).")
                continue
            line.months[found] = amount
        if self.sheet.row(i) not in line.rows:
            line.rows.append(self.sheet.row(i))

    def same_line(self, i: int, first: NewLine) -> None:
        """A later row of a line (one row per month): its line fields, where filled in,
        must say what the first row says."""
        category = self.cell("category", i)
        if category and CATEGORY_NAMES.get(cells.norm(category)) != first.category:
            self.refuse(i, "category", f"{quote(category)} differs from row {first.row}'s "
                        f"category ({first.category_label}) for the same line.")
        annual = self.amount(i, "projected", positive=True)
        if annual is not None and annual != first.projected:
            self.refuse(i, "projected", f"{annual} differs from row {first.row}'s projected "
                        f"amount ({first.projected}) for the same line.")
        method = self.cell("method", i)
        if method and method != first.method:
            self.refuse(i, "method", f"the calculation differs from row {first.row}'s for "
                        "the same line.")

    def finish(self) -> list[NewLine]:
        done = []
        for line in self.lines.values():
            if line.start_month is None:
                if not line.months:
                    where = self.sheet.raw.rows.tolist().index(line.row)
                    self.refuse(where, "start_month" if self.sheet.has("start_month")
                                else None, "the line has no first month and no realized "
                                "months; give a First month (YYYY-MM).")
                    continue
                line.start_month = min(line.months)
            if not self.bad_rows.intersection(line.rows):
                done.append(line)
        return done
