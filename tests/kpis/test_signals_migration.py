"""Upgrading a database whose KPIs already have values fills their stored signals, so the
first report after the upgrade shows them (the report no longer charts values itself)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask_migrate import upgrade

from ciapp.extensions import db
from ciapp.kpis import report_signals, services, values
from tests import factories
from tests.kpis.test_report_signals import page_signals
from tests.test_migrations import empty_database_url, fresh_app  # noqa: F401 (fixtures)


def test_upgrading_stores_the_signals_of_the_kpis_already_there(
        fresh_app: Flask) -> None:  # noqa: F811
    upgrade(revision="0018_kpi_stages")
    owner = factories.user("belt")
    kpi = services.create_kpi(owner, {"name": "Dock-to-stock hours", "better": "lower",
                                      "frequency": "daily"})
    first = date(2026, 1, 1)
    # alternating 9 and 11 (limits 4.68 and 15.32 from the first 20), a 20 on day 30 and
    # 12s from day 40: a point beyond the limits and a shift
    series = [20.0 if i == 30 else 12.0 if i >= 40 else (9.0, 11.0)[i % 2] for i in range(60)]
    values._insert(kpi.id, [values.Row(first + timedelta(days=i), v, None, "")
                            for i, v in enumerate(series)], owner.id)
    services.ensure_first_limits(kpi)
    db.session.commit()

    upgrade()
    last = first + timedelta(days=59)
    stored = report_signals.of_period([kpi.id], first, last)[kpi.id]
    assert stored == page_signals(kpi, first, last)
    assert stored[-1] == f"{first + timedelta(days=30)}: a point more than 3 sigma from " \
                         "the center line"
    # the run above the center starts with day 39's 11: its 7th value is day 45's
    assert stored[0] == f"{last}: 7 points in a row on the same side of the center line " \
                        "(a shift)"
    assert len(stored) == 1 + (59 - 45 + 1)
