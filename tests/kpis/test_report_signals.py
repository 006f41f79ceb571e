"""The report reads each KPI's signals as stored when its values last changed; what it
shows must be what the KPI page's chart of the whole history (``chart.staged``, one stage
per limits record) finds in the period, period after period: with a re-based stage, shifts,
trends, points outside the limits, a p chart, gaps, and a rare-event (g) chart. After each
kind of change: ``test_report_follows``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from ciapp.charts.control import PointInfo
from ciapp.extensions import db as _db
from ciapp.kpis import chart, report, services, summary, values
from ciapp.kpis import periods as P
from tests import factories
from tests.kpis.conftest import add_values, make_kpi


def page_signals(kpi: Any, start: date, end: date) -> list[str]:
    """The KPI page's chart of every value, its signals narrowed to the period."""
    rows = values.between(kpi)
    history = services.limit_history(kpi)
    drawn, s = chart.staged(kpi, rows, history)
    info = PointInfo(labels=[P.label(rows[i].period, kpi.frequency) for i in s.period_of])
    return chart._signals(drawn, info, keep=lambda pos: start <= rows[
        int(s.period_of[pos])].period <= end)


def test_the_report_finds_what_the_whole_chart_finds(db: Any) -> None:
    owner = factories.user("belt")
    site, area = factories.site_and_area()
    rng = np.random.default_rng(11)
    first = date.today() - timedelta(days=240)
    level = np.r_[np.zeros(120), np.full(40, 2.5), np.zeros(40), np.linspace(0, 6, 40)]
    daily = make_kpi(owner, name="Cycle time", unit="min", better="lower", target="",
                     org_unit_id=str(area.id))
    add_values(daily, np.round(rng.normal(50, 2, 240) + 2 * level, 2).tolist(), start=first)
    services.rebase(owner, daily, (first + timedelta(days=150)).isoformat(),
                    (first + timedelta(days=175)).isoformat(), "New conveyor since June")
    summary.refresh(daily)
    sizes = rng.integers(200, 400, 240).astype(float)
    rate = np.r_[np.full(150, 0.9), np.full(90, 0.8)]
    ontime = make_kpi(owner, name="On-time", chart="p", target="0.9",
                      org_unit_id=str(area.id))
    add_values(ontime, rng.binomial(sizes.astype(int), rate).astype(float).tolist(),
               start=first, sizes=sizes.tolist())
    gappy = make_kpi(owner, name="Returns", better="lower", target="",
                     org_unit_id=str(area.id))
    keep = [i for i in range(240) if i % 5 != 3 and not 200 <= i < 212]  # gaps
    rows = [{"period": (first + timedelta(days=i)).isoformat(),
             "value": float(np.round(20 + rng.normal(0, 1) + level[i], 2))} for i in keep]
    raw, mapping = values.records_table(rows)
    values.append(None, gappy, values.check(gappy, raw, mapping, date.today()), how="api")
    services.refresh_figures(gappy, [])
    summary.refresh(gappy)
    # a rare event charted as the days between events (g), three times as frequent later;
    # the first 40 days without one make the first gap long (it starts at the first value)
    chance = np.r_[np.zeros(40), np.full(110, 1 / 9), np.full(90, 1 / 3)]
    incidents = make_kpi(owner, name="Incidents", chart="g", better="lower", target="",
                         org_unit_id=str(area.id))
    add_values(incidents, rng.binomial(1, chance).astype(float).tolist(), start=first)
    _db.session.commit()

    checked = found = 0
    for weeks_back in range(1, 30):
        ending = date.today() - timedelta(weeks=weeks_back)
        for span in ("week", "month") if weeks_back % 4 == 0 else ("week",):
            made = report.build(span, ending, site.id)
            for item in made.items:
                expected = page_signals(item.tile.kpi, made.start, made.end)
                assert item.signals == expected, (item.tile.kpi.name, span, made.start)
                checked += 1
                found += len(expected)
    assert checked > 120 and found > 20  # the comparison saw plenty of signals
    rare = [report.build("month", date.today() - timedelta(weeks=w), site.id)
            for w in range(0, 30, 4)]
    assert any(i.signals for r in rare for i in r.items if i.tile.kpi.chart == "g")
