"""The KPI board and page as a user sees them: tiles with their status, filters kept in the
URL, the compact wall view, typing, uploading and correcting values, re-basing limits."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.extensions import db as _db
from ciapp.kpis.models import Kpi, KpiValue
from tests import factories
from tests.kpis.conftest import add_values, make_kpi

TODAY = date.today()
STABLE = [9.0, 11.0] * 15


def count(kpi: Kpi) -> int:
    return _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi.id))


def test_the_board_shows_each_kpi_with_its_status_and_filters_by_site(
        client: FlaskClient, login_as: Any) -> None:
    viewer = login_as("viewer")
    stable = make_kpi(viewer, name="Order accuracy", target="4")
    add_values(stable, STABLE)
    shifted = make_kpi(viewer, name="Dock-to-stock hours", better="lower", target="")
    add_values(shifted, STABLE[:20] + [12.0, 13.0] * 4)
    _db.session.commit()

    page = client.get("/kpis/").get_data(as_text=True)
    assert "Order accuracy" in page and "Dock-to-stock hours" in page
    assert 'aria-label="Will consistently meet the target"' in page
    assert 'aria-label="Special cause, concerning"' in page  # lower is better: up is bad
    assert "colour-orange" in page and "<polyline" in page

    site = shifted.org_unit.parent_id
    filtered = client.get(f"/kpis/?site={site}").get_data(as_text=True)
    assert "Dock-to-stock hours" in filtered and "Order accuracy" not in filtered
    assert f'<option value="{site}" selected>' in filtered
    compact = client.get(f"/kpis/?site={site}&view=compact").get_data(as_text=True)
    assert "kpi-wall" in compact and "<polyline" not in compact
    assert f'href="/kpis/?site={site}"' in compact  # back to the full board, filter kept


def test_a_kpi_without_this_periods_value_says_so(client: FlaskClient, login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    add_values(kpi, STABLE, start=TODAY - timedelta(days=40))  # last value 11 days ago
    _db.session.commit()

    page = client.get("/kpis/").get_data(as_text=True)
    assert 'aria-label="No data this period"' in page and "colour-grey" in page


def test_a_short_history_is_a_run_chart_and_says_so(client: FlaskClient, login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    add_values(kpi, STABLE[:8])
    _db.session.commit()

    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)
    assert "Fewer than 20 values: a run chart with the Anhøj rules" in page
    assert "No limits yet: they are computed from the first 20 values." in page


def test_the_kpi_page_has_the_chart_signals_capability_and_limits(
        client: FlaskClient, login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner, target="9")
    add_values(kpi, STABLE[:20] + [12.0, 13.0] * 4)
    _db.session.commit()

    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)
    assert "Special cause, improving" in page
    assert "a shift: 7 or more values in a row above the mean 10" in page.lower()
    assert "<svg" in page and "Signals in words" in page
    assert "Capability against the target" in page
    assert "The periods of the first 20 values (the default baseline)." in page


def test_typing_a_value_saves_it_and_a_bad_one_is_refused(client: FlaskClient,
                                                          login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    _db.session.commit()
    yesterday = (TODAY - timedelta(days=1)).isoformat()

    bad = client.post(f"/kpis/{kpi.id}/values", data={"period": yesterday, "value": "inf"})
    assert bad.status_code == 422
    assert "Row 1, column &#39;value&#39;: &#39;inf&#39; is not a finite number." in \
        bad.get_data(as_text=True)
    future = client.post(f"/kpis/{kpi.id}/values",
                         data={"period": (TODAY + timedelta(days=2)).isoformat(),
                               "value": "94"})
    assert future.status_code == 422 and "is in the future" in future.get_data(as_text=True)
    assert count(kpi) == 0

    ok = client.post(f"/kpis/{kpi.id}/values", data={"period": yesterday, "value": "94.5",
                                                     "note": "peak season"})
    assert ok.status_code == 302
    again = client.post(f"/kpis/{kpi.id}/values", data={"period": yesterday, "value": "95"})
    assert again.status_code == 422 and "already has a value" in again.get_data(as_text=True)
    assert count(kpi) == 1


def test_uploading_a_csv_maps_the_columns_like_a_data_set(client: FlaskClient,
                                                          login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    _db.session.commit()
    good = "Date;On time %;Comment\n05/01/2026;94,5;\n06/01/2026;96,0;peak\n"
    r = client.post(f"/kpis/{kpi.id}/upload", data={
        "file": (io.BytesIO(good.encode()), "ontime.csv"), "map_period": "Date",
        "map_value": "On time %", "map_note": "Comment"}, content_type="multipart/form-data")
    assert r.status_code == 302
    assert count(kpi) == 2

    bad = "date,value\n2026-01-07,ninety\n2026-01-08,91\n"
    r = client.post(f"/kpis/{kpi.id}/upload", data={
        "file": (io.BytesIO(bad.encode()), "more.csv")}, content_type="multipart/form-data")
    assert r.status_code == 422
    assert "Row 2, column &#39;value&#39;: &#39;ninety&#39; is not a number." in \
        r.get_data(as_text=True)
    assert count(kpi) == 2


def test_a_file_with_the_kpis_own_column_names_uploads_without_a_mapping(
        client: FlaskClient, login_as: Any) -> None:
    """Found by tests/fuzz: ``period`` (the report CSV's and the API's name) was taken for a
    data set's stage, so the upload said every value needed a period."""
    owner = login_as("belt")
    kpi = make_kpi(owner)
    _db.session.commit()
    text = "period,value,note\n2026-01-05,94.5,\n2026-01-06,96,peak\n"
    r = client.post(f"/kpis/{kpi.id}/upload", data={
        "file": (io.BytesIO(text.encode()), "export.csv")}, content_type="multipart/form-data")
    assert r.status_code == 302
    assert count(kpi) == 2


