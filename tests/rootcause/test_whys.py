"""5-Whys chains in the browser's terms: start, add, branch, edit, reorder, remove, end in
a root cause and verify it; bad input gets a clear message and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.rootcause import services as rc
from ciapp.rootcause.models import RootCause, Why, WhyChain
from tests import factories
from tests.conftest import sign_in

HX = {"HX-Request": "true"}


@pytest.fixture
def project(db: Any, client: Any) -> Any:
    project = factories.project(complete=True)
    db.session.commit()
    sign_in(client, project.lead)
    return project


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_start_a_chain_and_add_whys_in_place(client: Any, db: Any, project: Any) -> None:
    response = client.post(f"/projects/{project.key}/whys",
                           data={"problem": "Orders ship late"})
    assert response.status_code == 302
    chain = db.session.scalar(select(WhyChain).where(WhyChain.project_id == project.id))
    url = f"/projects/{project.key}/whys/{chain.id}/whys"
    first = client.post(url, data={"text": "Picking takes too long"}, headers=HX)
    assert first.status_code == 200 and 'id="chain-' in first.text
    assert "Why 1:" in first.text and "Picking takes too long" in first.text
    assert "<html" not in first.text  # a fragment, swapped in place
    why1 = db.session.scalar(select(Why).where(Why.chain_id == chain.id))
    client.post(url, data={"text": "Shelves are unlabelled", "parent_id": why1.id},
                headers=HX)
    second = client.post(url, data={"text": "Scanner batteries die", "parent_id": why1.id},
                         headers=HX)
    assert "Why 2a:" in second.text and "Why 2b:" in second.text  # a branch
    page = client.get(f"/projects/{project.key}/whys/{chain.id}")
    assert page.status_code == 200 and "Orders ship late" in page.text


def test_reorder_edit_and_remove_whys(client: Any, db: Any, project: Any) -> None:
    chain = rc.create_chain(project.lead, project.id, "Scrap rate high")
    a = rc.add_why(project.lead, chain, "A")
    b = rc.add_why(project.lead, chain, "B")
    c_id = rc.add_why(project.lead, chain, "C", a.id).id
    db.session.commit()
    key = project.key
    client.post(f"/projects/{key}/why/{b.id}/move", data={"direction": "up"}, headers=HX)
    db.session.expire_all()
    assert [n.why.text for n in rc.tree(db.session.get(WhyChain, chain.id))] == \
        ["B", "A", "C"]
    saved = client.post(f"/projects/{key}/why/{a.id}", headers=HX,
                        data={"text": "A, said better", "version": a.version})
    assert saved.status_code == 200 and "A, said better" in saved.text
    stale = client.post(f"/projects/{key}/why/{a.id}", headers=HX,
                        data={"text": "Overwrite", "version": 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    removed = client.post(f"/projects/{key}/why/{a.id}/delete", headers=HX)
    assert removed.status_code == 200, removed.text
    db.session.expire_all()
    assert [w.text for w in db.session.get(WhyChain, chain.id).whys] == ["B"]  # C went too
    assert db.session.get(Why, c_id) is None


@pytest.mark.parametrize(("data", "message"), [
    ({"text": "   "}, "Write the why: it cannot be empty."),
    ({"text": "x" * 1001}, "Keep the why to 1000 characters."),
    ({"text": "ok", "parent_id": "abc"}, "parent_id:"),
])
def test_bad_whys_are_refused_and_nothing_is_saved(client: Any, db: Any, project: Any,
                                                   data: dict, message: str) -> None:
    chain = rc.create_chain(project.lead, project.id, "Problem")
    db.session.commit()
    before = count(db, Why)
    response = client.post(f"/projects/{project.key}/whys/{chain.id}/whys", data=data,
                           headers=HX)
    assert response.status_code in (400, 422) and message in response.text
    assert count(db, Why) == before


def test_a_parent_from_another_chain_or_project_is_refused(client: Any, db: Any,
                                                           project: Any) -> None:
    mine = rc.create_chain(project.lead, project.id, "Mine")
    other_chain = rc.create_chain(project.lead, project.id, "Other")
    elsewhere = factories.project(complete=True)
    foreign = rc.add_why(elsewhere.lead, rc.create_chain(elsewhere.lead, elsewhere.id, "B"),
                         "Theirs")
    sibling = rc.add_why(project.lead, other_chain, "In the other chain")
    db.session.commit()
    before = count(db, Why)
    for parent in (foreign.id, sibling.id):
        response = client.post(f"/projects/{project.key}/whys/{mine.id}/whys", headers=HX,
                               data={"text": "Because", "parent_id": parent})
        assert response.status_code == 422
        assert f"The why this answers ({parent}) is not in this chain." in response.text
    assert count(db, Why) == before


def test_an_empty_problem_statement_is_refused(client: Any, db: Any, project: Any) -> None:
    response = client.post(f"/projects/{project.key}/whys", data={"problem": " "})
    assert response.status_code == 422
    assert "Write the problem statement: it cannot be empty." in response.text
    assert count(db, WhyChain) == 0


def test_end_in_a_root_cause_and_verify_it_with_a_saved_analysis(client: Any, db: Any,
                                                                project: Any) -> None:
    from ciapp.analyses import services as analyses

    dataset = factories.dataset(project)
    record = analyses.save_record(project.lead, project, "chart",
                                  [analyses.source(project, dataset.id)], {})
    chain = rc.create_chain(project.lead, project.id, "Late")
    why = rc.add_why(project.lead, chain, "No pick list at shift start")
    db.session.commit()
    marked = client.post(f"/projects/{project.key}/why/{why.id}/root", data={"root": "1"},
                         headers=HX)
    assert "Root cause" in marked.text
    root = db.session.scalar(select(RootCause).where(RootCause.why_id == why.id))
    url = f"/projects/{project.key}/root-causes/{root.id}/verify"
    refused = client.post(url, headers=HX, data={"verified": "1", "evidence": "",
                                                 "version": root.version})
    assert refused.status_code == 422 and "evidence is needed" in refused.text
    ok = client.post(url, headers=HX, data={
        "verified": "1", "evidence": "Shift log, week 12", "record_id": record.id,
        "version": root.version})
    assert ok.status_code == 200 and "Evidence: Shift log, week 12" in ok.text
    listing = client.get(f"/projects/{project.key}/rootcause")
    assert "No pick list at shift start" in listing.text and "1 verified of 1" in listing.text


def test_evidence_from_another_project_is_refused(client: Any, db: Any,
                                                  project: Any) -> None:
    from ciapp.analyses import services as analyses

    other = factories.project(complete=True)
    record = analyses.save_record(other.lead, other, "chart",
                                  [analyses.source(other, factories.dataset(other).id)], {})
    why = rc.add_why(project.lead, rc.create_chain(project.lead, project.id, "P"), "W")
    root = rc.mark_root(project.lead, why, True)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/root-causes/{root.id}/verify",
                           headers=HX, data={"verified": "1", "evidence": "Their chart",
                                             "record_id": record.id, "version": root.version})
    assert response.status_code == 422
    assert f"Saved analysis {record.id} was not found in this project." in response.text
    db.session.refresh(root)
    assert root.verified is False and root.evidence == ""
