"""/api/v1/summary and the exports: the figures a script reads match the ones worked out by
hand for the programme of tests/leadership/conftest.py, and hold to the OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.api.conftest import check_schema
from tests.leadership.conftest import programme  # noqa: F401  the fixture


def test_the_summary_as_json(api_as: Any, programme: Any) -> None:  # noqa: F811
    api = api_as("viewer")
    body = api.get("/api/v1/summary?year=2026").get_json()
    check_schema("Summary", body)
    assert body["total"]["projected"] == "2333.34"
    assert body["total"]["realized_validated"] == "90.00"
    assert sum(Decimal(m["projected"]) for m in body["months"]) == Decimal("2333.34")
    assert body["months"][-1]["cumulative"]["realized"] == "350.49"
    north = api.get(f"/api/v1/summary?year=2026&site={programme['north'].id}").get_json()
    assert north["total"]["projected"] == "1200.00" and north["site"] == programme["north"].name


def test_a_bad_or_unknown_parameter_is_422_naming_it(api_as: Any, programme: Any) -> None:  # noqa: F811
    api = api_as("viewer")
    bad = api.get("/api/v1/summary?year=soon")
    assert bad.status_code == 422 and "year" in bad.get_json()["fields"]
    unknown = api.get("/api/v1/summary?yeer=2026")
    assert unknown.status_code == 422 and "yeer" in unknown.get_json()["fields"]


def test_the_exports(api_as: Any, programme: Any) -> None:  # noqa: F811
    api = api_as("finance")
    csv = api.get("/api/v1/exports/benefits.csv?year=2026&category=cost_avoidance")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    text = csv.data.decode("utf-8-sig")
    assert programme["p2"].key in text and programme["p1"].key not in text
    xlsx = api.get("/api/v1/exports/portfolio.xlsx?status=all")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
