"""``Idempotency-Key`` on creates: a client that lost the answer retries without making a
second project."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from ciapp.api.idempotency import IdempotencyKey
from ciapp.auth.services import issue_token
from ciapp.projects.models import Project
from tests import factories

BODY = {"title": "Shorter changeovers on press 4", "goal": "Under 40 minutes"}


def projects(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def create(api: Any, body: Any = BODY, key: str | None = "3f0c6a0e-retry-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post("/api/v1/projects", body, headers=headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_no_duplicate(
        api_as: Any, db: Any) -> None:
    api = api_as("belt")
    first = create(api)
    retry = create(api)

    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert projects(db) == 1


def test_the_same_request_written_differently_is_the_same_request(api_as: Any,
                                                                  db: Any) -> None:
    api = api_as("belt")
    create(api)
    reordered = api.post("/api/v1/projects", data='{ "goal": "Under 40 minutes",\n'
                         ' "title": "Shorter changeovers on press 4" }',
                         headers={"Idempotency-Key": "3f0c6a0e-retry-1",
                                  "Content-Type": "application/json"})
    assert reordered.status_code == 201 and reordered.headers["Idempotent-Replayed"] == "true"
    assert projects(db) == 1


def test_the_same_key_with_another_body_is_refused(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    create(api)
    other = create(api, {"title": "Something else entirely"})

    assert other.status_code == 422
    body = other.get_json()
    assert list(body["fields"]) == ["Idempotency-Key"]
    assert "already used for a different request" in body["message"]
    assert projects(db) == 1


def test_keys_belong_to_their_user(api_as: Any, db: Any) -> None:
    ana, bo = api_as("belt"), api_as("belt")
    assert create(ana).status_code == 201
    second = create(bo)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    assert projects(db) == 2


def test_without_a_key_every_create_makes_a_project(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    assert create(api, key=None).status_code == 201
    assert create(api, key=None).status_code == 201
    assert projects(db) == 2
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_a_key_is_forgotten_after_24_hours(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    create(api)
    row = db.session.scalars(select(IdempotencyKey)).one()
    row.created_at -= timedelta(hours=24, seconds=1)
    db.session.commit()

    again = create(api)

    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert projects(db) == 2
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_a_refused_create_is_not_remembered(api_as: Any, db: Any) -> None:
    api = api_as("belt")
    refused = create(api, {"title": ""})
    assert refused.status_code == 422
    fixed = create(api, BODY)  # the same key, now with a body that works
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers
    assert projects(db) == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "clé-é", "tab\there"])
def test_a_malformed_key_is_400_and_saves_nothing(api_as: Any, db: Any, key: str) -> None:
    api = api_as("belt")
    response = create(api, key=key)
    assert response.status_code == 400
    assert response.get_json()["fields"] == {"Idempotency-Key": [
        "The Idempotency-Key header must be 1 to 255 printable ASCII characters, "
        "e.g. a UUID."]}
    assert projects(db) == 0


def test_two_parallel_retries_make_one_project(app: Flask, committing_db: Any) -> None:
    """Each thread stands for a request on its own app server."""
    db = committing_db
    token = issue_token(factories.user("belt"))
    db.session.commit()
    start = threading.Barrier(2)
    answers: list[Any] = []
    errors: list[BaseException] = []

    def post() -> None:
        try:
            client = app.test_client()
            start.wait(timeout=30)
            with app.app_context():
                answers.append(client.post("/api/v1/projects", json=BODY, headers={
                    "Authorization": f"Bearer {token}", "Idempotency-Key": "parallel-1"}))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert [a.status_code for a in answers] == [201, 201]
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert answers[0].get_json()["key"] == answers[1].get_json()["key"]
    assert projects(db) == 1
