"""A KPI's values: appended (typed in, uploaded, or sent by a script, one or thousands at a
time), corrected with the old value kept in the audit trail, and read by period.

Every batch goes through the data sets' own cell checks (``datasets.building.build``: text,
``inf``, ``NaN``, empty cells and bad dates named by row and column), then the KPI's rules: a
period in the future, a period given twice in the batch or already saved, a count that is not
a whole number, a missing or unwanted ``n``. Any fault refuses the whole batch; nothing is
half-saved. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit import services as audit
from ..core.errors import Conflict, DomainError
from ..core.time import utcnow
from ..datasets import building, reading
from ..datasets.problems import ImportProblem, Problem
from ..extensions import db
from . import periods as P
from .models import Kpi, KpiValue

if TYPE_CHECKING:
    from ..auth.models import User

FIELDS = ("period", "value", "n", "note")
ROLE_OF = {"period": "time", "value": "value", "n": "n", "note": "note"}
COUNTS = ("c", "g", "t")  # entered as event or defect counts per period
WITH_N = ("p", "u")
MAX_PROBLEMS = 20
NOTE_MAX = 500


class Row(NamedTuple):
    """One checked value. A named tuple, not a dataclass: a batch makes 10,000 of them,
    and a frozen dataclass's ``__init__`` cost five times as much per row."""

    period: date
    value: float
    n: float | None
    note: str


def refused(problems: list[Problem], *, json: bool = False) -> DomainError:
    """Problems as the 422 the pages and the API answer with, faults listed by field. The
    data set checks name a JSON row ``rows[i]``; a KPI's JSON calls them ``values[i]``."""
    if json:
        problems = [Problem("values[" + p.message[5:], p.row, p.column)
                    if p.message.startswith("rows[") else p for p in problems]
    error = ImportProblem.collect(problems[:MAX_PROBLEMS])
    out = DomainError(error.message, fields=error.fields())
    out.status = error.status
    return out


def _building_kind(chart: str) -> str:
    return {"p": "defectives", "u": "defects"}.get(chart, "continuous")


def check(kpi: Kpi, raw: reading.RawTable, mapping: Mapping[str, str], today: date) -> list[Row]:
    """The rows of ``raw`` (columns chosen by ``mapping``, field -> header) for ``kpi``,
    every rule checked; raises DomainError (422) naming each fault's row and column."""
    mapping = {f: h for f, h in mapping.items() if h}
    problems: list[Problem] = []
    for needed in ("period", "value") + (("n",) if kpi.chart in WITH_N else ()):
        if needed not in mapping:
            problems.append(Problem(_missing_text(needed, kpi), None, needed))
    if "n" in mapping and kpi.chart not in WITH_N:
        problems.append(Problem(f"'n' is only for KPIs charted as p or u; this one is "
                                f"charted as {kpi.chart}.", None, "n"))
    if problems:
        raise refused(problems)
    try:
        table = building.build(raw, {ROLE_OF[f]: h for f, h in mapping.items()},
                               _building_kind(kpi.chart),
                               decimals=dict.fromkeys(mapping.values(), ".")
                               if raw.source == "json" else None)
    except ImportProblem as problem:
        raise refused(problem.problems, json=raw.source == "json") from None
    days = _days(table["time"])
    starts = P.starts(days, kpi.frequency)
    problems += _date_problems(raw, mapping["period"], days, starts, today, kpi.frequency)
    values = table["value"].to_numpy(zero_copy_only=False)
    if kpi.chart in COUNTS:
        problems += _count_problems(raw, mapping["value"], values)
    notes = _notes(table, raw, mapping.get("note"), problems)
    if not problems:
        problems += _already_saved(kpi, raw, mapping["period"], starts)
    if problems:
        raise refused(problems, json=raw.source == "json")
    sizes = table["n"].to_numpy(zero_copy_only=False).tolist() \
        if "n" in table.column_names else [None] * len(notes)
    return list(map(Row, starts.astype(date).tolist(), values.astype(float).tolist(), sizes,
                    notes))


def _missing_text(name: str, kpi: Kpi) -> str:
    if name == "n":
        return (f"A KPI charted as {kpi.chart} needs 'n' with each value (the deliveries, "
                "units or opportunities the value counts out of).")
    return f"Each value needs a '{name}'."


def _days(col: pa.ChunkedArray) -> np.ndarray:
    """Timestamps as days; NaT where the cell was empty."""
    return col.to_numpy().astype("datetime64[D]")


def _where(raw: reading.RawTable, i: int) -> str:
    return f"values[{int(raw.rows[i])}]" if raw.source == "json" else \
        building.where(raw, int(i))


