"""From text columns to a data set's typed table: the preview, the column roles, the checks.

The second half of an import. :func:`preview` says how each column reads and suggests which
column plays which role; :func:`build` converts the chosen columns and refuses the whole
import, naming rows and columns, when any cell is wrong (nothing is half-saved because
nothing is saved here at all). :func:`from_records` runs the same checks on rows sent as
JSON by the API or typed into the grid. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .problems import ImportProblem, Problem
from .reading import (
    NON_FINITE_RE,
    SEPARATORS,
    RawTable,
    date_format,
    decimal_mark,
    human_format,
    looks_numeric,
    quote,
    to_numbers,
    to_times,
)

KINDS = ("continuous", "defectives", "defects", "categories", "gage")
ROLES = ("value", "subgroup", "n", "stage", "time", "note", "category", "part", "operator")
REQUIRED = {
    "continuous": ("value",),
    "defectives": ("value", "n"),
    "defects": ("value", "n"),
    "categories": ("category", "value"),
    "gage": ("part", "operator", "value"),
}
_COMMON = ("value", "stage", "time", "note")
ALLOWED = {
    "continuous": (*_COMMON, "subgroup"),
    "defectives": (*_COMMON, "n", "subgroup"),
    "defects": (*_COMMON, "n", "subgroup"),
    "categories": ("category", "value", "stage", "note"),
    "gage": ("part", "operator", "value", "time", "note"),
}
COUNT_KINDS = ("defectives", "defects", "categories")
TEXT_ROLES = ("subgroup", "stage", "note", "category", "part", "operator")
ROLE_LABELS = {
    "value": "value", "subgroup": "subgroup", "n": "sample size", "stage": "stage",
    "time": "timestamp", "note": "note", "category": "category", "part": "part",
    "operator": "operator",
}
# Header words that suggest a role; compared lower-cased with spaces and punctuation removed.
SYNONYMS = {
    "value": ("value", "measurement", "measure", "result", "reading", "y", "x", "count",
              "defectives", "defects"),
    "subgroup": ("subgroup", "batch", "lot", "sample", "group", "sampleid"),
    "n": ("n", "samplesize", "size", "units", "inspected", "opportunities", "denominator"),
    "stage": ("stage", "phase", "period"),
    "time": ("time", "date", "timestamp", "datetime", "when", "day"),
    "note": ("note", "notes", "comment", "comments", "remark"),
    "category": ("category", "cause", "defecttype", "type", "reason"),
    "part": ("part", "partid", "item"),
    "operator": ("operator", "appraiser", "inspector", "person"),
}
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class ColumnPreview:
    header: str
    reads_as: str  # "number", "date", "text" or "empty"
    decimal: str | None
    date_format: str | None
    samples: tuple[str, ...]
    problems: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header, "reads_as": self.reads_as, "decimal": self.decimal,
                "date_format": self.date_format, "samples": list(self.samples),
                "problems": list(self.problems)}


@dataclass(frozen=True)
class Preview:
    source: str
    encoding: str | None
    separator: str | None
    sheet: str | None
    sheets: tuple[str, ...]
    rows: int
    columns: tuple[ColumnPreview, ...]
    mapping: Mapping[str, str]
    first_rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "encoding": self.encoding,
                "separator": SEPARATORS.get(self.separator or "", None),
                "sheet": self.sheet, "sheets": list(self.sheets), "rows": self.rows,
                "columns": [c.to_dict() for c in self.columns], "mapping": dict(self.mapping),
                "first_rows": [list(r) for r in self.first_rows], "notes": list(self.notes)}


def preview(raw: RawTable, kind: str = "continuous") -> Preview:
    columns = tuple(describe(raw, h) for h in raw.headers)
    first = tuple(tuple(col[i].as_py() for col in raw.columns) for i in range(min(5, raw.n_rows)))
    return Preview(source=raw.source, encoding=raw.encoding, separator=raw.separator,
                   sheet=raw.sheet, sheets=raw.sheets, rows=raw.n_rows, columns=columns,
                   mapping=suggest_mapping(columns, kind), first_rows=first, notes=raw.notes)


def describe(raw: RawTable, header: str) -> ColumnPreview:
    col = raw.column(header)
    filled = col.filter(pc.not_equal(pc.utf8_trim_whitespace(col), ""))
    samples = tuple(filled.slice(0, 5).to_pylist())
    if len(filled) == 0:
        return ColumnPreview(header, "empty", None, None, (), ("Every cell is empty.",))
    numeric, mark = looks_numeric(filled, raw.separator)
    if numeric:
        return ColumnPreview(header, "number", mark, None, samples, ())
    fmt, others = date_format(filled)
    if fmt:
        problems = (f"Dates could also be read as {human_format(others[0])}; check the day "
                    "and month order.",) if others else ()
        return ColumnPreview(header, "date", None, human_format(fmt), samples, problems)
    problems = ()
    values, bad = to_numbers(filled, mark)
    if bad.mean() < 0.5:  # mostly numbers: say which cells are not
        texts = filled.filter(pa.array(bad)).slice(0, 3).to_pylist()
        problems = (f"{int(bad.sum())} cell(s) are not numbers, e.g. "
                    + ", ".join(quote(t) for t in texts) + ".",)
    return ColumnPreview(header, "text", None, None, samples, problems)


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def suggest_mapping(columns: Sequence[ColumnPreview], kind: str) -> dict[str, str]:
    """Columns named like a role take it; otherwise the first number column is the value."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for role in ROLES:
        for col in columns:
            if col.header not in taken and _norm(col.header) in SYNONYMS[role]:
                mapping[role] = col.header
                taken.add(col.header)
                break
    if "value" not in mapping:
        for col in columns:
            if col.reads_as == "number" and col.header not in taken:
                mapping["value"] = col.header
                break
    return {role: header for role, header in mapping.items() if role in ALLOWED[kind]}


