"""Children of a project are reached only through their project: a user who may act on
project A gets 404 for a child of project B named under A's key, exactly as for an id that
does not exist, and every route that names a child uses the one policy that checks this."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from ciapp.gates import services as gates
from ciapp.projects.models import TeamMember
from tests import factories
from tests.conftest import sign_in

# URL arguments that name a child of the project in ``key``.
CHILD_ARGUMENTS = {"member_id", "review_id", "item", "dataset_id", "draft_id", "chain_id",
                   "why_id", "root_id", "category_id", "cause_id", "fmea_id", "item_id",
                   "attachment_id"}


def _two_projects(db: Any) -> tuple[Any, Any]:
    a = factories.project(complete=True)
    b = factories.project(complete=True)
    return a, b


def test_every_route_naming_a_child_checks_it_against_the_project(app: Flask) -> None:
    children = [rule for rule in app.url_map.iter_rules()
                if "key" in rule.arguments and rule.arguments & CHILD_ARGUMENTS]
    assert children, "no child routes found"
    for rule in children:
        policy = app.view_functions[rule.endpoint].access
        assert policy.name.startswith("project child"), f"{rule.rule}: {policy.name}"


def test_a_team_member_of_another_project_is_404(client: Any, db: Any) -> None:
    a, b = _two_projects(db)
    other = b.team[0]
    db.session.commit()
    sign_in(client, a.lead)
    response = client.post(f"/projects/{a.key}/team/{other.id}/remove")
    assert response.status_code == 404
    assert f"Team member {other.id} was not found in {a.key}" in response.text
    assert db.session.get(TeamMember, other.id) is not None
    mine = a.team[0].id
    assert client.post(f"/projects/{a.key}/team/{mine}/remove").status_code == 302
    assert db.session.get(TeamMember, mine) is None


def test_a_missing_or_huge_child_id_is_404(client: Any, db: Any) -> None:
    a, _ = _two_projects(db)
    db.session.commit()
    sign_in(client, a.lead)
    for member_id in (999999, 2**63 - 1):
        assert client.post(f"/projects/{a.key}/team/{member_id}/remove").status_code == 404


def test_a_gate_review_of_another_project_is_404_even_for_the_council(client: Any,
                                                                      db: Any) -> None:
    a, b = _two_projects(db)
    review_b = gates.request_review(b.lead, b)
    council = factories.user("council")
    db.session.commit()
    sign_in(client, council)
    response = client.post(f"/gates/{a.key}/reviews/{review_b.id}/decide",
                           data={"decision": "approve"})
    assert response.status_code == 404 and "Gate review" in response.text
    db.session.refresh(review_b)
    assert review_b.status == "pending"


def test_rights_on_the_project_are_asked_before_the_child(client: Any, db: Any) -> None:
    """Someone with no right on A learns nothing about ids: 403 whatever the id."""
    a, b = _two_projects(db)
    outsider = factories.user("belt")
    db.session.commit()
    sign_in(client, outsider)
    for member_id in (a.team[0].id, b.team[0].id, 999999):
        assert client.post(f"/projects/{a.key}/team/{member_id}/remove").status_code == 403


@pytest.mark.parametrize(("item", "status"), [("sponsor_agreed", 200), ("msa_checked", 404),
                                              ("bogus", 404)])
def test_a_checklist_item_must_be_on_the_current_gate(client: Any, db: Any, item: str,
                                                      status: int) -> None:
    a, _ = _two_projects(db)
    db.session.commit()
    sign_in(client, a.lead)
    response = client.post(f"/gates/{a.key}/checklist/{item}", data={"done": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == status
