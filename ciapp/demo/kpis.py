"""The demo's operational KPIs: Riverside Distribution Centre's board, drawn from fixed seeds
so every demo database holds the same values, ending yesterday so the board is current.

Most KPIs are stable (some meet their target, some are hit and miss). Dock-to-stock time
has a real shift: cross-dock slotting, 45 days ago, took it from about 30 to about 22
hours, and the board shows it as a special cause, improving. Lost-time injuries is the
rare-event KPI (about one every five weeks), on a g chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..auth.models import User
from ..kpis import services, summary, values
from ..kpis.periods import previous, start_of
from ..orgunits.models import OrgUnit
from .data import RIVERSIDE


@dataclass(frozen=True)
class DemoKpi:
    name: str
    fields: dict[str, Any]
    owner: str
    area: str | None
    count: int
    make: Any  # (rng, count) -> (values, sizes or None)
    notes: dict[int, str] = field(default_factory=dict)  # position from the end -> note


def _on_time(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    shipments = rng.integers(380, 460, n).astype(float)
    late = rng.binomial(shipments.astype(int), 0.035)
    late[-12] += 40  # the carrier portal outage
    return shipments - late, shipments


def _accuracy(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    orders = rng.integers(1100, 1300, n).astype(float)
    return orders - rng.binomial(orders.astype(int), 0.004), orders


def _dock_to_stock(rng: np.random.Generator, n: int) -> tuple[np.ndarray, None]:
    hours = rng.normal(30.0, 2.2, n)
    hours[-45:] = rng.normal(22.0, 2.0, 45)  # cross-dock slotting from 45 days ago
    return np.round(hours, 1), None


def _picks(rng: np.random.Generator, n: int) -> tuple[np.ndarray, None]:
    return np.round(rng.normal(108.0, 4.0, n), 1), None


def _cost(rng: np.random.Generator, n: int) -> tuple[np.ndarray, None]:
    return np.round(rng.normal(2.31, 0.06, n), 2), None


def _injuries(rng: np.random.Generator, n: int) -> tuple[np.ndarray, None]:
    return rng.binomial(1, 1 / 35, n).astype(float), None


def _satisfaction(rng: np.random.Generator, n: int) -> tuple[np.ndarray, None]:
    return np.round(rng.normal(8.6, 0.25, n), 1), None


KPIS = (
    DemoKpi("On-time shipments", {"better": "higher", "frequency": "daily", "chart": "p",
                                  "target": 0.95, "unit": "share of shipments",
                                  "source": "api",
                                  "description": "Shipments that left by the carrier's "
                                                 "cut-off, of all shipments; from the WMS "
                                                 "each night."},
            "rossi", "Shipping dock", 180, _on_time, {12: "carrier portal outage"}),
    DemoKpi("Order accuracy", {"better": "higher", "frequency": "daily", "chart": "p",
                               "target": 0.995, "unit": "share of orders", "source": "api",
                               "description": "Orders shipped without a picking error, of "
                                              "all orders."},
            "mensah", "Pick and pack", 180, _accuracy),
    DemoKpi("Dock-to-stock time", {"better": "lower", "frequency": "daily", "chart": "i",
                                   "target": 24.0, "unit": "hours", "source": "upload",
                                   "description": "Mean hours from a truck's arrival to its "
                                                  "pallets being available to pick."},
            "becker", "Inbound and receiving", 180, _dock_to_stock,
            {45: "cross-dock slotting starts"}),
    DemoKpi("Picks per labour hour", {"better": "higher", "frequency": "weekly", "chart": "i",
                                      "target": 110.0, "unit": "picks/h", "source": "typed"},
            "alvarez", "Pick and pack", 40, _picks, {8: "peak season"}),
    DemoKpi("Cost per order", {"better": "lower", "frequency": "monthly", "chart": "i",
                               "target": 2.50, "unit": "EUR", "source": "typed"},
            "alvarez", None, 24, _cost),
    DemoKpi("Lost-time injuries", {"better": "lower", "frequency": "daily", "chart": "g",
                                   "unit": "injuries", "source": "typed",
                                   "description": "Injuries that cost at least one shift; "
                                                  "charted as days between injuries."},
            "becker", None, 540, _injuries),
    DemoKpi("Customer satisfaction", {"better": "higher", "frequency": "monthly",
                                      "chart": "i", "target": 8.5, "unit": "score of 10",
                                      "source": "typed"},
            "alvarez", None, 24, _satisfaction),
)


def _periods(count: int, frequency: str, today: date) -> list[date]:
    last = previous(start_of(today, frequency), frequency)
    out = [last]
    for _ in range(count - 1):
        out.append(previous(out[-1], frequency))
    return out[::-1]


def add(users: dict[str, User], units: dict[tuple[str, str | None], OrgUnit],
        today: date | None = None) -> None:
    today = today or date.today()
    for seed, spec in enumerate(KPIS, start=11):
        owner = users[spec.owner]
        unit = units[(RIVERSIDE, spec.area)]
        kpi = services.create_kpi(owner, {**spec.fields, "name": spec.name,
                                          "owner_id": owner.id, "org_unit_id": unit.id})
        numbers, sizes = spec.make(np.random.default_rng(seed), spec.count)
        periods = _periods(spec.count, kpi.frequency, today)
        rows = [values.Row(p, float(v), None if sizes is None else float(sizes[i]),
                           spec.notes.get(spec.count - i, ""))
                for i, (p, v) in enumerate(zip(periods, numbers, strict=True))]
        values.append(owner, kpi, rows, how="demo")
        summary.refresh(kpi, today)