def test_correcting_a_value_shows_in_the_history(client: FlaskClient, login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    periods = add_values(kpi, [91.0])
    _db.session.commit()

    r = client.post(f"/kpis/{kpi.id}/values/{periods[0].isoformat()}",
                    data={"value": "93", "note": "", "reason": "Wrong shift report"})
    assert r.status_code == 302
    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)
    assert f"Corrected {periods[0]}: Wrong shift report (value 91.0 → 93.0)" in page
    missing = client.post(f"/kpis/{kpi.id}/values/2001-01-01",
                          data={"value": "1", "reason": "x"})
    assert missing.status_code == 404


def test_only_the_owner_or_an_admin_changes_a_kpi(client: FlaskClient, login_as: Any) -> None:
    kpi = make_kpi(factories.user("belt"))
    _db.session.commit()
    login_as("council")

    assert client.get(f"/kpis/{kpi.id}").status_code == 200
    r = client.post(f"/kpis/{kpi.id}/values", data={"period": "2026-01-05", "value": "1"})
    assert r.status_code == 403
    assert count(kpi) == 0


def test_creating_a_kpi_and_a_refused_one(client: FlaskClient, login_as: Any) -> None:
    login_as("belt")
    _, area = factories.site_and_area()
    _db.session.commit()

    bad = client.post("/kpis/new", data={"name": "Cost per unit", "better": "lower",
                                         "frequency": "weekly", "target": "1e999"})
    assert bad.status_code == 422 and "target: That number is too large" in \
        bad.get_data(as_text=True)
    r = client.post("/kpis/new", data={"name": "Cost per unit", "better": "lower",
                                       "frequency": "weekly", "target": "4.20",
                                       "org_unit_id": str(area.id), "chart": "i"})
    assert r.status_code == 302
    kpi = _db.session.scalars(select(Kpi).where(Kpi.name == "Cost per unit")).one()
    assert (kpi.target, kpi.frequency, kpi.org_unit_id) == (4.2, "weekly", area.id)


def test_rebasing_from_the_page_adds_a_stage_with_its_note(client: FlaskClient,
                                                           login_as: Any) -> None:
    owner = login_as("belt")
    kpi = make_kpi(owner)
    periods = add_values(kpi, STABLE[:20] + [20.0, 22.0] * 8)
    _db.session.commit()

    r = client.post(f"/kpis/{kpi.id}/limits", data={
        "start": periods[20].isoformat(), "end": periods[-1].isoformat(),
        "note": "New conveyor from March"})
    assert r.status_code == 302
    page = client.get(f"/kpis/{kpi.id}").get_data(as_text=True)
    assert "New conveyor from March" in page and f"limits from {periods[20]}" in page
