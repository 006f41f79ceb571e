"""The board's view of each KPI, kept on the KPI row and refreshed after every change to its
values, limits or target, so the board of a site (or of every site) reads one row per KPI
instead of charting every history on each view. Whether this period's value has arrived
depends on the day, so the board decides that when it is shown. The same refresh keeps the
KPI's stored signals (``report_signals``), which the operational report reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..charts.sparkline import sparkline
from ..extensions import db
from ..orgunits.models import OrgUnit
from . import periods as P
from . import report_signals, services
from . import status as S
from .models import FREQUENCIES, Kpi, KpiValue

WINDOW = 60
"""Values after the baseline that the status looks at: enough for every rule (7 in a row)
and for the board's chart of the last ``status.RECENT``."""


def _rows(kpi: Kpi) -> tuple[list[KpiValue], int | None]:
    limits = services.ensure_first_limits(kpi)
    stmt = select(KpiValue).where(KpiValue.kpi_id == kpi.id)
    if limits is None:
        return list(db.session.scalars(stmt.order_by(KpiValue.period))), None
    base = list(db.session.scalars(stmt.where(KpiValue.period.between(
        limits.baseline_start, limits.baseline_end)).order_by(KpiValue.period)))
    after = stmt.where(KpiValue.period > limits.baseline_end)
    if kpi.chart in S.RARE_EVENTS:  # gaps between events need every period since
        later = list(db.session.scalars(after.order_by(KpiValue.period)))
    else:
        later = list(db.session.scalars(after.order_by(KpiValue.period.desc())
                                        .limit(WINDOW)))[::-1]
    return base + later, len(base)


def compute(kpi: Kpi, today: date) -> S.KpiStatus:
    rows, baseline = _rows(kpi)
    return S.kpi_status(
        [r.value for r in rows], periods=[r.period for r in rows], frequency=kpi.frequency,
        today=today, chart=kpi.chart, better=kpi.better, target=kpi.target,
        sizes=[r.n for r in rows] if kpi.chart in ("p", "u") else None, baseline=baseline)


def refresh(kpi: Kpi, today: date | None = None) -> None:
    """Recompute the board's view of ``kpi``, its small chart drawn once here rather than
    on every view of the board, and its stored signals: every change to a KPI's values,
    limits or settings ends here."""
    status = compute(kpi, today or date.today())
    body = status.to_dict()
    del body["recent"]  # drawn below; the board reads 500 of these, so keep them small
    body["signals"], body["notes"] = list(status.signals), list(status.notes)
    body["spark"] = sparkline(status.recent, target=kpi.target,
                              title=f"{kpi.name}: recent values")
    kpi.summary = body
    db.session.flush()
    report_signals.store(kpi)


@dataclass(frozen=True)
class Filters:
    site: int | None = None
    area: int | None = None
    owner: int | None = None
    frequency: str | None = None

    def args(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass(frozen=True)
class Tile:
    kpi: Kpi
    status: dict[str, Any]
    no_data: bool
    colour: str
    latest_label: str


def board(filters: Filters, today: date) -> list[Tile]:
    """The KPIs that match ``filters`` (a site includes its areas), by site, area and name;
    each with its stored status and whether this period's value is in."""
    stmt = select(Kpi).options(selectinload(Kpi.org_unit).selectinload(OrgUnit.parent))
    if filters.area:
        stmt = stmt.where(Kpi.org_unit_id == filters.area)
    elif filters.site:
        areas = select(OrgUnit.id).where(OrgUnit.parent_id == filters.site)
        stmt = stmt.where((Kpi.org_unit_id == filters.site) | Kpi.org_unit_id.in_(areas))
    if filters.owner:
        stmt = stmt.where(Kpi.owner_id == filters.owner)
    if filters.frequency:
        stmt = stmt.where(Kpi.frequency == filters.frequency)
    kpis = sorted(db.session.scalars(stmt),
                  key=lambda k: (k.org_unit.label.lower() if k.org_unit else "~", k.name.lower()))
    due = {f: P.last_complete(today, f).isoformat() for f in FREQUENCIES}
    return [tile(k, today, due[k.frequency]) for k in kpis]


def tile(kpi: Kpi, today: date, due: str | None = None) -> Tile:
    """``due``: the newest complete period, when the caller has it for many KPIs."""
    status = kpi.summary or {}
    latest = status.get("latest_period")
    due = due or P.last_complete(today, kpi.frequency).isoformat()
    no_data = latest is None or latest < due
    colour = S.colour(status.get("variation", "none"), no_data)
    label = P.label(date.fromisoformat(latest), kpi.frequency) if latest else "no values yet"
    return Tile(kpi, status, no_data, colour, label)


def site_options() -> list[OrgUnit]:
    return list(db.session.scalars(select(OrgUnit).options(selectinload(OrgUnit.parent))
                                   .order_by(OrgUnit.name)))