def build(raw: RawTable, mapping: Mapping[str, str], kind: str, *,
          subgroup_size: int | None = None,
          decimals: Mapping[str, str] | None = None) -> pa.Table:
    """The data set's table: one column per mapped role, typed, every cell checked.

    Raises :class:`ImportProblem` listing up to twenty faults, each with its row as the
    spreadsheet numbers it (or ``rows[i]`` for JSON) and its column header.
    """
    check_mapping(raw, mapping, kind)
    problems: list[Problem] = []
    out: dict[str, pa.Array] = {}
    for role, header in mapping.items():
        col = raw.column(header)
        if role in ("value", "n"):
            mark = (decimals or {}).get(header) or decimal_mark(col, raw.separator)
            out[role] = pa.array(numbers(raw, col, header, role, kind, mark, problems))
        elif role == "time":
            out[role] = times(raw, col, header, problems)
        else:
            out[role] = pc.utf8_trim_whitespace(col)
            if role in REQUIRED[kind]:
                for i in _first(pc.equal(out[role], "").to_numpy(zero_copy_only=False)):
                    problems.append(Problem(f"{where(raw, i)}, column '{header}' is empty; "
                                            f"every row needs a {ROLE_LABELS[role]}.",
                                            int(raw.rows[i]), header))
    if "value" in out and "n" in out and kind == "defectives":
        over = out["value"].to_numpy(zero_copy_only=False) > out["n"].to_numpy(
            zero_copy_only=False)
        for i in _first(over):
            problems.append(Problem(
                f"{where(raw, i)}: {out['value'][i].as_py():g} defectives is more than the "
                f"sample size {out['n'][i].as_py():g} (column '{mapping['n']}').",
                int(raw.rows[i]), mapping["value"]))
    if subgroup_size is not None:
        problems.extend(subgroup_problems(raw, out.get("subgroup"), mapping.get("subgroup"),
                                          subgroup_size))
    if problems:
        raise ImportProblem.collect(problems[:MAX_PROBLEMS])
    return pa.table(out)


def check_mapping(raw: RawTable, mapping: Mapping[str, str], kind: str) -> None:
    if kind not in KINDS:
        raise ImportProblem(f"Unknown kind '{kind}'; use one of {', '.join(KINDS)}.",
                            column="kind")
    for role, header in mapping.items():
        if role not in ROLES:
            raise ImportProblem(f"Unknown role '{role}'; the roles are {', '.join(ROLES)}.",
                                column="map")
        raw.column(header)  # names the missing column
    used = [h for h in mapping.values()]
    for header in set(used):
        if used.count(header) > 1:
            roles = [r for r, h in mapping.items() if h == header]
            raise ImportProblem(f"Column '{header}' is chosen for {' and '.join(roles)}; "
                                "choose one column per role.", column="map")
    missing = [ROLE_LABELS[r] for r in REQUIRED[kind] if r not in mapping]
    if missing:
        raise ImportProblem(f"A {kind} data set needs a column for: {', '.join(missing)}.",
                            column="map")


def where(raw: RawTable, i: int) -> str:
    return f"rows[{int(raw.rows[i])}]" if raw.source == "json" else f"Row {int(raw.rows[i])}"


def _first(mask: np.ndarray, limit: int = MAX_PROBLEMS) -> np.ndarray:
    return np.flatnonzero(mask)[:limit]


