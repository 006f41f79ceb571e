"""KPI test data: a KPI with an owner and a site, and values for it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ciapp.auth.models import User
from ciapp.kpis import services, summary, values
from ciapp.kpis.models import Kpi
from tests import factories


def make_kpi(owner: User | None = None, **fields: Any) -> Kpi:
    owner = owner or factories.user("belt")
    site, area = factories.site_and_area()
    data = {"name": "On-time delivery", "unit": "%", "better": "higher", "frequency": "daily",
            "target": "95", "owner_id": str(owner.id), "org_unit_id": str(area.id)} | fields
    kpi = services.create_kpi(owner, data)
    summary.refresh(kpi)
    return kpi


def add_values(kpi: Kpi, series: list[float], start: date | None = None,
               sizes: list[float] | None = None) -> list[date]:
    """``series`` as consecutive periods ending yesterday (or from ``start``)."""
    n = len(series)
    first = start or date.today() - timedelta(days=n)
    periods = [first + timedelta(days=i) for i in range(n)]
    records = [{"period": p.isoformat(), "value": v} | ({"n": sizes[i]} if sizes else {})
               for i, (p, v) in enumerate(zip(periods, series, strict=True))]
    raw, mapping = values.records_table(records)
    rows = values.check(kpi, raw, mapping, date.today())
    values.append(None, kpi, rows, how="api")
    services.refresh_figures(kpi, periods)
    summary.refresh(kpi)
    return periods
