"""/api/v1/portfolio, /api/v1/attention and /api/v1/ideas: the same filters, rules and
permissions as the pages, every answer true to the OpenAPI document."""

from __future__ import annotations

from sqlalchemy import func, select

from ciapp.portfolio.models import Idea
from tests import factories
from tests.api.conftest import check_schema
from tests.portfolio.conftest import (
    health,
    overdue_action,
    pending_review,
    project,
    sustain_flag,
)


def test_the_board_answers_columns_with_counts_and_rows(api_as, db) -> None:
    api = api_as("viewer")
    site, area = factories.site_and_area()
    measured = project(phase="baseline", org_unit_id=area.id)
    overdue_action(measured, 3)
    health(measured, "at_risk", "Waiting for the gauge.")
    project(phase="baseline")
    db.session.commit()

    body = api.get(f"/api/v1/portfolio?site_id={site.id}&per_column=5").get_json()

    check_schema("PortfolioBoard", body)
    assert body["filters"]["site_id"] == site.id and body["filters"]["status"] == "open"
    columns = {c["key"]: c for c in body["columns"]}
    assert list(columns) == ["scope", "baseline", "root_cause", "countermeasures", "sustain"]
    assert columns["baseline"]["count"] == 1
    row = columns["baseline"]["projects"][0]
    assert row["key"] == measured.key and row["overdue_actions"] == 1
    assert row["health"]["value"] == "at_risk"
    assert row["suggested_health"] == {"value": "at_risk", "reasons": ["1 overdue action"]}


def test_the_board_refuses_unknown_and_bad_parameters(api_as) -> None:
    api = api_as("viewer")

    unknown = api.get("/api/v1/portfolio?colour=red")
    bad = api.get("/api/v1/portfolio?year=1800&per_column=0")

    assert unknown.status_code == 422 and "colour" in unknown.get_json()["fields"]
    assert bad.status_code == 422 and "year" in bad.get_json()["fields"]


def test_the_attention_list_answers_its_four_parts(api_as, db) -> None:
    api = api_as("council")
    waiting = project(phase="baseline")
    pending_review(waiting, 3)
    late = project(days_old=80)
    overdue_action(late, 6)
    closed = project(phase="sustain", status="closed")
    sustain_flag(closed)
    db.session.commit()

    body = api.get("/api/v1/attention?days=30&limit=10").get_json()

    check_schema("Attention", body)
    assert body["stalled_days"] == 30
    assert [r["project"] for r in body["reviews"]["items"]] == [waiting.key]
    assert body["reviews"]["items"][0]["yours_to_decide"] is True
    assert body["overdue_actions"]["items"][0]["days_late"] == 6
    assert late.key in [r["key"] for r in body["stalled"]["items"]]
    assert [s["project"] for s in body["signals"]["items"]] == [closed.key]


def test_anyone_submits_an_idea_and_reads_the_list(api_as, db) -> None:
    api = api_as("viewer")

    created = api.post("/api/v1/ideas", {"title": "Two-bin system for gloves",
                                         "benefit": "No stock-outs"})
    listed = api.get("/api/v1/ideas?status=new").get_json()

    assert created.status_code == 201
    idea = created.get_json()
    check_schema("Idea", idea)
    assert created.headers["Location"] == f"/api/v1/ideas/{idea['id']}"
    assert (idea["submitted_by"]["id"], idea["status"], idea["pick"]) == (
        api.user.id, "new", None)
    assert [i["id"] for i in listed["items"]] == [idea["id"]]
    assert api.get(idea["links"]["self"]).get_json()["title"] == "Two-bin system for gloves"


def test_a_bad_idea_is_refused_by_field_and_nothing_saved(api_as, db) -> None:
    api = api_as("member")

    for body, field in (({"description": "no title"}, "title"),
                        ({"title": "x" * 201}, "title"),
                        ({"title": "ok", "colour": "red"}, "colour"),
                        ({"title": "ok", "org_unit_id": 999999}, "org_unit_id")):
        response = api.post("/api/v1/ideas", body)
        assert response.status_code == 422, body
        assert field in response.get_json()["fields"]
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0
    assert api.get("/api/v1/ideas?status=maybe").status_code == 422