def _date_problems(raw: reading.RawTable, header: str, days: np.ndarray, starts: np.ndarray,
                   today: date, frequency: str) -> list[Problem]:
    out: list[Problem] = []
    empty = np.isnat(days)
    for i in np.flatnonzero(empty)[:MAX_PROBLEMS]:
        out.append(Problem(f"{_where(raw, i)}, column '{header}' is empty; every value needs "
                           "its period (a date such as 2026-03-02).", int(raw.rows[i]), header))
    future = ~empty & (days > np.datetime64(today, "D"))
    for i in np.flatnonzero(future)[:MAX_PROBLEMS]:
        out.append(Problem(f"{_where(raw, i)}, column '{header}': {days[i]} is in the future "
                           f"(today is {today.isoformat()}).", int(raw.rows[i]), header))
    valid = np.flatnonzero(~empty)
    order = valid[np.argsort(starts[valid], kind="stable")]
    twice = order[1:][starts[order[1:]] == starts[order[:-1]]]
    for i in np.sort(twice)[:MAX_PROBLEMS]:
        first = order[np.searchsorted(starts[order], starts[i])]
        what = "" if frequency == "daily" else f" (the {frequency[:-2]} of {starts[i]})"
        out.append(Problem(f"{_where(raw, i)}, column '{header}': the period {days[i]}"
                           f"{what} is given twice, also in {_where(raw, first).lower()}.",
                           int(raw.rows[i]), header))
    return out


def _count_problems(raw: reading.RawTable, header: str, values: np.ndarray) -> list[Problem]:
    bad = np.isfinite(values) & ((values < 0) | (np.floor(values) != values))
    return [Problem(f"{_where(raw, i)}, column '{header}': {values[i]:g} is not a count "
                    "(a whole number from 0).", int(raw.rows[i]), header)
            for i in np.flatnonzero(bad)[:MAX_PROBLEMS]]


def _notes(table: pa.Table, raw: reading.RawTable, header: str | None,
           problems: list[Problem]) -> list[str]:
    if "note" not in table.column_names:
        return [""] * table.num_rows
    notes = table["note"].to_pylist()
    lengths = pc.utf8_length(table["note"]).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(lengths > NOTE_MAX)[:MAX_PROBLEMS]:
        problems.append(Problem(f"{_where(raw, i)}, column '{header}': the note is longer "
                                f"than {NOTE_MAX} characters.", int(raw.rows[i]), header))
    return [n or "" for n in notes]


def _already_saved(kpi: Kpi, raw: reading.RawTable, header: str,
                   starts: np.ndarray) -> list[Problem]:
    if kpi.id is None or starts.size == 0:
        return []
    lo, hi = starts.min().astype(date), starts.max().astype(date)
    saved = db.session.scalars(select(KpiValue.period).where(
        KpiValue.kpi_id == kpi.id, KpiValue.period.between(lo, hi))).all()
    if not saved:
        return []
    clash = np.flatnonzero(np.isin(starts, np.array(saved, dtype="datetime64[D]")))
    return [Problem(f"{_where(raw, i)}, column '{header}': {kpi.name} already has a value "
                    f"for {starts[i]}; correct that value instead of adding it again.",
                    int(raw.rows[i]), header) for i in clash[:MAX_PROBLEMS]]


def records_table(records: Any) -> tuple[reading.RawTable, dict[str, str]]:
    """Values sent as JSON (``[{"period": ..., "value": ...}]``) as a table to check, every
    cell as text the way a file's would be; faults are named ``values[i]``."""
    if not isinstance(records, list) or not records:
        raise DomainError("'values' must be a non-empty list of objects such as "
                          '{"period": "2026-03-02", "value": 95.1}.', field="values")
    # Checked and read with map() and set() over the whole batch, which run in C: a loop
    # in Python over 10,000 records cost a tenth of a second. The slow search for the
    # record at fault runs only when there is one.
    if set(map(type, records)) != {dict}:
        for i, record in enumerate(records):
            if not isinstance(record, Mapping):
                raise DomainError(f"values[{i}] must be an object such as "
                                  '{"period": "2026-03-02", "value": 95.1}.', field="values")
        records = [dict(r) for r in records]
    present = set().union(*records)
    if not present <= set(FIELDS):
        i, key = next((i, k) for i, r in enumerate(records) for k in r if k not in FIELDS)
        raise DomainError(f"values[{i}] has an unknown field '{key}'; the fields are "
                          f"{', '.join(FIELDS)}.", field=str(key))
    fields = [f for f in FIELDS if f in present]
    columns = tuple(pa.array(_texts(list(map(dict.get, records, repeat(f)))),
                             type=pa.string()) for f in fields)
    raw = reading.RawTable(headers=tuple(fields), columns=columns,
                           rows=np.arange(len(records)), source="json")
    return raw, {f: f for f in fields}


def _texts(cells: list[Any]) -> list[str]:
    """``_text`` of each cell. A column of text, whole numbers and numbers with a point
    (nearly every batch) is written out by ``str`` in one pass: for these it gives what
    ``_text`` gives (``repr`` of a float is its ``str``, ``inf`` and ``nan`` too)."""
    if set(map(type, cells)) <= {str, int, float}:
        return list(map(str, cells))
    return [_text(c) for c in cells]


