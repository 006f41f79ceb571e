"""No half-saved state: an import, a gate decision, a phase move, a status change and a
data-set append (on the pages and through the API) are each one transaction; finance's
validation of a benefit and a KPI's append are in ``test_faults_values.py``. Each test
lets the operation do all its work, then raises at its last step (the service returns, or
the last thing it calls fails), and finds every table exactly as it was before the
request, and a 500 that says nothing was saved.

The rolled-back test fixture turns a commit into a released savepoint, so a request that
committed part of its work before the fault would leave that part behind here too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from ciapp.datasets import imports
from ciapp.datasets import services as datasets
from ciapp.extensions import db as _db
from ciapp.gates import services as gates
from ciapp.notifications import services as notifications
from ciapp.projects import services as projects
from ciapp.projects.phases import Phase, Status
from tests import factories
from tests.conftest import sign_in

OVERRIDE = "Evidence reviewed at the council meeting on site."


class InjectedFault(RuntimeError):
    """The fault a test injects; nothing in the app catches it specifically."""


def fail_after(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Let ``owner.name`` run, then raise: everything it wrote is flushed, not committed."""
    original = getattr(owner, name)
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        calls.append(1)
        raise InjectedFault(f"injected after {name}")

    monkeypatch.setattr(owner, name, failing)
    return calls


def every_row() -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    _db.session.flush()
    return {table.name: sorted(repr(tuple(row)) for row in _db.session.execute(table.select()))
            for table in _db.metadata.sorted_tables}


def assert_nothing_saved(response: Any, before: dict[str, list[str]], calls: list[int]) -> None:
    assert calls == [1], "the fault was not reached: the test did not run the operation"
    assert response.status_code == 500
    assert "nothing was saved" in response.get_data(as_text=True)
    _db.session.expire_all()
    after = every_row()
    changed = {name for name in before if before[name] != after[name]}
    assert changed == set(), f"half-saved: {sorted(changed)}"


def make_world(db: Any) -> dict[str, Any]:
    """A complete project with its lead and a data set, and a council member."""
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    council = factories.user("council")
    dataset = factories.dataset(project, (1.0, 2.0, 3.0))
    db.session.commit()
    return {"lead": lead, "project": project, "council": council, "dataset": dataset}


@pytest.fixture
def world(client: Any, db: Any) -> dict[str, Any]:
    return make_world(db)


def _as(client: Any, user: Any) -> Any:
    sign_in(client, user)
    return client


CSV = b"value,stage\n" + b"".join(b"%d.5,baseline\n" % n for n in range(30))