def numbers(raw: RawTable, col: pa.Array, header: str, role: str, kind: str, mark: str,
            problems: list[Problem]) -> np.ndarray:
    values, bad = to_numbers(col, mark)
    label = ROLE_LABELS[role]
    non_finite = pc.match_substring_regex(pc.utf8_trim_whitespace(col),
                                          NON_FINITE_RE).to_numpy(zero_copy_only=False)
    overflow = np.isinf(values)
    for i in _first(bad | overflow):
        text = col[i].as_py()
        why = "is not a finite number" if non_finite[i] or overflow[i] else "is not a number"
        problems.append(Problem(f"{where(raw, i)}, column '{header}': {quote(text)} {why}.",
                                int(raw.rows[i]), header))
    empty = np.isnan(values) & ~bad
    for i in _first(empty):
        problems.append(Problem(f"{where(raw, i)}, column '{header}' is empty; every row "
                                f"needs a {label}.", int(raw.rows[i]), header))
    finite = np.isfinite(values)
    if role == "n":
        for i in _first(finite & (values <= 0)):
            problems.append(Problem(f"{where(raw, i)}, column '{header}': the sample size "
                                    f"must be above 0, not {values[i]:g}.",
                                    int(raw.rows[i]), header))
    if role == "value" and kind in COUNT_KINDS or role == "n" and kind == "defectives":
        for i in _first(finite & (values < 0)):
            problems.append(Problem(f"{where(raw, i)}, column '{header}': {values[i]:g} is "
                                    f"negative; a count cannot be.", int(raw.rows[i]), header))
        whole = np.equal(np.floor(values), values)
        for i in _first(finite & ~whole):
            problems.append(Problem(f"{where(raw, i)}, column '{header}': {values[i]:g} is "
                                    f"not a whole number; {label}s are counted.",
                                    int(raw.rows[i]), header))
    return values


def times(raw: RawTable, col: pa.Array, header: str, problems: list[Problem]) -> pa.Array:
    fmt, _ = date_format(col)
    if fmt is None:
        filled = np.flatnonzero(pc.not_equal(pc.utf8_trim_whitespace(col), "").to_numpy(
            zero_copy_only=False))
        if len(filled) == 0:
            return pa.nulls(len(col), pa.timestamp("us"))
        i = filled[0]
        problems.append(Problem(f"Column '{header}' does not read as dates in any common "
                                f"format ({where(raw, i)}: {quote(col[i].as_py())}). Use "
                                "YYYY-MM-DD or DD/MM/YYYY, with an optional time.",
                                int(raw.rows[i]), header))
        return pa.nulls(len(col), pa.timestamp("us"))
    values, bad = to_times(col, fmt)
    for i in _first(bad):
        problems.append(Problem(f"{where(raw, i)}, column '{header}': {quote(col[i].as_py())}"
                                f" is not a date like the others ({human_format(fmt)}).",
                                int(raw.rows[i]), header))
    return pa.array(values, type=pa.timestamp("us"), from_pandas=True)


def subgroup_problems(raw: RawTable, subgroups: pa.Array | None, header: str | None,
                      size: int) -> list[Problem]:
    if size < 1:
        return [Problem(f"The subgroup size must be 1 or more, not {size}.",
                        column="subgroup_size")]
    if subgroups is None:
        left = raw.n_rows % size
        if left:
            return [Problem(f"{raw.n_rows} rows do not split into subgroups of {size}: the "
                            f"last subgroup would have {left}. Add a subgroup column, or "
                            f"change the subgroup size.", int(raw.rows[-1]), None)]
        return []
    labels, first_index, counts = np.unique(np.asarray(subgroups.to_pylist(), dtype=object),
                                            return_index=True, return_counts=True)
    problems = []
    for label, i, count in sorted(zip(labels, first_index, counts, strict=True),
                                  key=lambda t: t[1]):
        if count != size:
            problems.append(Problem(f"Subgroup {quote(str(label))} (from {where(raw, i)}) has "
                                    f"{count} values; this data set's subgroup size is {size}.",
                                    int(raw.rows[i]), header))
    return problems[:MAX_PROBLEMS]


def from_records(records: Sequence[Mapping[str, Any]], kind: str, *,
                 subgroup_size: int | None = None) -> pa.Table:
    """Rows sent as JSON (or typed into the grid), checked exactly like a file's rows;
    messages name them ``rows[i]``, counting from 0."""
    if not isinstance(records, list | tuple) or not records:
        raise ImportProblem("'rows' must be a non-empty list of objects.", column="rows")
    present: list[str] = []
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise ImportProblem(f"rows[{i}] must be an object such as {{\"value\": 1.5}}.",
                                row=i, column="rows")
        for key in record:
            if key not in ROLES:
                raise ImportProblem(f"rows[{i}] has an unknown field '{key}'; the fields are "
                                    f"{', '.join(ROLES)}.", row=i, column=str(key))
            if key not in present:
                present.append(key)
    columns = tuple(pa.array([_json_text(r.get(role)) for r in records], type=pa.string())
                    for role in present)
    raw = RawTable(headers=tuple(present), columns=columns, rows=np.arange(len(records)),
                   source="json", separator=None)
    return build(raw, {role: role for role in present}, kind, subgroup_size=subgroup_size,
                 decimals=dict.fromkeys(present, "."))


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(float(value)) if math.isfinite(value) else "inf"
    return str(value)
