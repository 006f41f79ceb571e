"""/api/v1/projects/{key}/benefits: lines, months, submission, validation, the queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from ciapp.benefits.models import BenefitLine
from ciapp.extensions import db as _db
from tests import factories
from tests.api.conftest import Api, check_schema
from tests.benefits.conftest import comparison

NEW = {"category": "hard_savings", "description": "Less scrap", "quantity": "1200",
       "quantity_unit": "parts", "unit_value": "2.50", "start_month": "2026-01"}


def _setup(api_as: Callable[..., Api]) -> tuple[Api, Any]:
    api = api_as("belt")
    project = factories.project(api.user, complete=True)
    _db.session.commit()
    return api, project


def _count() -> int:
    return int(_db.session.scalar(select(func.count()).select_from(BenefitLine)) or 0)


def test_create_read_and_list(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    base = f"/api/v1/projects/{project.key}/benefits"

    r = api.post(base, NEW, headers={"Idempotency-Key": "line-1"})
    again = api.post(base, NEW, headers={"Idempotency-Key": "line-1"})

    assert r.status_code == 201 and again.status_code == 201
    body = r.get_json()
    check_schema("BenefitLine", body)
    assert (body["projected"], body["quantity"], body["unit_value"]) == (
        "3000.00", "1200.0000", "2.50")
    assert r.headers["ETag"] == f'"{body["version"]}"'
    assert api.get(r.headers["Location"]).get_json()["id"] == body["id"]
    assert _count() == 1  # the retry got the first answer, not a second line
    listing = api.get(base).get_json()
    check_schema("BenefitList", listing)
    assert listing["currency"] == "EUR"
    assert listing["summary"]["total"]["projected"] == "3000.00"


def test_floats_and_bad_fields_are_refused_by_name(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    base = f"/api/v1/projects/{project.key}/benefits"
    for change, field in (({"unit_value": 2.5}, "unit_value"),
                          ({"unit_value": "2.505"}, "unit_value"),
                          ({"start_month": "2026-13"}, "start_month"),
                          ({"category": "bonus"}, "category"),
                          ({"colour": "red"}, "colour")):
        r = api.post(base, NEW | change)
        assert r.status_code == 422, change
        assert field in r.get_json()["fields"], change
    assert _count() == 0


def test_patch_needs_a_version_and_refuses_a_stale_one(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    line = api.post(f"/api/v1/projects/{project.key}/benefits", NEW).get_json()
    url = line["links"]["self"]

    assert api.patch(url, {"quantity": "1300"}).status_code == 428
    ok = api.patch(url, {"quantity": "1300"}, headers={"If-Match": f'"{line["version"]}"'})
    assert ok.status_code == 200 and ok.get_json()["projected"] == "3250.00"
    stale = api.patch(url, {"quantity": "1400", "version": line["version"]})
    assert stale.status_code == 409
    assert api.get(url).get_json()["projected"] == "3250.00"


def test_months_submission_validation_and_lock(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    line = api.post(f"/api/v1/projects/{project.key}/benefits", NEW).get_json()
    url = line["links"]["self"]
    line = api.post(url + "/months", {"month": "2026-01", "amount": "250.00",
                                      "version": line["version"]}).get_json()
    line = api.post(url + "/submission", {"part": "projected",
                                          "version": line["version"]}).get_json()
    assert line["projected_state"] == "pending"

    finance = api_as("finance")
    queue = finance.get("/api/v1/benefits/queue").get_json()
    check_schema("BenefitQueue", queue)
    assert [item["id"] for item in queue["items"]] == [line["id"]]
    own = api.post(url + "/validation", {"part": "projected", "decision": "approve",
                                         "version": line["version"]})
    assert own.status_code == 403
    r = finance.post(url + "/validation", {"part": "projected", "decision": "approve",
                                           "comment": "OK", "version": line["version"]})
    assert r.status_code == 200
    line = r.get_json()
    assert line["projected_state"] == "approved"
    assert line["projected_by"]["id"] == finance.user.id

    locked = api.patch(url, {"quantity": "1", "version": line["version"]})
    assert locked.status_code == 409 and "locked" in locked.get_json()["message"]
    reopened = api.post(url + "/reopening", {"part": "projected",
                                             "version": line["version"]})
    assert reopened.get_json()["projected_state"] == "draft"


def test_estimate_from_a_comparison(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    record = comparison(project)
    _db.session.commit()
    body = {k: v for k, v in NEW.items() if k not in ("quantity", "unit_value")} | {
        "analysis_id": record.id, "unit_cost": "1.20", "volume": 10000}

    r = api.post(f"/api/v1/projects/{project.key}/benefits", body)

    assert r.status_code == 201, r.get_json()
    estimate = r.get_json()["estimate"]
    # 2.5 x 10,000 x 1.20 and the CI's ends 1.9 and 3.1 min.
    assert r.get_json()["projected"] == "30000.00"
    assert (estimate["range_low"], estimate["range_high"], estimate["backed"]) == (
        "22800.00", "37200.00", True)


def test_month_in_the_future_and_unknown_part(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    line = api.post(f"/api/v1/projects/{project.key}/benefits", NEW).get_json()
    url = line["links"]["self"]

    future = api.post(url + "/months", {"month": "2099-01", "amount": "1",
                                        "version": line["version"]})
    assert future.status_code == 422 and "month" in future.get_json()["fields"]
    odd = api.post(url + "/submission", {"part": "both", "version": line["version"]})
    assert odd.status_code == 422 and "part" in odd.get_json()["fields"]
