"""KPIs: created and changed with every field checked (the same rules for the pages and the
API), and their governed limits: the first 20 values set them, after that only a person
re-bases them, on a baseline period they choose, with a note. Functions flush, never
commit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import Conflict, DomainError
from ..core.records import get_or_404
from ..core.validators import check_finite, parse_date, parse_number, parse_whole
from ..extensions import db
from ..orgunits.models import OrgUnit
from . import status as S
from .models import BETTER, CHARTS, FREQUENCIES, SOURCES, Kpi, KpiLimits, KpiValue

if TYPE_CHECKING:
    from ..stats import ControlChart

TEXT_LIMITS = {"name": 120, "unit": 40, "description": 4000}
FIELDS = ("name", "description", "unit", "better", "target", "acceptable_low",
          "acceptable_high", "owner_id", "org_unit_id", "frequency", "chart", "source")
CHART_NAMES = {"i": "I-MR (individual values)", "p": "p (a rate with counts)",
               "u": "u (defects per unit)", "c": "c (defects per period)",
               "g": "g (periods between rare events)", "t": "t (time between rare events)"}


def _text(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"'{name}' must be text.", field=name)
    value = value.strip() if name == "description" else " ".join(value.split())
    if required and not value:
        raise DomainError(f"Give the KPI a {name}.", field=name)
    if len(value) > TEXT_LIMITS[name]:
        raise DomainError(f"The {name} is longer than {TEXT_LIMITS[name]} characters.",
                          field=name)
    return value


def _choice(data: Mapping[str, Any], name: str, allowed: tuple[str, ...],
            default: str | None = None) -> str:
    value = data.get(name) or default
    if value not in allowed:
        raise DomainError(f"'{name}' must be one of {', '.join(allowed)}"
                          f"{'' if value is None else f', not {value!r}'}.", field=name)
    return value


def number(value: Any, name: str) -> float | None:
    """A finite number from a form's text or JSON; empty means none."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            return parse_number(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("Enter a number, such as 12.5 or -3.")
        return check_finite(value)
    except ValueError as exc:
        raise DomainError(f"{name}: {exc}", field=name) from None