def _text(value: Any) -> str:
    """A JSON value as the cell text the data set checks read: a number written out in
    full (``inf`` and ``NaN`` kept, so they are refused by name), text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value) if np.isfinite(value) else str(value)
    if isinstance(value, (dict, list)):
        return "(an object)" if isinstance(value, dict) else "(a list)"
    return str(value)


def append(actor: User | None, kpi: Kpi, rows: Sequence[Row], *, how: str = "typed") -> int:
    """Save ``rows`` (already checked by ``check``) in one insert; one audit event."""
    if not rows:
        return 0
    try:
        _insert(kpi.id, rows, actor.id if actor else None)
    except Exception as exc:
        # checked against the saved values a moment ago: another batch for the same
        # periods was saved in between (SQLAlchemy's IntegrityError, or psycopg's own
        # from the COPY); this whole batch is refused, as a duplicate would have been
        if not (isinstance(exc, IntegrityError) or getattr(exc, "sqlstate", "") == "23505"):
            raise
        raise Conflict(f"Values for some of these periods of {kpi.name} were saved by "
                       "someone else a moment ago; nothing of this batch was saved. Send "
                       "it again to see which.", field="period") from None
    first, last = min(r.period for r in rows), max(r.period for r in rows)
    word = "value" if len(rows) == 1 else "values"
    audit.record(actor, "add values", "kpi", kpi.id,
                 summary=f"Added {len(rows):,} {word} ({how}) for {first} to {last}")
    return len(rows)


INSERT_COLUMNS = ("kpi_id", "period", "value", "n", "note", "created_at", "created_by_id")


def _insert(kpi_id: int, rows: Sequence[Row], by: int | None) -> None:
    """The rows in one statement through the driver, inside the session's transaction:
    SQLAlchemy's per-row parameter handling cost about 50 us a row, most of a second for
    the 10,000-value batches an ERP export sends, and nothing needs the ids back. On
    PostgreSQL one COPY (a pipelined executemany still sent 10,000 statements); elsewhere
    one executemany, each column's bind conversion applied as SQLAlchemy would."""
    conn = db.session.connection()
    dialect = conn.dialect
    table = KpiValue.__table__
    created = utcnow()
    if dialect.name == "postgresql":
        # Names from the model and the constant column list: no outside text.
        sql = f"COPY {table.name} ({', '.join(INSERT_COLUMNS)}) FROM STDIN"
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for r in rows:
                copy.write_row((kpi_id, r.period, r.value, r.n, r.note, created, by))
        return

    def converter(name: str) -> Any:
        type_ = table.c[name].type.dialect_impl(dialect)  # SQLite stores dates as text
        return type_.bind_processor(dialect) or (lambda v: v)

    period, stamp = converter("period"), converter("created_at")(created)
    sample = date(1, 2, 3)
    if period(sample) == sample.isoformat():  # SQLite's storage format: 10x cheaper
        period = date.isoformat
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    # Names from the model and the constant column list, values bound: no outside text.
    sql = (f"INSERT INTO {table.name} ({', '.join(INSERT_COLUMNS)}) "  # nosec B608
           f"VALUES ({', '.join([mark] * len(INSERT_COLUMNS))})")
    periods, numbers, sizes, notes = zip(*rows, strict=True)  # columns, without a loop
    conn.exec_driver_sql(sql, list(zip(repeat(kpi_id), map(period, periods), numbers, sizes,
                                       notes, repeat(stamp), repeat(by), strict=False)))


def correct(actor: User | None, kpi: Kpi, row: KpiValue, *, value: float, n: float | None,
            note: str, reason: str) -> None:
    """Change a saved value (or its ``n`` or note); the before and after go in the audit
    trail with the reason."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Say why the value is corrected (it goes in the audit trail).",
                          field="reason")
    changes = audit.diff(row, {"value": value, "n": n, "note": note})
    if not changes:
        raise DomainError("Nothing changed: the value, n and note are as saved.",
                          field="value")
    row.value, row.n, row.note = value, n, note
    db.session.flush()
    audit.record(actor, "correct value", "kpi", kpi.id, changes=changes,
                 summary=f"Corrected {row.period}: {reason}")


def between(kpi: Kpi, start: date | None = None, end: date | None = None) -> list[KpiValue]:
    stmt = select(KpiValue).where(KpiValue.kpi_id == kpi.id)
    if start is not None:
        stmt = stmt.where(KpiValue.period >= start)
    if end is not None:
        stmt = stmt.where(KpiValue.period <= end)
    return list(db.session.scalars(stmt.order_by(KpiValue.period)))


def count(kpi_id: int) -> int:
    return db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi_id)) or 0


def get_value(kpi: Kpi, period: date) -> KpiValue:
    row = db.session.scalar(select(KpiValue).where(KpiValue.kpi_id == kpi.id,
                                                   KpiValue.period == period))
    if row is None:
        from ..core.errors import NotFound

        raise NotFound(f"{kpi.name} has no value for {period}.")
    return row
