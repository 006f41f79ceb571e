"""The root-cause API as a team's script uses it: 5-Whys chains with branches and a verified
root cause, fishbone causes with votes and status, the FMEA and the SIPOC. Every edit names
its version (428 without, 409 when stale); bad input is a 4xx naming the field with nothing
saved; another project's ids are 404; a viewer reads but cannot write."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.analyses import services as analyses
from ciapp.audit.models import AuditEvent
from ciapp.rootcause import fishbone, fmea
from ciapp.rootcause import services as rootcause
from ciapp.rootcause.fmea_models import FmeaRow, SipocItem
from ciapp.rootcause.models import Cause, RootCause, Why, WhyChain
from tests import factories
from tests.api.conftest import check_schema


@pytest.fixture
def lead(api_as: Any, db: Any) -> Any:
    api = api_as("belt")
    api.project = factories.project(api.user, complete=True)
    api.base = f"/api/v1/projects/{api.project.key}"
    db.session.commit()
    return api


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def delete(api: Any, url: str, **headers: str) -> Any:
    return api.call("DELETE", url, headers=headers)


# --- 5 Whys ---------------------------------------------------------------------------

def test_a_chain_is_created_with_its_first_whys_and_listed(lead: Any) -> None:
    response = lead.post(f"{lead.base}/whys", {
        "problem": "Orders ship late", "whys": ["Trucks leave late", "Loading starts late"]})

    assert response.status_code == 201
    chain = response.get_json()
    check_schema("Chain", chain)
    assert response.headers["Location"].endswith(f"/whys/{chain['id']}")
    assert response.headers["ETag"] == '"1"'
    first, second = chain["whys"]
    assert (first["text"], first["parent_id"], first["depth"]) == \
        ("Trucks leave late", None, 1)
    assert (second["text"], second["parent_id"], second["depth"]) == \
        ("Loading starts late", first["id"], 2)
    listed = lead.get(f"{lead.base}/whys").get_json()
    check_schema("ChainList", listed)
    assert [c["problem"] for c in listed["items"]] == ["Orders ship late"]
    assert lead.get(chain["links"]["self"]).get_json() == chain


@pytest.mark.parametrize(("body", "field"), [
    ({"problem": "   "}, "problem"),  # an empty chain
    ({}, "problem"),
    ({"problem": 42}, "problem"),
    ({"problem": "Late", "whys": ["Trucks late", ""]}, "whys[1]"),
    ({"problem": "Late", "whys": "Trucks late"}, "whys"),
    ({"problem": "Late", "colour": "red"}, "colour"),
])
def test_a_bad_chain_is_refused_by_field_and_nothing_saved(lead: Any, db: Any, body: Any,
                                                           field: str) -> None:
    response = lead.post(f"{lead.base}/whys", body)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert response.get_json()["message"]
    assert count(db, WhyChain) == 0 and count(db, Why) == 0


def test_a_branch_is_placed_and_its_why_verified_as_root_cause(lead: Any, db: Any) -> None:
    chain = lead.post(f"{lead.base}/whys", {"problem": "Scrap", "whys": ["Short shots"]}) \
        .get_json()
    first = chain["whys"][0]
    whys = chain["links"]["whys"]
    a = lead.post(whys, {"text": "Low pressure", "parent_id": first["id"]}).get_json()
    b = lead.post(whys, {"text": "Cold mould", "parent_id": first["id"]}).get_json()
    check_schema("Why", b)
    assert not a["branch"]  # the only answer when it was added
    a = lead.get(a["links"]["self"]).get_json()
    assert a["branch"] and b["branch"] and (a["position"], b["position"]) == (0, 1)

    moved = lead.patch(b["links"]["self"], {"position": 0, "version": b["version"]})
    assert moved.status_code == 200 and moved.get_json()["position"] == 0
    order = [w["text"] for w in lead.get(chain["links"]["self"]).get_json()["whys"]]
    assert order == ["Short shots", "Cold mould", "Low pressure"]

    b = moved.get_json()
    unproven = lead.patch(b["links"]["self"], {"root_cause": True, "verified": True,
                                               "version": b["version"]})
    assert unproven.status_code == 422 and "evidence" in unproven.get_json()["fields"]
    assert count(db, RootCause) == 0

    record = analyses.save_record(lead.user, lead.project, "chart",
                                  [analyses.source(lead.project,
                                                   factories.dataset(lead.project).id)], {})
    db.session.commit()
    verified = lead.patch(b["links"]["self"], {
        "root_cause": True, "verified": True, "evidence": "Mould at 40 C on 9 of 10 shorts",
        "record_id": record.id}, headers={"If-Match": f'"{b["version"]}"'})
    assert verified.status_code == 200
    root = verified.get_json()["root_cause"]
    assert root["verified"] and root["record_id"] == record.id and root["verified_at"]
    # The why's version covers its root cause: the old one no longer edits it.
    assert verified.get_json()["version"] > b["version"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == "root_cause", AuditEvent.entity_id == root["id"],
        AuditEvent.action == "update", AuditEvent.actor_id == lead.user.id)) == 1
    stale = lead.patch(b["links"]["self"], {"verified": False, "version": b["version"]})
    assert stale.status_code == 409
    assert db.session.get(RootCause, root["id"]).verified is True


def test_a_why_moves_with_its_answers_under_another_why(lead: Any, db: Any) -> None:
    chain = lead.post(f"{lead.base}/whys", {"problem": "Scrap",
                                            "whys": ["Short shots", "Low pressure", "Leak"]}
                      ).get_json()
    _, low, leak = chain["whys"]
    other = lead.post(chain["links"]["whys"], {"text": "Cold mould"}).get_json()

    moved = lead.patch(low["links"]["self"], {"parent_id": other["id"], "version": 1})

    assert moved.status_code == 200
    assert (moved.get_json()["parent_id"], moved.get_json()["depth"]) == (other["id"], 2)
    tree = lead.get(chain["links"]["self"]).get_json()["whys"]
    assert [(w["text"], w["depth"]) for w in tree] == [
        ("Short shots", 1), ("Cold mould", 1), ("Low pressure", 2), ("Leak", 3)]
    # Under one of its own answers it would answer itself: refused, nothing moved.
    loop = lead.patch(low["links"]["self"], {"parent_id": leak["id"],
                                             "version": moved.get_json()["version"]})
    assert loop.status_code == 422 and "parent_id" in loop.get_json()["fields"]
    assert db.session.get(Why, low["id"]).parent_id == other["id"]


def test_a_why_that_is_not_a_root_cause_cannot_be_verified(lead: Any, db: Any) -> None:
    chain = lead.post(f"{lead.base}/whys", {"problem": "Scrap", "whys": ["Short shots"]}) \
        .get_json()
    why = chain["whys"][0]

    response = lead.patch(why["links"]["self"], {"evidence": "Trial", "version": 1})

    assert response.status_code == 422 and "verified" in response.get_json()["fields"]


def test_editing_a_chain_needs_its_version(lead: Any, db: Any) -> None:
    chain = lead.post(f"{lead.base}/whys", {"problem": "Scrap"}).get_json()
    url = chain["links"]["self"]

    assert lead.patch(url, {"problem": "Scrap on line 3"}).status_code == 428
    saved = lead.patch(url, {"problem": "Scrap on line 3"}, headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"'
    stale = lead.patch(url, {"problem": "Scrap on line 4", "version": 1})
    assert stale.status_code == 409 and "changed" in stale.get_json()["message"]
    assert db.session.get(WhyChain, chain["id"]).problem == "Scrap on line 3"
    assert lead.patch(url, {"version": 2}).status_code == 422  # nothing to change


def test_deleting_a_why_takes_its_answers_and_a_chain_its_whys(lead: Any, db: Any) -> None:
    chain = lead.post(f"{lead.base}/whys", {"problem": "Scrap", "whys": ["A", "B", "C"]}) \
        .get_json()
    _, b, _ = chain["whys"]

    assert delete(lead, b["links"]["self"], **{"If-Match": '"9"'}).status_code == 409
    assert delete(lead, b["links"]["self"]).status_code == 204
    assert [w["text"] for w in lead.get(chain["links"]["self"]).get_json()["whys"]] == ["A"]
    assert lead.get(b["links"]["self"]).status_code == 404
    assert delete(lead, chain["links"]["self"]).status_code == 204
    assert lead.get(chain["links"]["self"]).status_code == 404
    assert count(db, Why) == 0


# --- causes ---------------------------------------------------------------------------

def test_causes_by_category_name_or_id_with_status_and_votes(lead: Any, db: Any) -> None:
    made = lead.post(f"{lead.base}/causes", {"category": "machine", "text": "Worn screw",
                                             "votes": 3})
    assert made.status_code == 201
    cause = made.get_json()
    check_schema("Cause", cause)
    assert cause["category"]["name"] == "Machine" and cause["votes"] == 3
    listed = lead.get(f"{lead.base}/causes").get_json()
    check_schema("CauseList", listed)
    assert [c["name"] for c in listed["categories"]] == \
        ["People", "Machine", "Method", "Material", "Measurement", "Environment"]
    people = listed["categories"][0]["id"]
    sub = lead.post(f"{lead.base}/causes", {"category_id": people, "text": "New operators",
                                            "status": "verified",
                                            "evidence": "3 of 4 shorts on week 1"})
    assert sub.status_code == 201 and sub.get_json()["root_cause_id"] is not None

    version = cause["version"]
    ruled = lead.patch(cause["links"]["self"], {"status": "ruled_out", "version": version})
    assert ruled.status_code == 422 and "evidence" in ruled.get_json()["fields"]
    ruled = lead.patch(cause["links"]["self"], {"status": "ruled_out", "votes": 0,
                                                "evidence": "Screw measured in spec",
                                                "version": version})
    assert ruled.status_code == 200
    assert (ruled.get_json()["status"], ruled.get_json()["votes"]) == ("ruled_out", 0)
    assert lead.patch(cause["links"]["self"], {"text": "Screw", "version": version}) \
        .status_code == 409
    assert lead.patch(cause["links"]["self"], {"text": "Screw"}).status_code == 428
    assert delete(lead, cause["links"]["self"]).status_code == 204
    assert count(db, Cause) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"category": "Money", "text": "Budget cut"}, "category"),  # no such category
    ({"category_id": 999999, "text": "Budget cut"}, "category_id"),
    ({"text": "Budget cut"}, "category_id"),
    ({"category": "Machine", "category_id": 1, "text": "Two"}, "category_id"),
    ({"category": "Machine", "text": ""}, "text"),
    ({"category": "Machine", "text": "Worn", "votes": -1}, "votes"),
    ({"category": "Machine", "text": "Worn", "votes": "3"}, "votes"),
    ({"category": "Machine", "text": "Worn", "status": "likely"}, "status"),
])
def test_a_bad_cause_is_refused_by_field_and_nothing_saved(lead: Any, db: Any, body: Any,
                                                           field: str) -> None:
    response = lead.post(f"{lead.base}/causes", body)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert count(db, Cause) == 0


# --- FMEA and SIPOC -------------------------------------------------------------------

ROW = {"failure_mode": "Wrong label", "effect": "Customer return", "severity": 7,
       "occurrence": 4, "detection": 5}


def test_fmea_rows_have_their_rpn_computed_and_rescored(lead: Any, db: Any) -> None:
    made = lead.post(f"{lead.base}/fmea", ROW)
    assert made.status_code == 201
    row = made.get_json()
    check_schema("FmeaRow", row)
    assert row["rpn"] == 7 * 4 * 5 and row["new_rpn"] is None
    lead.post(f"{lead.base}/fmea", ROW | {"failure_mode": "No label", "severity": 9,
                                          "occurrence": 6})
    listed = lead.get(f"{lead.base}/fmea").get_json()
    check_schema("FmeaRowList", listed)
    assert [r["rpn"] for r in listed["items"]] == [270, 140]  # highest first

    changed = lead.patch(row["links"]["self"], {"detection": 2, "new_severity": 7,
                                                "new_occurrence": 2, "new_detection": 2,
                                                "version": row["version"]})
    assert changed.status_code == 200
    assert (changed.get_json()["rpn"], changed.get_json()["new_rpn"]) == (56, 28)
    assert changed.get_json()["failure_mode"] == "Wrong label"  # unsent fields kept
    assert lead.patch(row["links"]["self"], {"detection": 3, "version": row["version"]}) \
        .status_code == 409
    assert lead.patch(row["links"]["self"], {"detection": 3}).status_code == 428
    assert delete(lead, row["links"]["self"]).status_code == 204
    assert count(db, FmeaRow) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"severity": 11}, "severity"),
    ({"occurrence": 0}, "occurrence"),
    ({"detection": "5"}, "detection"),
    ({"severity": 2.5}, "severity"),
    ({"failure_mode": ""}, "failure_mode"),
    ({"new_detection": 12}, "new_detection"),
])
def test_a_bad_fmea_row_is_refused_and_nothing_saved(lead: Any, db: Any, change: Any,
                                                     field: str) -> None:
    response = lead.post(f"{lead.base}/fmea", ROW | change)

    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert count(db, FmeaRow) == 0


def test_a_bad_fmea_edit_changes_nothing(lead: Any, db: Any) -> None:
    row = lead.post(f"{lead.base}/fmea", ROW).get_json()

    response = lead.patch(row["links"]["self"], {"severity": 11, "version": 1})

    assert response.status_code == 422 and "severity" in response.get_json()["fields"]
    assert db.session.get(FmeaRow, row["id"]).severity == 7


def test_sipoc_entries_by_column(lead: Any, db: Any) -> None:
    lead.post(f"{lead.base}/sipoc", {"column_key": "customers", "text": "Retail"})
    made = lead.post(f"{lead.base}/sipoc", {"column_key": "suppliers", "text": "Mill"})
    assert made.status_code == 201
    entry = made.get_json()
    check_schema("SipocItem", entry)
    listed = lead.get(f"{lead.base}/sipoc").get_json()
    assert [e["column_key"] for e in listed["items"]] == ["suppliers", "customers"]

    bad = lead.post(f"{lead.base}/sipoc", {"column_key": "vendors", "text": "Mill"})
    assert bad.status_code == 422 and "column_key" in bad.get_json()["fields"]
    saved = lead.patch(entry["links"]["self"], {"text": "Steel mill", "version": 1})
    assert saved.status_code == 200 and saved.get_json()["text"] == "Steel mill"
    assert lead.patch(entry["links"]["self"], {"text": "Mill", "version": 1}) \
        .status_code == 409
    assert delete(lead, entry["links"]["self"]).status_code == 204
    assert count(db, SipocItem) == 1


# --- who may ------------------------------------------------------------------------

@pytest.fixture
def other(db: Any) -> dict[str, Any]:
    """Project B, with one of each child, led by someone else."""
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    chain = rootcause.create_chain(lead, project.id, "B's problem")
    why = rootcause.add_why(lead, chain, "B's why")
    bone = fishbone.get_or_create(project.id)
    cause = fishbone.add_cause(lead, bone, bone.categories[0].id, "B's cause")
    row = fmea.add_row(lead, project.id, ROW)
    item = fmea.add_sipoc(lead, project.id, "inputs", "B's input")
    db.session.commit()
    return {"key": project.key, "chain": chain.id, "why": why.id, "cause": cause.id,
            "category": bone.categories[0].id, "row": row.id, "item": item.id}


def test_another_projects_children_are_not_found_under_mine(lead: Any, db: Any,
                                                            other: dict[str, Any]) -> None:
    mine = lead.post(f"{lead.base}/whys", {"problem": "Mine", "whys": ["My why"]}) \
        .get_json()
    urls = [f"{lead.base}/whys/{other['chain']}",
            f"{lead.base}/whys/{other['chain']}/whys/{other['why']}",
            f"{lead.base}/whys/{mine['id']}/whys/{other['why']}",
            f"{lead.base}/causes/{other['cause']}",
            f"{lead.base}/fmea/{other['row']}",
            f"{lead.base}/sipoc/{other['item']}"]
    for url in urls:
        assert lead.get(url).status_code == 404, url
        assert lead.patch(url, {"text": "Hijacked", "version": 1}).status_code == 404, url
        assert delete(lead, url).status_code == 404, url
    assert lead.post(f"{lead.base}/whys/{other['chain']}/whys", {"text": "x"}) \
        .status_code == 404
    # Ids in the body too: B's why as the parent, B's category for a cause.
    parent = lead.post(mine["links"]["whys"], {"text": "x", "parent_id": other["why"]})
    assert parent.status_code == 422 and "parent_id" in parent.get_json()["fields"]
    category = lead.post(f"{lead.base}/causes", {"category_id": other["category"],
                                                 "text": "x"})
    assert category.status_code == 422
    assert db.session.get(Why, other["why"]).text == "B's why"
    assert db.session.get(Cause, other["cause"]).text == "B's cause"


def test_a_viewer_reads_but_cannot_write(api_as: Any, lead: Any, other: dict[str, Any],
                                         db: Any) -> None:
    viewer = api_as("viewer")
    base = f"/api/v1/projects/{other['key']}"

    assert viewer.get(f"{base}/whys").status_code == 200
    assert viewer.get(f"{base}/causes/{other['cause']}").status_code == 200
    for url, body in ((f"{base}/whys", {"problem": "x"}),
                      (f"{base}/causes", {"category": "Machine", "text": "x"}),
                      (f"{base}/fmea", ROW), (f"{base}/sipoc", {"column_key": "inputs",
                                                                 "text": "x"})):
        response = viewer.post(url, body)
        assert response.status_code == 403, url
        assert "lead" in response.get_json()["message"]
    assert viewer.patch(f"{base}/fmea/{other['row']}", {"severity": 1, "version": 1}) \
        .status_code == 403
    assert delete(viewer, f"{base}/whys/{other['chain']}").status_code == 403
    assert count(db, WhyChain) == 1 and count(db, FmeaRow) == 1