def test_an_import_confirmed_on_the_page(client: Any, world: dict[str, Any],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    key = world["project"].key
    _as(client, world["lead"])
    upload = client.post(f"/projects/{key}/datasets/new", content_type="multipart/form-data",
                         data={"how": "file", "file": (io.BytesIO(CSV), "scrap.csv")})
    draft_url = upload.headers["Location"]
    before = every_row()
    calls = fail_after(monkeypatch, imports, "confirm")

    response = client.post(draft_url, data={"action": "save", "kind": "continuous",
                                            "name": "Scrap", "map_value": "value",
                                            "map_stage": "stage"})

    assert_nothing_saved(response, before, calls)


def test_an_import_through_the_api_with_an_idempotency_key(client: Any, world: dict[str, Any],
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           db: Any) -> None:
    from ciapp.auth.services import issue_token

    token = issue_token(world["lead"])
    db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    # A token's first use is noted in its own small commit, by design: not the import's.
    assert client.get("/api/v1/projects", headers=bearer).status_code == 200
    before = every_row()
    calls = fail_after(monkeypatch, imports, "create_from")

    response = client.post(
        f"/api/v1/projects/{world['project'].key}/datasets",
        data={"file": (io.BytesIO(CSV), "scrap.csv"), "name": "Scrap", "kind": "continuous"},
        headers={**bearer, "Idempotency-Key": "import-1"})

    assert_nothing_saved(response, before, calls)  # nor the key: a retry will run again


def test_rows_appended_when_sustain_monitoring_fails(client: Any, world: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     app: Any) -> None:
    # The last step of an append is its listeners (sustain monitoring of a closed project).
    def broken_listener(*_args: Any) -> None:
        calls.append(1)
        raise InjectedFault("sustain monitoring broke")

    calls: list[int] = []
    listeners = datasets.append_listeners(app)
    monkeypatch.setitem(app.extensions, "ciapp.dataset_append_listeners",
                        [*listeners, broken_listener])
    dataset = world["dataset"]
    _as(client, world["lead"])
    draft = client.post(f"/projects/{world['project'].key}/datasets/{dataset.id}/append",
                        data={"how": "paste", "cells": "value\n4\n5\n"})
    before = every_row()

    response = client.post(draft.headers["Location"],
                           data={"action": "save", "map_value": "value", "current": "1"})

    assert_nothing_saved(response, before, calls)


def _pending_review(world: dict[str, Any]) -> Any:
    review = gates.request_review(world["lead"], world["project"], "ready")
    _db.session.commit()
    return review


@pytest.mark.parametrize(("decision", "data"), [
    ("return", {"decision": "return", "comment": "Measure the baseline first."}),
    ("approve", {"decision": "approve", "override_reason": OVERRIDE}),  # the phase moves
])
def test_a_gate_decision_and_the_phase_move(client: Any, world: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch, decision: str,
                                            data: dict[str, str]) -> None:
    review = _pending_review(world)
    _as(client, world["council"])
    before = every_row()
    # The decision's last step: telling the lead.
    calls = fail_after(monkeypatch, notifications, "notify")

    response = client.post(f"/gates/{world['project'].key}/reviews/{review.id}/decide",
                           data=data)

    assert_nothing_saved(response, before, calls)
    assert world["project"].phase == Phase.SCOPE


def test_the_last_gate_closing_the_project(client: Any, world: dict[str, Any], db: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project = world["project"]
    project.phase = Phase.SUSTAIN
    db.session.commit()
    review = _pending_review(world)
    _as(client, world["council"])
    before = every_row()
    calls = fail_after(monkeypatch, gates, "decide_review")

    response = client.post(f"/gates/{project.key}/reviews/{review.id}/decide",
                           data={"decision": "approve", "override_reason": OVERRIDE})

    assert_nothing_saved(response, before, calls)
    assert project.status == "active" and project.closed_at is None


def test_a_status_change(client: Any, world: dict[str, Any],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    _as(client, world["council"])
    before = every_row()
    calls = fail_after(monkeypatch, projects, "change_status")

    response = client.post(f"/projects/{world['project'].key}/status",
                           data={"action": "hold", "reason": "Waiting for the new press."})

    assert_nothing_saved(response, before, calls)


def test_the_fault_test_itself_sees_a_commit_in_the_middle(
        client: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a request that commits before its fault leaves rows behind."""
    _as(client, world["council"])
    before = every_row()
    original: Callable[..., Any] = projects.change_status

    def commits_early(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        _db.session.commit()
        raise InjectedFault("after an early commit")

    monkeypatch.setattr(projects, "change_status", commits_early)
    response = client.post(f"/projects/{world['project'].key}/status",
                           data={"action": "hold", "reason": "Waiting for the new press."})
    assert response.status_code == 500
    with pytest.raises(AssertionError, match="half-saved"):
        assert_nothing_saved(response, before, [1])
    _db.session.expire_all()
    assert world["project"].status == Status.ON_HOLD


# --- the API's gate decision and data-set append ----------------------------------------


def _bearer(db: Any, user: Any, client: Any) -> dict[str, str]:
    from ciapp.auth.services import issue_token

    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    # A token's first use is noted in its own small commit, by design: not the operation's.
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    return headers


def test_a_gate_decision_through_the_api(client: Any, world: dict[str, Any], db: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    review = _pending_review(world)
    bearer = _bearer(db, world["council"], client)
    before = every_row()
    calls = fail_after(monkeypatch, notifications, "notify")

    response = client.post(f"/api/v1/reviews/{review.id}/decision", headers=bearer,
                           json={"decision": "approve", "override_reason": OVERRIDE})

    assert_nothing_saved(response, before, calls)
    assert world["project"].phase == Phase.SCOPE


def test_rows_appended_through_the_api_with_an_idempotency_key(
        client: Any, world: dict[str, Any], db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    bearer = _bearer(db, world["lead"], client)
    before = every_row()
    calls = fail_after(monkeypatch, datasets, "append_rows")

    response = client.post(f"/api/v1/datasets/{world['dataset'].id}/rows",
                           headers={**bearer, "Idempotency-Key": "append-1"},
                           json={"rows": [{"value": 4.0}, {"value": 5.0}]})

    assert_nothing_saved(response, before, calls)
