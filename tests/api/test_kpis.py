"""The KPI API as a script exporting from a WMS or ERP uses it: create a KPI, append values
(one, thousands, or a file), read a range back, read the board; bad values are 422 naming
the value and field, nothing saved; every answer matches the OpenAPI document."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from ciapp.kpis.models import KpiValue
from tests import factories
from tests.api.conftest import check_schema

TODAY = date.today()


def saved(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(KpiValue))


def days_back(n: int) -> list[str]:
    return [(TODAY - timedelta(days=n - i)).isoformat() for i in range(n)]


def create(api: Any, **fields: Any) -> dict[str, Any]:
    response = api.post("/api/v1/kpis", {"name": "On-time delivery", "better": "higher",
                                         "frequency": "daily", "target": 4.0} | fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_read_and_list(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    _, area = factories.site_and_area()
    db.session.commit()
    body = create(api, org_unit_id=area.id, unit="%")

    check_schema("Kpi", body)
    assert body["owner_id"] == api.user.id and body["org_unit"].endswith("> Assembly")
    assert body["status"]["method"] == "none" and body["status"]["no_data"] is True
    read = api.get(body["links"]["self"])
    assert read.status_code == 200 and read.get_json()["name"] == "On-time delivery"
    listed = api.get(f"/api/v1/kpis?site={area.parent_id}").get_json()
    check_schema("KpiList", listed)
    assert [k["id"] for k in listed["items"]] == [body["id"]]
    assert api.get("/api/v1/kpis?area=999999").get_json()["items"] == []


def test_a_refused_kpi_names_the_field(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    r = api.post("/api/v1/kpis", {"name": "Scrap", "better": "sideways", "frequency": "daily"})

    assert r.status_code == 422 and "better" in r.get_json()["fields"]
    viewer = api_as("viewer")
    assert viewer.post("/api/v1/kpis", {"name": "x", "better": "higher",
                                        "frequency": "daily"}).status_code == 403


def test_append_many_then_read_a_range_and_the_board(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    kpi = create(api)
    series = [9.0, 11.0] * 15
    r = api.post(f"/api/v1/kpis/{kpi['id']}/values", {"values": [
        {"period": p, "value": v} for p, v in zip(days_back(30), series, strict=True)]})

    assert r.status_code == 201
    body = r.get_json()
    check_schema("KpiValuesAdded", body)
    assert body["added"] == 30
    status = body["kpi"]["status"]
    assert (status["variation"], status["assurance"]) == ("common", "pass")
    assert status["center"] == 10.0 and status["no_data"] is False

    window = api.get(f"/api/v1/kpis/{kpi['id']}/values?from={days_back(30)[10]}"
                     f"&to={days_back(30)[14]}").get_json()
    check_schema("KpiValuePage", window)
    assert [v["value"] for v in window["items"]] == series[10:15]
    board = api.get("/api/v1/kpis/board").get_json()
    check_schema("KpiBoard", board)
    assert board["counts"] == {"common": 1}


def test_bad_values_are_422_by_name_and_nothing_is_saved(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    kpi = create(api)
    url = f"/api/v1/kpis/{kpi['id']}/values"
    yesterday, tomorrow = days_back(1)[0], (TODAY + timedelta(days=1)).isoformat()
    cases = [
        ([{"period": yesterday, "value": "ninety"}],
         "values[0], column 'value': 'ninety' is not a number."),
        ([{"period": yesterday, "value": "inf"}],
         "values[0], column 'value': 'inf' is not a finite number."),
        ([{"period": tomorrow, "value": 90}],
         f"values[0], column 'period': {tomorrow} is in the future"),
        ([{"period": yesterday, "value": 90}, {"period": yesterday, "value": 91}],
         f"values[1], column 'period': the period {yesterday} is given twice"),
        ([{"period": yesterday, "value": 90, "colour": "red"}],
         "values[0] has an unknown field 'colour'"),
    ]
    for batch, message in cases:
        r = api.post(url, {"values": batch})
        assert r.status_code == 422, batch
        assert r.get_json()["message"].startswith(message), r.get_json()["message"]
    raw = api.post(url, data='{"values": [{"period": "2026-01-05", "value": Infinity}]}',
                   headers={"Content-Type": "application/json"})
    assert raw.status_code == 400 and "Infinity is not valid JSON" in raw.get_json()["message"]
    assert saved(db) == 0

    assert api.post(url, {"values": [{"period": yesterday, "value": 90}]}).status_code == 201
    again = api.post(url, {"values": [{"period": yesterday, "value": 91}]})
    assert again.status_code == 422 and "already has a value" in again.get_json()["message"]
    assert saved(db) == 1


def test_ten_thousand_values_in_one_call(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    kpi = create(api)
    start = TODAY - timedelta(days=10_001)
    batch = [{"period": (start + timedelta(days=i)).isoformat(), "value": 90 + i % 5}
             for i in range(10_000)]

    r = api.post(f"/api/v1/kpis/{kpi['id']}/values", {"values": batch})

    assert r.status_code == 201 and r.get_json()["added"] == 10_000
    assert saved(db) == 10_000


def test_a_csv_file_with_a_column_map(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    kpi = create(api, chart="p", target=0.95)
    csv = "Day,Delivered on time,Deliveries\n2026-01-05,95,100\n2026-01-06,97,100\n"
    r = api.call("POST", f"/api/v1/kpis/{kpi['id']}/values", data={
        "file": (io.BytesIO(csv.encode()), "ontime.csv"),
        "map": '{"period": "Day", "value": "Delivered on time", "n": "Deliveries"}'},
        content_type="multipart/form-data")

    assert r.status_code == 201 and r.get_json()["added"] == 2
    values = api.get(f"/api/v1/kpis/{kpi['id']}/values").get_json()["items"]
    assert [(v["value"], v["n"]) for v in values] == [(95.0, 100.0), (97.0, 100.0)]


def test_only_the_owner_or_an_admin_appends(api_as: Any, db: Any) -> None:
    owner = api_as("belt")
    kpi = create(owner)
    other = api_as("council")

    r = other.post(f"/api/v1/kpis/{kpi['id']}/values",
                   {"values": [{"period": days_back(1)[0], "value": 1}]})
    assert r.status_code == 403
    assert "owner or an admin" in r.get_json()["message"]
    assert api_as("admin").post(f"/api/v1/kpis/{kpi['id']}/values", {"values": [
        {"period": days_back(1)[0], "value": 1}]}).status_code == 201