def _id(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            return parse_whole(value, minimum=1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("Enter a whole number.")
        return value
    except ValueError as exc:
        raise DomainError(f"{name}: {exc}", field=name) from None


def clean(data: Mapping[str, Any], actor: User | None) -> dict[str, Any]:
    """Every field of a KPI checked; DomainError (422) names the first one at fault."""
    unknown = sorted(set(data) - set(FIELDS) - {"version", "csrf_token"}, key=str)
    if unknown:
        raise DomainError(f"Unknown field '{unknown[0]}'; the fields are {', '.join(FIELDS)}.",
                          field=str(unknown[0]))
    out: dict[str, Any] = {
        "name": _text(data, "name", required=True), "unit": _text(data, "unit"),
        "description": _text(data, "description"),
        "better": _choice(data, "better", BETTER),
        "frequency": _choice(data, "frequency", FREQUENCIES),
        "chart": _choice(data, "chart", CHARTS, "i"),
        "source": _choice(data, "source", SOURCES, "typed"),
        **{k: number(data.get(k), k) for k in ("target", "acceptable_low", "acceptable_high")},
        "owner_id": _id(data.get("owner_id"), "owner_id") or (actor.id if actor else None),
        "org_unit_id": _id(data.get("org_unit_id"), "org_unit_id"),
    }
    low, high = out["acceptable_low"], out["acceptable_high"]
    if low is not None and high is not None and low >= high:
        raise DomainError("The lowest acceptable value must be below the highest.",
                          field="acceptable_low")
    if out["chart"] == "p" and out["target"] is not None and not 0 <= out["target"] <= 1:
        raise DomainError("A p chart's target is a proportion from 0 to 1 (0.95 for 95%).",
                          field="target")
    if out["owner_id"] is not None and db.session.get(User, out["owner_id"]) is None:
        raise DomainError(f"No person with id {out['owner_id']}.", field="owner_id")
    if out["org_unit_id"] is not None and db.session.get(OrgUnit, out["org_unit_id"]) is None:
        raise DomainError(f"No site or area with id {out['org_unit_id']}.",
                          field="org_unit_id")
    return out


def create_kpi(actor: User | None, data: Mapping[str, Any]) -> Kpi:
    values = clean(data, actor)
    kpi = Kpi(**values, created_by_id=actor.id if actor else None, summary={})
    db.session.add(kpi)
    db.session.flush()
    audit.record(actor, "create", "kpi", kpi.id, summary=f"Created KPI {kpi.name}")
    return kpi


def update_kpi(actor: User | None, kpi: Kpi, data: Mapping[str, Any],
               expected_version: int | None) -> dict[str, list[Any]]:
    """Change a KPI's fields; a KPI with values keeps its chart and frequency (its values
    were entered for them)."""
    if expected_version is not None and expected_version != kpi.version:
        raise Conflict("Someone changed this KPI since you opened it; nothing was saved. "
                       "Reload it and try again.")
    values = clean(data, actor)
    has_values = db.session.scalar(select(KpiValue.id).where(KpiValue.kpi_id == kpi.id)
                                   .limit(1)) is not None
    for name in ("chart", "frequency"):
        if has_values and values[name] != getattr(kpi, name):
            raise DomainError(f"This KPI has values entered {getattr(kpi, name)}; its {name} "
                              "cannot change. Create a new KPI instead.", field=name)
    changes = audit.diff(kpi, values)
    for name in changes:
        setattr(kpi, name, values[name])
    db.session.flush()
    if changes:
        audit.record(actor, "edit", "kpi", kpi.id, changes=changes,
                     summary=f"Changed {', '.join(changes)}")
    return changes


def get_kpi(kpi_id: Any) -> Kpi:
    return get_or_404(Kpi, kpi_id, "KPI")


# --- governed limits ----------------------------------------------------------------------


def limit_history(kpi: Kpi) -> list[KpiLimits]:
    """Every limits record, oldest first: the chart's stages."""
    return list(db.session.scalars(select(KpiLimits).where(KpiLimits.kpi_id == kpi.id)
                                   .order_by(KpiLimits.baseline_start, KpiLimits.id)))


def current_limits(kpi: Kpi) -> KpiLimits | None:
    history = limit_history(kpi)
    return history[-1] if history else None


def _baseline_chart(kpi: Kpi, rows: list[KpiValue]) -> ControlChart:
    s = S.series(kpi.chart, [r.value for r in rows], [r.n or math.nan for r in rows]
                 if kpi.chart in ("p", "u") else None, [r.period for r in rows],
                 kpi.frequency, kpi.better)
    if s.data.size < 2:
        from ..stats import StatsInputError

        raise StatsInputError(f"the baseline has {s.data.size} point(s) to chart; limits "
                              "need at least 2")
    return S.control(s, s.data.size)


def _figures(kpi: Kpi, record: KpiLimits) -> None:
    """The record's center and limits from its baseline's values, as they are now."""
    rows = list(db.session.scalars(select(KpiValue).where(
        KpiValue.kpi_id == kpi.id,
        KpiValue.period.between(record.baseline_start, record.baseline_end))
        .order_by(KpiValue.period)))
    from ..stats import StatsInputError

    try:
        chart = _baseline_chart(kpi, rows)
    except StatsInputError:
        record.center = record.lower = record.upper = None
        return
    j = chart.statistics.size - 1
    record.center, record.lower, record.upper = (float(chart.center[j]), float(chart.lcl[j]),
                                                 float(chart.ucl[j]))


def ensure_first_limits(kpi: Kpi) -> KpiLimits | None:
    """Once a KPI has enough values (its first ``MIN_FOR_LIMITS``, or for a rare-event KPI
    the periods up to its ``MIN_EVENTS``-th event), they are its first baseline."""
    existing = current_limits(kpi)
    if existing is not None:
        return existing
    stmt = select(KpiValue.period, KpiValue.value).where(KpiValue.kpi_id == kpi.id) \
        .order_by(KpiValue.period)
    if kpi.chart not in S.RARE_EVENTS:
        stmt = stmt.limit(S.MIN_FOR_LIMITS)
    first = db.session.execute(stmt).all()
    size = S.default_baseline(kpi.chart, [v for _, v in first])
    if size is None:
        return None
    what = (f"the first {S.MIN_EVENTS} events" if kpi.chart in S.RARE_EVENTS
            else f"the first {S.MIN_FOR_LIMITS} values")
    record = KpiLimits(kpi_id=kpi.id, baseline_start=first[0][0],
                       baseline_end=first[size - 1][0],
                       note=f"The periods of {what} (the default baseline).")
    db.session.add(record)
    _figures(kpi, record)
    db.session.flush()
    return record


def refresh_figures(kpi: Kpi, changed: list[date]) -> None:
    """Recompute the records whose baseline holds a changed period (a correction, or a
    value entered late into the baseline's span)."""
    for record in limit_history(kpi):
        if any(record.baseline_start <= d <= record.baseline_end for d in changed):
            _figures(kpi, record)
    db.session.flush()


def rebase(actor: User, kpi: Kpi, start: Any, end: Any, note: Any) -> KpiLimits:
    """A person's new limits from the values of ``start`` to ``end`` (a new stage that
    begins at ``start``), with the reason in ``note``."""
    note = " ".join(str(note or "").split())
    if len(note) < 10:
        raise DomainError("Say why the limits change (10 characters or more): a re-basing "
                          "is a decision, not a refresh.", field="note")
    first, last = _date(start, "start"), _date(end, "end")
    if first > last:
        raise DomainError("The baseline's start must not be after its end.", field="start")
    current = current_limits(kpi)
    if current is not None and first <= current.baseline_start:
        raise DomainError(f"A new baseline starts after the current one "
                          f"({current.baseline_start}); choose a later start.", field="start")
    rows = list(db.session.scalars(select(KpiValue).where(
        KpiValue.kpi_id == kpi.id, KpiValue.period.between(first, last))
        .order_by(KpiValue.period)))
    if len(rows) < S.MIN_BASELINE:
        raise DomainError(f"The baseline {first} to {last} holds {len(rows)} values; choose "
                          f"a period with at least {S.MIN_BASELINE}.", field="end")
    record = KpiLimits(kpi_id=kpi.id, baseline_start=first, baseline_end=last, note=note,
                       set_by_id=actor.id)
    db.session.add(record)
    _figures(kpi, record)
    if record.center is None:
        raise DomainError("No limits can be computed from that baseline (for a rare-event KPI "
                          "it needs at least 2 events); choose a longer one.", field="end")
    db.session.flush()
    audit.record(actor, "rebase limits", "kpi", kpi.id,
                 summary=f"Re-based the limits on {first} to {last}: {note}",
                 changes={"center": [current.center if current else None, record.center],
                          "lower": [current.lower if current else None, record.lower],
                          "upper": [current.upper if current else None, record.upper]})
    return record


def _date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value or ""))
    except ValueError as exc:
        raise DomainError(f"{name}: {exc}", field=name) from None


def stage_labels(history: list[KpiLimits], periods: list[date]) -> tuple[list[int], np.ndarray]:
    """Which limits record each period falls under (-1 before the first), and whether the
    period is in its record's baseline."""
    # day numbers (ordinals): numpy's datetime64 from date objects cost 1.4 us a date,
    # 15 ms for the 10,000 values of one batch
    def days_of(dates: Any) -> np.ndarray:
        return np.fromiter(map(date.toordinal, dates), dtype=np.int64)

    starts = days_of(r.baseline_start for r in history)
    days = days_of(periods)
    which = np.searchsorted(starts, days, side="right") - 1 if starts.size else \
        np.full(days.size, -1)
    ends = days_of(r.baseline_end for r in history)
    in_base = (which >= 0) & (days <= (ends[np.maximum(which, 0)] if ends.size else days))
    return which.tolist(), in_base
