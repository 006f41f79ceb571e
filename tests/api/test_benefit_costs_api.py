"""/api/v1/projects/{key}/costs and DELETE of a benefit line: round trips, the ROI they
give, versions, locked figures, and who may change them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from ciapp.benefits.models import BenefitLine, ProjectCost
from ciapp.extensions import db as _db
from tests import factories
from tests.api.conftest import Api, check_schema
from tests.api.test_benefits import NEW as LINE
from tests.api.test_benefits import _setup


def _rows(model: type) -> int:
    return int(_db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_costs_round_trip_and_feed_roi_and_payback(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    base = f"/api/v1/projects/{project.key}/costs"
    api.post(f"/api/v1/projects/{project.key}/benefits", LINE)  # 1200 x 2.50 = 3000.00 a year

    kit = api.post(base, {"kind": "one_off", "description": "Vent cleaning kit",
                          "amount": "1500.00"}, headers={"Idempotency-Key": "kit"})
    again = api.post(base, {"kind": "one_off", "description": "Vent cleaning kit",
                            "amount": "1500.00"}, headers={"Idempotency-Key": "kit"})
    service = api.post(base, {"kind": "running", "description": "Service contract",
                              "amount": 600})

    assert kit.status_code == again.status_code == service.status_code == 201
    check_schema("ProjectCost", kit.get_json())
    assert kit.get_json() == {"id": kit.get_json()["id"], "kind": "one_off",
                              "description": "Vent cleaning kit", "amount": "1500.00"}
    assert _rows(ProjectCost) == 2  # the retry got the first answer
    listing = api.get(kit.headers["Location"]).get_json()
    check_schema("ProjectCostList", listing)
    assert [(c["kind"], c["amount"]) for c in listing["items"]] == [
        ("one_off", "1500.00"), ("running", "600.00")]
    summary = api.get(f"/api/v1/projects/{project.key}/benefits").get_json()["summary"]
    # ROI: (3000 - 1500 - 600) / (1500 + 600) x 100 = 42.857...% -> 42.9;
    # payback: 1500 / ((3000 - 600) / 12) = 7.5 months.
    assert (summary["roi_percent"], summary["payback_months"]) == ("42.9", "7.5")

    gone = api.call("DELETE", f"{base}/{service.get_json()['id']}")
    assert gone.status_code == 204
    summary = api.get(f"/api/v1/projects/{project.key}/benefits").get_json()["summary"]
    # without the running cost: (3000 - 1500) / 1500 = 100%; 1500 / (3000 / 12) = 6 months
    assert (summary["roi_percent"], summary["payback_months"]) == ("100.0", "6.0")


def test_bad_costs_are_refused_by_name_and_nothing_is_saved(
        api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    base = f"/api/v1/projects/{project.key}/costs"
    good = {"kind": "one_off", "description": "Kit", "amount": "10.00"}
    for change, field in (({"amount": 10.5}, "amount"), ({"amount": "0"}, "amount"),
                          ({"amount": "1.005"}, "amount"), ({"kind": "monthly"}, "kind"),
                          ({"description": ""}, "description"), ({"colour": 1}, "colour")):
        r = api.post(base, good | change)
        assert r.status_code == 422, change
        assert field in r.get_json()["fields"], change
    assert _rows(ProjectCost) == 0


def test_another_projects_cost_is_not_found(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    other = factories.project(api.user, complete=True)
    _db.session.commit()
    cost = api.post(f"/api/v1/projects/{other.key}/costs",
                    {"kind": "one_off", "description": "Kit", "amount": "5"}).get_json()

    r = api.call("DELETE", f"/api/v1/projects/{project.key}/costs/{cost['id']}")

    assert r.status_code == 404 and _rows(ProjectCost) == 1


def test_only_the_team_changes_costs(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    cost = api.post(f"/api/v1/projects/{project.key}/costs",
                    {"kind": "one_off", "description": "Kit", "amount": "5"}).get_json()
    finance = api_as("finance")

    listed = finance.get(f"/api/v1/projects/{project.key}/costs")
    added = finance.post(f"/api/v1/projects/{project.key}/costs",
                         {"kind": "one_off", "description": "More", "amount": "5"})
    removed = finance.call("DELETE", f"/api/v1/projects/{project.key}/costs/{cost['id']}")

    assert listed.status_code == 200 and len(listed.get_json()["items"]) == 1
    assert added.status_code == 403 and removed.status_code == 403
    assert _rows(ProjectCost) == 1


def test_delete_a_line_with_or_without_if_match(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    base = f"/api/v1/projects/{project.key}/benefits"
    first = api.post(base, LINE).get_json()
    second = api.post(base, LINE | {"description": "Less rework"}).get_json()
    api.patch(first["links"]["self"], {"quantity": "1300"},
              headers={"If-Match": f'"{first["version"]}"'})

    stale = api.call("DELETE", first["links"]["self"],
                     headers={"If-Match": f'"{first["version"]}"'})
    fresh = api.call("DELETE", first["links"]["self"],
                     headers={"If-Match": f'"{first["version"] + 1}"'})
    plain = api.call("DELETE", second["links"]["self"])

    assert stale.status_code == 409
    assert fresh.status_code == 204 and plain.status_code == 204
    assert api.get(first["links"]["self"]).status_code == 404
    assert _rows(BenefitLine) == 0


def test_a_line_with_validated_figures_is_not_deleted(api_as: Callable[..., Api]) -> None:
    api, project = _setup(api_as)
    line = api.post(f"/api/v1/projects/{project.key}/benefits", LINE).get_json()
    url = line["links"]["self"]
    submitted = api.post(url + "/submission", {"part": "projected"},
                         headers={"If-Match": f'"{line["version"]}"'}).get_json()
    finance = api_as("finance")
    approved = finance.post(url + "/validation", {"part": "projected", "decision": "approve"},
                            headers={"If-Match": f'"{submitted["version"]}"'}).get_json()
    assert approved["projected_state"] == "approved"

    refused = api.call("DELETE", url)
    changed = api.patch(url, {"quantity": "1"}, headers={"If-Match": "*"})
    by_finance = finance.call("DELETE", url)

    assert refused.status_code == 409 and "reopen" in refused.get_json()["message"]
    assert changed.status_code == 409 and "locked" in changed.get_json()["message"]
    assert by_finance.status_code == 403
    assert api.get(url).get_json()["projected"] == "3000.00"
