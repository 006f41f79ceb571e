"""The report reads each KPI's signals as stored when its values last changed, not charted
on the view: after every kind of change (values appended, corrected inside and outside the
baseline, deleted; the limits re-based; the KPI's settings edited) the report must show
what a fresh computation from the values as they are now shows, and the figures a person
works out by hand."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from ciapp.extensions import db as _db
from ciapp.kpis import pages, report, summary, values
from ciapp.kpis.models import Kpi
from tests import factories
from tests.kpis.conftest import add_values, make_kpi
from tests.kpis.test_report_signals import page_signals

BEYOND = ": a point more than 3 sigma from the center line"
SHIFT = ": 7 points in a row on the same side of the center line (a shift)"


def reported(kpi: Kpi) -> report.Item:
    """The KPI's line in the monthly report of its site, every figure checked against a
    fresh computation from its values as they are now."""
    _db.session.expire_all()
    made = report.build("month", date.today(), kpi.org_unit.parent_id)
    (item,) = [i for i in made.items if i.tile.kpi.id == kpi.id]
    assert item.signals == page_signals(kpi, made.start, made.end)
    in_period = values.between(kpi, made.start, made.end)
    assert item.values_in_period == len(in_period)
    assert item.notes == [(v.period, v.note) for v in in_period if v.note]
    now = summary.compute(kpi, date.today()).to_dict()
    for key in ("variation", "assurance", "latest", "latest_period", "center", "lower",
                "upper"):
        assert item.tile.status[key] == now[key], key
    return item


def test_the_report_follows_every_change_to_a_kpi(client: FlaskClient,
                                                  login_as: Any) -> None:
    owner = login_as("belt")
    start, end = report.window("month", date.today())
    first = start - timedelta(days=40)
    # alternating 9 and 11: mean 10, average moving range 2, sigma 2 / 1.128 = 1.773, so
    # the limits are 10 -/+ 3 x 1.773 = 4.68 and 15.32 (Wheeler, Understanding Variation,
    # the XmR chart's 2.66 x mR-bar); the first 20 values are the baseline
    kpi = make_kpi(owner, name="Dock-to-stock hours", unit="h", better="lower", target="")
    days = (end - first).days - 4  # the month's last 5 days come later
    add_values(kpi, [(9.0, 11.0)[i % 2] for i in range(days)], start=first)
    _db.session.commit()
    assert reported(kpi).signals == []

    # appended (an upload): 20 on the month's third-last day is beyond 15.32
    spike = end - timedelta(days=2)
    lines = ["period,value,note"] + [
        f"{end - timedelta(days=k)},{20.0 if k == 2 else 10.0},{'dock closed' if k == 2 else ''}"
        for k in range(4, -1, -1)]
    r = client.post(f"/kpis/{kpi.id}/upload", data={"file": (
        io.BytesIO("\n".join(lines).encode()), "late.csv")},
        content_type="multipart/form-data")
    assert r.status_code == 302
    item = reported(kpi)
    assert item.signals == [f"{spike}{BEYOND}"]
    assert item.notes == [(spike, "dock closed")]
    assert item.values_in_period == (end - start).days + 1

    # corrected to an ordinary value: the signal goes
    r = client.post(f"/kpis/{kpi.id}/values/{spike}", data={
        "value": "11", "note": "", "reason": "Typed 20 for 11"})
    assert r.status_code == 302
    assert reported(kpi).signals == []

    # a baseline value corrected, weeks before the month: the baseline's mean becomes
    # (200 - 9 + 30) / 20 = 11.05, so every value of the month (9 or 11) is below the
    # center line after more than 7 others: a shift on every day, the newest 30 listed
    r = client.post(f"/kpis/{kpi.id}/values/{first}", data={
        "value": "30", "note": "", "reason": "The first day was a stock count"})
    assert r.status_code == 302
    item = reported(kpi)
    assert len(item.signals) == min(30, (end - start).days + 1)
    assert item.signals[0] == f"{end}{SHIFT}" and item.signals[-1].endswith(SHIFT)

    # re-based on the 30 days before the month (mean 10 again): no signal in the month
    r = client.post(f"/kpis/{kpi.id}/limits", data={
        "start": (start - timedelta(days=30)).isoformat(),
        "end": (start - timedelta(days=1)).isoformat(), "note": "New conveyor installed"})
    assert r.status_code == 302
    assert reported(kpi).signals == []

    # the spike back, then the value deleted (no page deletes values yet; whatever does
    # must end with the same refresh as every other change)
    r = client.post(f"/kpis/{kpi.id}/values/{spike}", data={
        "value": "20", "note": "", "reason": "It was 20 after all"})
    assert r.status_code == 302
    assert reported(kpi).signals == [f"{spike}{BEYOND}"]
    _db.session.delete(values.get_value(kpi, spike))
    pages.after_values(kpi, [spike], owner)
    _db.session.commit()
    item = reported(kpi)
    assert item.signals == [] and item.values_in_period == (end - start).days

    # the KPI's settings: a target of 20 h, above the upper limit 15.32 with lower
    # better, will consistently be met
    form = {"name": kpi.name, "unit": kpi.unit, "better": "lower", "frequency": "daily",
            "chart": "i", "target": "20", "owner_id": str(owner.id),
            "org_unit_id": str(kpi.org_unit_id), "version": str(kpi.version)}
    r = client.post(f"/kpis/{kpi.id}/edit", data=form)
    assert r.status_code == 302
    item = reported(kpi)
    assert item.tile.status["assurance"] == "pass" and item.signals == []

    page = client.get(f"/kpis/report?span=month&site={kpi.org_unit.parent_id}")
    assert "Will consistently meet the target" in page.get_data(as_text=True)


def test_two_changes_to_one_kpi_at_once_are_both_in_its_signals(
        app: Any, committing_db: Any) -> None:
    """Each thread stands for an app server with its own connection and transaction. Two
    corrections that only together make a shift, in old values the board's summary does
    not read (so nothing else orders the two): the second waits for the first to commit
    and charts both."""
    import threading

    from ciapp.auth.models import User
    from ciapp.kpis import report_signals

    db = committing_db
    owner = factories.user("belt")
    kpi = make_kpi(owner, name="Dock-to-stock hours", better="lower", target="")
    first = date.today() - timedelta(days=151)
    series = [(9.0, 11.0)[i % 2] for i in range(150)]
    series[40] = 11.0  # days 39 to 45: 11, 11, 11, 9, 11, 9, 11; with 11 for both 9s, a shift
    add_values(kpi, series, start=first)
    db.session.commit()
    kpi_id, owner_id = kpi.id, owner.id
    one, two = first + timedelta(days=42), first + timedelta(days=44)

    pages.correct(owner, kpi, one, {"value": "11", "reason": "Read from the shift log"})
    errors: list[Exception] = []

    def other_server() -> None:
        with app.app_context():
            try:
                pages.correct(db.session.get(User, owner_id), db.session.get(Kpi, kpi_id),
                              two, {"value": "11", "reason": "Read from the shift log"})
                db.session.commit()
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=other_server)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive()  # waiting for the first correction
    db.session.commit()
    thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    last = first + timedelta(days=149)
    stored = report_signals.of_period([kpi_id], first, last)[kpi_id]
    assert stored == page_signals(kpi, first, last)
    assert stored == [f"{first + timedelta(days=45)}{SHIFT}"]
