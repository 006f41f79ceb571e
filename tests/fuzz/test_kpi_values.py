"""A KPI's values, fed hostile input three ways: typed cells and any column mapping straight
into the checks, files uploaded on the KPI page, and JSON bodies (any JSON at all) and files
sent to the API. Whatever comes in: never a 500; what the checks accept is one finite value
per period, none in the future, whole counts for count charts and an ``n`` where the chart
needs one; a refusal (4xx) leaves the values and the audit trail as they were; an accepted
batch adds exactly the rows it says it added.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.auth.services import issue_token
from ciapp.core.errors import DomainError
from ciapp.datasets import reading
from ciapp.extensions import db as _db
from ciapp.kpis import services as kpis
from ciapp.kpis import values
from ciapp.kpis.models import CHARTS, FREQUENCIES, Kpi, KpiValue
from tests import factories
from tests.conftest import empty_all_tables, rolled_back, sign_in
from tests.fuzz.strategies import fuzz_settings, hostile_text
from tests.fuzz.test_import_parser import any_file, csv_bytes

TODAY = date(2026, 3, 31)
HEADERS = ("period", "value", "n", "note", "Date", "")


def period_text() -> st.SearchStrategy[str]:
    days = st.dates(date(2025, 1, 1), date(2026, 5, 1))
    return st.one_of(days.map(date.isoformat), days.map(lambda d: d.strftime("%d/%m/%Y")),
                     hostile_text())


def number_text() -> st.SearchStrategy[str]:
    return st.one_of(st.integers(-5, 500).map(str),
                     st.floats(-1e3, 1e3, allow_nan=False).map(lambda x: f"{x:.4g}"),
                     hostile_text())


@st.composite
def tables(draw: st.DrawFn) -> tuple[reading.RawTable, dict[str, str]]:
    """A few rows of mostly plausible cells, and a mapping that is usually right."""
    n = draw(st.integers(1, 6))
    cells = {"period": period_text(), "value": number_text(), "n": number_text(),
             "note": st.one_of(st.just(""), hostile_text())}
    present = draw(st.lists(st.sampled_from(list(cells)), unique=True, min_size=1))
    columns = tuple(pa.array(draw(st.lists(cells[f], min_size=n, max_size=n)), pa.string())
                    for f in present)
    raw = reading.RawTable(headers=tuple(present), columns=columns,
                           rows=np.arange(2, n + 2), source="csv")
    mapping = draw(st.one_of(st.just({f: f for f in present}), st.dictionaries(
        st.sampled_from(values.FIELDS), st.sampled_from(HEADERS), max_size=4)))
    return raw, mapping


def assert_rows_keep_the_rules(kpi: Kpi, rows: list[values.Row]) -> None:
    periods = [r.period for r in rows]
    assert len(set(periods)) == len(periods) and max(periods) <= TODAY
    assert all(np.isfinite(r.value) for r in rows)
    if kpi.chart in values.COUNTS:
        assert all(r.value >= 0 and r.value == int(r.value) for r in rows)
    if kpi.chart in values.WITH_N:
        assert all(r.n is not None and np.isfinite(r.n) and r.n > 0 for r in rows)
    else:
        assert all(r.n is None for r in rows)
    assert all(len(r.note) <= values.NOTE_MAX for r in rows)


@fuzz_settings(80)
@given(table=tables(), chart=st.sampled_from(CHARTS), frequency=st.sampled_from(FREQUENCIES))
def test_the_checks_accept_only_rows_that_keep_the_rules(
        table: tuple[reading.RawTable, dict[str, str]], chart: str, frequency: str) -> None:
    raw, mapping = table
    kpi = Kpi(name="On-time delivery", chart=chart, frequency=frequency, better="higher")
    try:
        rows = values.check(kpi, raw, mapping, TODAY)
    except DomainError as refusal:
        assert 400 <= refusal.status < 500 and refusal.message
        return
    assert_rows_keep_the_rules(kpi, rows)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3), max_leaves=8)
RECORD = st.fixed_dictionaries({}, optional={
    "period": st.one_of(period_text(), JSON), "value": st.one_of(number_text(), JSON,
                                                                 st.floats()),
    "n": st.one_of(number_text(), JSON), "note": st.one_of(hostile_text(), JSON),
    "extra": JSON})


@fuzz_settings(60)
@given(records=st.one_of(JSON, st.lists(RECORD, max_size=5)),
       chart=st.sampled_from(CHARTS))
def test_json_values_are_checked_like_a_file(records: Any, chart: str) -> None:
    kpi = Kpi(name="Scrap", chart=chart, frequency="daily", better="lower")
    try:
        raw, mapping = values.records_table(records)
        rows = values.check(kpi, raw, mapping, TODAY)
    except DomainError as refusal:
        assert 400 <= refusal.status < 500 and refusal.message
        return
    assert_rows_keep_the_rules(kpi, rows)


# --- through the pages and the API ------------------------------------------------------


@st.composite
def plausible_records(draw: st.DrawFn, chart: str) -> list[dict[str, Any]]:
    """Mostly what a script would send for a KPI of ``chart`` (distinct past days, whole
    counts, an n where one is needed), with now and then one field hostile or missing."""
    days = draw(st.lists(st.dates(date(2025, 1, 1), date(2026, 1, 31)), min_size=1,
                         max_size=5, unique=True))
    out = []
    for day in days:
        record: dict[str, Any] = {"period": day.isoformat(),
                                  "value": draw(st.integers(0, 40))}
        if chart in values.WITH_N:
            record["n"] = draw(st.integers(40, 100))
        if draw(st.integers(0, 5)) == 0:
            record[draw(st.sampled_from(values.FIELDS))] = draw(st.one_of(
                hostile_text(), JSON))
        out.append(record)
    return out


@dataclass
class World:
    client: Any
    bearer: dict[str, str]
    kpi_ids: dict[str, int]  # chart -> a KPI of that chart, with one value already


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        try:
            owner = factories.user("belt")
            ids = {}
            for chart in ("i", "p", "c"):
                kpi = kpis.create_kpi(owner, {"name": f"KPI {chart}", "better": "higher",
                                              "frequency": "daily", "chart": chart})
                values.append(owner, kpi, [values.Row(date(2026, 1, 5), 5.0,
                                                      10.0 if chart == "p" else None, "")])
                ids[chart] = kpi.id
            token = issue_token(owner)
            _db.session.commit()
            client = app.test_client()
            sign_in(client, owner)
            bearer = {"Authorization": f"Bearer {token}"}
            # A token's first use is noted in its own commit, by design: not in an example.
            assert client.get("/api/v1/kpis", headers=bearer).status_code == 200
            _db.session.remove()  # examples' sessions join their own rolled-back connection
            yield World(client, bearer, ids)
        finally:
            _db.session.rollback()
            empty_all_tables()
            _db.session.remove()


def _state(kpi_id: int) -> tuple[int, int]:
    _db.session.expire_all()
    count = _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi_id))
    events = _db.session.scalar(select(func.count()).select_from(AuditEvent))
    return int(count or 0), int(events or 0)


@st.composite
def kpi_files(draw: st.DrawFn, chart: str) -> bytes:
    records = draw(plausible_records(chart))
    header = ["period", "value", "n", "note"] if chart in values.WITH_N else \
        ["period", "value", "note"]
    grid = [header] + [[str(r.get(f, "")) for f in header] for r in records]
    return csv_bytes(grid, draw(st.sampled_from([",", ";"])), "utf-8", "\n")


MAPS = st.fixed_dictionaries({}, optional={f"map_{f}": st.sampled_from(HEADERS)
                                           for f in values.FIELDS})


def _check_answer(response: Any, before: tuple[int, int], kpi_id: int,
                  added: int | None = None) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    after = _state(kpi_id)
    if response.status_code >= 400:
        assert after == before, f"a {response.status_code} saved something"
        return
    assert after[0] > before[0] and after[1] > before[1]  # values, and their audit event
    if added is not None:
        assert after[0] == before[0] + added


def test_uploads_on_the_kpi_page(app: Flask, world: World) -> None:
    @fuzz_settings(30)
    @given(chart=st.sampled_from(sorted(world.kpi_ids)), choice=st.data())
    def uploading(chart: str, choice: st.DataObject) -> None:
        data = choice.draw(st.one_of(kpi_files(chart), kpi_files(chart), any_file()))
        named = {"map_period": "period", "map_value": "value", "map_note": "note"}
        if chart in values.WITH_N:
            named["map_n"] = "n"
        form = choice.draw(st.one_of(st.just(named), st.just(named), st.just({}), MAPS))
        kpi_id = world.kpi_ids[chart]
        with rolled_back():
            before = _state(kpi_id)
            response = world.client.post(
                f"/kpis/{kpi_id}/upload", content_type="multipart/form-data",
                data={**form, "file": (io.BytesIO(data), "values.csv")})
            assert response.status_code in (302, 413, 415, 422), response.status_code
            _check_answer(response, before, kpi_id)

    uploading()


def test_json_bodies_sent_to_the_api(app: Flask, world: World) -> None:
    @fuzz_settings(40)
    @given(chart=st.sampled_from(sorted(world.kpi_ids)), choice=st.data())
    def sending(chart: str, choice: st.DataObject) -> None:
        body = choice.draw(st.one_of(
            st.fixed_dictionaries({"values": plausible_records(chart)}),
            st.fixed_dictionaries({"values": plausible_records(chart)}),
            st.fixed_dictionaries({"values": st.lists(RECORD, min_size=1, max_size=4)}),
            JSON, st.binary(max_size=40)))
        kpi_id = world.kpi_ids[chart]
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        with rolled_back():
            before = _state(kpi_id)
            response = world.client.post(f"/api/v1/kpis/{kpi_id}/values", data=raw,
                                         headers={**world.bearer,
                                                  "Content-Type": "application/json"})
            added = response.get_json()["added"] if response.status_code == 201 else 0
            _check_answer(response, before, kpi_id, added)
            if response.status_code == 201:
                assert added == len(body["values"])

    sending()


def test_files_sent_to_the_api(app: Flask, world: World) -> None:
    @fuzz_settings(20)
    @given(mapping=st.one_of(st.none(), st.none(), st.dictionaries(
        st.sampled_from(values.FIELDS), st.sampled_from(HEADERS)).map(json.dumps),
        hostile_text()), chart=st.sampled_from(sorted(world.kpi_ids)), choice=st.data())
    def sending(mapping: str | None, chart: str, choice: st.DataObject) -> None:
        data = choice.draw(st.one_of(kpi_files(chart), any_file()))
        kpi_id = world.kpi_ids[chart]
        form: dict[str, Any] = {"file": (io.BytesIO(data), "values.csv")}
        if mapping is not None:
            form["map"] = mapping
        with rolled_back():
            before = _state(kpi_id)
            response = world.client.post(f"/api/v1/kpis/{kpi_id}/values", data=form,
                                         headers=world.bearer,
                                         content_type="multipart/form-data")
            added = response.get_json()["added"] if response.status_code == 201 else 0
            _check_answer(response, before, kpi_id, added)

    sending()
