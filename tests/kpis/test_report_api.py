"""``GET /api/v1/kpis/report``: the same report as the page, as JSON, for a token of any
role; a period that has not ended, an unknown site or parameter is refused by name."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from ciapp.auth.services import issue_token
from ciapp.extensions import db as _db
from tests import factories
from tests.kpis.reporting import FORMULA_NOTE, World, world


@pytest.fixture
def site(db: Any) -> World:
    return world()


def get(client: FlaskClient, query: str) -> Any:
    token = issue_token(factories.user("viewer"))
    _db.session.commit()
    return client.get(f"/api/v1/kpis/report?{query}",
                      headers={"Authorization": f"Bearer {token}"})


def test_the_report_as_json(client: FlaskClient, site: World) -> None:
    response = get(client, f"span=month&site={site.site_id}&period={site.start + timedelta(5)}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["span"], body["start"], body["end"]) == (
        "month", site.start.isoformat(), site.end.isoformat())
    items = {i["name"]: i for i in body["items"]}
    assert sorted(items) == ["Dock-to-stock hours", "Order accuracy"]
    spiky = items["Dock-to-stock hours"]
    assert spiky["signals"] == [f"{site.spike_day}: a point more than 3 sigma from the "
                                "center line"]
    assert spiky["notes"] == [{"period": site.spike_day.isoformat(), "note": FORMULA_NOTE}]
    assert spiky["values_in_period"] == (site.end - site.start).days + 1
    assert spiky["projects"] == [{
        "key": site.project.key, "title": "Faster put-away", "phase": site.project.phase_label,
        "status": "active", "health": "at_risk",
        "health_reason": "The scanner supplier is late"}]
    assert items["Order accuracy"]["status"]["assurance"] == "pass"
    assert spiky["links"]["page"] == f"/kpis/{site.spiky.id}"
    # the default: the last complete week of every site
    week = get(client, "").get_json()
    assert week["span"] == "week" and week["site"] is None
    assert "Forklift incidents elsewhere" in {i["name"] for i in week["items"]}


def test_bad_queries_are_refused_by_name(client: FlaskClient, site: World) -> None:
    this_month = date.today().replace(day=1).isoformat()
    for query, words in (("span=month&period=" + this_month, "has not ended yet"),
                         ("site=99999", "no site with the id 99999"),
                         ("site=x", "site:"), ("span=day", "choose week or month"),
                         ("period=2026-13-01", "period:"), ("ending=2026-01-01",
                                                            "Unknown parameter 'ending'")):
        response = get(client, query)
        assert 400 <= response.status_code < 500, query
        assert words in response.get_json()["message"], query
