"""The real run is one transaction: a fault at its last step leaves every table as it was
(the pattern of tests/ops/test_faults.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from ciapp.programme import services
from tests.conftest import sign_in
from tests.ops.test_faults import InjectedFault, assert_nothing_saved, every_row, fail_after
from tests.programme.helpers import csv_bytes

REGISTER = csv_bytes([
    ["Title", "Lead", "Site", "Phase", "Status"],
    ["Cut scrap on line 3", "dana@plant.example", "Plant North", "Analyze", "Active"],
    ["5S in packing", "omar@plant.example", "Plant South", "Define", "On hold"],
    ["Old win", "dana@plant.example", "", "Control", "Closed"],
])


def fail_on_last(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str,
                 total: int) -> list[int]:
    """Let ``owner.name`` run ``total`` times, raising after the last: every earlier row
    is created and flushed when the fault comes."""
    original: Callable[..., Any] = getattr(owner, name)
    calls: list[int] = []
    done: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        done.append(1)
        if len(done) == total:
            calls.append(1)
            raise InjectedFault(f"injected after the last {name}")
        return result

    monkeypatch.setattr(owner, name, failing)
    return calls


def _draft_url(client: Any, kind: str, data: bytes) -> str:
    upload = client.post(f"/programme/import/{kind}", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), f"{kind}.csv")})
    return upload.headers["Location"]


MAPPING = {"map_title": "Title", "map_lead": "Lead", "map_site": "Site",
           "map_phase": "Phase", "map_status": "Status", "action": "import"}


def test_a_register_import_that_fails_after_its_last_project(
        client: Any, org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, org["council"])
    url = _draft_url(client, "projects", REGISTER)
    before = every_row()
    calls = fail_on_last(monkeypatch, services, "create_project", 3)

    response = client.post(url, data=MAPPING)

    assert_nothing_saved(response, before, calls)


def test_a_register_import_that_fails_when_all_is_done(
        client: Any, org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in(client, org["admin"])
    url = _draft_url(client, "projects", REGISTER)
    before = every_row()
    calls = fail_after(monkeypatch, services, "confirm")  # the draft deleted, all flushed

    response = client.post(url, data=MAPPING)

    assert_nothing_saved(response, before, calls)


def test_a_benefits_import_that_fails_after_its_last_line(
        client: Any, org: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    key = org["existing"].key
    sheet = csv_bytes([["Project", "Category", "Description", "Projected", "2026-01",
                        "2026-02"],
                       [key, "Hard savings", "Less scrap", "3000", "250", "260"],
                       [key, "Revenue", "More orders", "1200", "", "100"]])
    sign_in(client, org["council"])
    url = _draft_url(client, "benefits", sheet)
    before = every_row()
    calls = fail_on_last(monkeypatch, services, "create_line", 2)

    response = client.post(url, data={
        "map_project": "Project", "map_category": "Category",
        "map_description": "Description", "map_projected": "Projected", "action": "import"})

    assert_nothing_saved(response, before, calls)
