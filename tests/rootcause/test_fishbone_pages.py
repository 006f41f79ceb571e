"""The fishbone pages as a user sees them: start on the 6 Ms, add causes and sub-causes in
place, vote, verify or rule out with evidence, download the drawing; bad input gets a clear
message and saves nothing. Plus the overview's root causes and Pareto, and the project
page's card."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.rootcause import fishbone
from ciapp.rootcause.models import Cause, RootCause
from tests import factories
from tests.conftest import sign_in

HX = {"HX-Request": "true"}
SIX = ("People", "Machine", "Method", "Material", "Measurement", "Environment")


@pytest.fixture
def project(db: Any, client: Any) -> Any:
    project = factories.project(complete=True)
    db.session.commit()
    sign_in(client, project.lead)
    return project


def causes(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Cause))


def test_an_empty_fishbone_shows_the_6_ms_and_downloads(client: Any, project: Any) -> None:
    page = client.get(f"/projects/{project.key}/fishbone")
    assert page.status_code == 200 and "Start the fishbone" in page.text
    assert "<svg" in page.text and "(no effect written yet)" in page.text
    svg = client.get(f"/projects/{project.key}/fishbone.svg")
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert 'filename="' + project.key + '-fishbone.svg"' in svg.headers["Content-Disposition"]
    assert all(f">{m}<" in svg.text for m in SIX)
    png = client.get(f"/projects/{project.key}/fishbone.png")
    assert png.headers["Content-Type"] == "image/png" and png.data.startswith(b"\x89PNG")


def test_build_a_fishbone_in_place(client: Any, db: Any, project: Any) -> None:
    key = project.key
    assert client.post(f"/projects/{key}/fishbone").status_code == 302
    bone = fishbone.find(project.id)
    machine = bone.categories[1].id
    client.post(f"/projects/{key}/fishbone/effect", headers=HX,
                data={"effect": "Shaft diameter out of tolerance", "version": bone.version})
    added = client.post(f"/projects/{key}/fishbone/causes", headers=HX,
                        data={"category_id": machine, "text": "Worn spindle"})
    assert added.status_code == 200 and "<html" not in added.text
    assert "Worn spindle" in added.text and "Shaft diameter out of tolerance" in added.text
    cause = db.session.scalar(select(Cause).where(Cause.text == "Worn spindle"))
    client.post(f"/projects/{key}/fishbone/causes", headers=HX,
                data={"category_id": machine, "text": "No maintenance plan",
                      "parent_id": cause.id})
    client.post(f"/projects/{key}/causes/{cause.id}/vote", data={"step": "up"}, headers=HX)
    client.post(f"/projects/{key}/causes/{cause.id}/vote", data={"step": "up"}, headers=HX)
    verified = client.post(f"/projects/{key}/causes/{cause.id}/status", headers=HX, data={
        "status": "verified", "evidence": "Runout 0.04 mm measured", "version": 3})
    assert verified.status_code == 200
    assert "Worn spindle (2 votes) ✓ verified" in verified.text  # in the drawing
    assert "Evidence: Runout 0.04 mm measured" in verified.text
    overview = client.get(f"/projects/{key}/rootcause")
    assert "Worn spindle" in overview.text and "Fishbone" in overview.text
    assert "1 verified of 1" in overview.text
    assert "Causes by votes" in overview.text  # the Pareto is drawn
    show = client.get(f"/projects/{key}")
    assert 'id="root-cause"' in show.text and "1 verified root cause" in show.text


@pytest.mark.parametrize(("url", "data", "message"), [
    ("fishbone/causes", {"category_id": 999999, "text": "X"},
     "There is no category 999999 on this fishbone"),
    ("fishbone/causes", {"category_id": "", "text": "X"},
     "There is no category None on this fishbone"),
    ("fishbone/causes", {"category_id": "CAT", "text": "X"}, "category_id:"),
    ("fishbone/categories", {"name": "machine"}, "There is already a category 'machine'."),
])
def test_bad_causes_and_categories_are_refused(client: Any, db: Any, project: Any, url: str,
                                              data: dict, message: str) -> None:
    fishbone.get_or_create(project.id)
    db.session.commit()
    before = causes(db)
    response = client.post(f"/projects/{project.key}/{url}", data=data, headers=HX)
    assert response.status_code in (400, 422) and message in unescape(response.text)
    assert causes(db) == before
    assert len(fishbone.find(project.id).categories) == 6


def test_an_empty_cause_or_status_without_evidence_saves_nothing(client: Any, db: Any,
                                                                 project: Any) -> None:
    bone = fishbone.get_or_create(project.id)
    cause = fishbone.add_cause(project.lead, bone, bone.categories[0].id, "Training")
    db.session.commit()
    key = project.key
    empty = client.post(f"/projects/{key}/fishbone/causes", headers=HX,
                        data={"category_id": bone.categories[0].id, "text": "  "})
    assert empty.status_code == 422 and "Write the cause: it cannot be empty." in empty.text
    bare = client.post(f"/projects/{key}/causes/{cause.id}/status", headers=HX,
                       data={"status": "ruled_out", "evidence": "", "version": cause.version})
    assert bare.status_code == 422 and "evidence is needed to mark a cause ruled out" \
        in bare.text
    odd = client.post(f"/projects/{key}/causes/{cause.id}/status", headers=HX,
                      data={"status": "maybe", "evidence": "x", "version": cause.version})
    assert odd.status_code == 422 and "Status must be one of" in odd.text
    db.session.refresh(cause)
    assert cause.status == "suspected" and causes(db) == 1
    assert db.session.scalar(select(func.count()).select_from(RootCause)) == 0


def test_a_sub_cause_under_another_category_is_refused(client: Any, db: Any,
                                                       project: Any) -> None:
    bone = fishbone.get_or_create(project.id)
    people = fishbone.add_cause(project.lead, bone, bone.categories[0].id, "Training")
    db.session.commit()
    response = client.post(f"/projects/{project.key}/fishbone/causes", headers=HX, data={
        "category_id": bone.categories[1].id, "text": "Sub", "parent_id": people.id})
    assert response.status_code == 422
    assert f"Cause {people.id} is not a cause of 'Machine'" in unescape(response.text)
    assert causes(db) == 1


def test_a_very_full_fishbone_renders(client: Any, db: Any, project: Any) -> None:
    bone = fishbone.get_or_create(project.id)
    for i in range(30):
        fishbone.add_cause(project.lead, bone, bone.categories[i % 6].id,
                           f"Cause {i}: " + "a long description of what goes wrong " * 3)
    db.session.commit()
    page = client.get(f"/projects/{project.key}/fishbone")
    assert page.status_code == 200 and page.text.count('class="cause status-suspected"') == 30
    assert client.get(f"/projects/{project.key}/fishbone.png").status_code == 200
