"""/readyz: 200 when the database answers at the code's migration, 503 with a reason
otherwise; /healthz stays the process's own answer."""

from __future__ import annotations

from typing import Any

import pytest

from ciapp import create_app
from ciapp.ops import health


def test_ready_when_the_database_is_at_the_code_s_migration(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["revision"] in health.expected_heads(client.application)
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_when_migrations_are_behind(client: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # As during a release: the new code's servers start before 'flask db upgrade' has run.
    monkeypatch.setitem(client.application.extensions, health.HEADS_KEY,
                        frozenset({"a_newer_revision"}))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert "expects a_newer_revision" in body["reason"] and "db upgrade" in body["reason"]
    assert client.get("/healthz").status_code == 200  # the process itself still answers


def test_not_ready_on_an_empty_database(tmp_path: Any) -> None:
    app = create_app({"SECRET_KEY": "x", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/empty.sqlite"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "no migrations applied" in response.get_json()["reason"]


def test_not_ready_when_the_database_does_not_answer(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path}/no/such/folder/ciapp.sqlite"
    app = create_app({"SECRET_KEY": "x", "TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    reason = response.get_json()["reason"]
    assert reason.startswith("the database does not answer")
    assert str(tmp_path) not in reason  # the database's address is not shown to anyone
