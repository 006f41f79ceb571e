"""The special-cause signals of each KPI as its page's chart finds them (``chart.staged``:
every value, one stage per limits record, each judged against its own baseline's limits),
stored by the period of the point each one flags. ``store`` rewrites them whenever the
KPI's values, limits or settings change (``summary.refresh`` calls it, beside the board's
summary), so the report of 500 KPIs with three years of daily values reads its period's few
rows instead of charting 550,000 values, or even the 23,000 near the period, on each view.

A changed value can change signals anywhere after it (a run test looks back at earlier
points, a baseline's value moves the limits of its whole stage), so ``store`` charts the
KPI's whole history again (a few milliseconds for three years of daily values) and writes
only the rows that differ. ``tests/kpis/test_report_signals`` compares the report with the
KPI page's chart period by period; ``test_report_follows`` after appends, corrections,
a deletion, a re-basing and an edit of the KPI, and with two changes at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select

from ..charts.words import describe_rule
from ..extensions import db
from ..stats import StatsInputError
from . import chart
from . import periods as P
from .models import Kpi, KpiLimits, KpiSignal, KpiValue

SHOWN = 30
"""Signals a KPI lists for a period, newest first (as the KPI page lists them)."""
REWRITE_ALL = 500
"""Changed rows beyond which a KPI's signals are deleted and written whole: one statement
rather than a list of ids longer than a database may take in one IN."""
T = KpiSignal.__table__
COLUMNS = ("kpi_id", "period", "seq", "text")


class Signal(NamedTuple):
    period: date
    seq: int
    text: str


def compute(kpi: Any, rows: Sequence[Any], history: Sequence[Any]) -> list[Signal]:
    """Every signal of the KPI page's chart of ``rows`` (``period``, ``value``, ``n``, in
    period order) with ``history`` (``baseline_start``, ``baseline_end``, oldest first);
    none without limits (the page then draws a run chart) or when the chart cannot be drawn.
    ``kpi`` needs ``chart``, ``frequency`` and ``better``."""
    if not history or not rows:
        return []
    try:
        drawn, s = chart.staged(kpi, list(rows), list(history))
    except StatsInputError:
        return []
    found = []
    for rule, positions in drawn.violations.items():
        words = describe_rule(rule, drawn.run_lengths.get(rule))
        for pos in positions:
            period = rows[int(s.period_of[pos])].period
            found.append((pos, f"{P.label(period, kpi.frequency)}: {words}", period))
    # the page's order: newest point first, then by text (chart._signals); a point's
    # position only grows with its period, so this is also newest period first
    found.sort(reverse=True)
    out: list[Signal] = []
    for _, text, period in found:
        seq = out[-1].seq + 1 if out and out[-1].period == period else 0
        out.append(Signal(period, seq, text))
    return out


def store(kpi: Any, conn: Connection | None = None) -> None:
    """Chart ``kpi``'s values again and keep its stored signals in step (``kpi``: a Kpi,
    or anything with ``id``, ``chart``, ``frequency`` and ``better``)."""
    if conn is None:
        db.session.flush()  # the statements below bypass the session's autoflush
        conn = db.session.connection()
    # Two changes to one KPI at once (say two corrections that leave the board's summary
    # as it was, so no update of the KPI's row orders them) would each write the rows the
    # other is writing: the second waits here for the first to commit, then reads its
    # values too. SQLite lets one writer in at a time anyway, and renders no FOR UPDATE.
    conn.execute(select(Kpi.id).where(Kpi.id == kpi.id).with_for_update())
    rows = conn.execute(select(KpiValue.period, KpiValue.value, KpiValue.n)
                        .where(KpiValue.kpi_id == kpi.id).order_by(KpiValue.period)).all()
    history = conn.execute(select(KpiLimits.baseline_start, KpiLimits.baseline_end)
                           .where(KpiLimits.kpi_id == kpi.id)
                           .order_by(KpiLimits.baseline_start, KpiLimits.id)).all()
    _write(conn, kpi.id, compute(kpi, rows, history))


def _write(conn: Connection, kpi_id: int, signals: list[Signal]) -> None:
    """Only what differs: a new value usually adds or drops a signal or two."""
    old = {(r.period, r.seq): (r.id, r.text) for r in conn.execute(
        select(T.c.id, T.c.period, T.c.seq, T.c.text).where(T.c.kpi_id == kpi_id))}
    new = {(s.period, s.seq): s.text for s in signals}
    gone = [i for key, (i, text) in old.items() if new.get(key) != text]
    added = [(kpi_id, p, q, text) for (p, q), text in new.items()
             if old.get((p, q), (0, None))[1] != text]
    if len(gone) > REWRITE_ALL:
        conn.execute(delete(T).where(T.c.kpi_id == kpi_id))
        added = [(kpi_id, p, q, text) for (p, q), text in new.items()]
    elif gone:
        conn.execute(delete(T).where(T.c.id.in_(gone)))
    if not added:
        return
    if conn.dialect.name == "postgresql":
        # one COPY, as values._insert: psycopg's executemany sends a statement a row,
        # 80 ms for the 1,400 signals of a first batch of 10,000 values
        sql = f"COPY {T.name} ({', '.join(COLUMNS)}) FROM STDIN"
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in added:
                copy.write_row(row)
        return
    conn.execute(insert(T), [dict(zip(COLUMNS, row, strict=True)) for row in added])


def of_period(ids: Sequence[int], start: date, end: date) -> dict[int, list[str]]:
    """The stored signals of each KPI between ``start`` and ``end``, newest first, at most
    ``SHOWN`` a KPI, in one statement."""
    out: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return out
    stmt = select(T.c.kpi_id, T.c.text).where(T.c.kpi_id.in_(ids),
                                              T.c.period.between(start, end)) \
        .order_by(T.c.kpi_id, T.c.period.desc(), T.c.seq)
    for kpi_id, text in db.session.connection().execute(stmt):
        mine = out[kpi_id]
        if len(mine) < SHOWN:
            mine.append(text)
    return out
