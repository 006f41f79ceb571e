"""One JSON line per request, with a request id echoed as a header, and nothing secret or
personal in it: no password, token, cookie, e-mail or query string."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from ciapp.auth import services as auth
from ciapp.auth.services import issue_token
from ciapp.ops import requestlog

PASSWORD = "s3cret-pass-phrase-xyz"
EMAIL = "dana.belt@example.com"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the request logger writes, formatted as it is on standard error."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(requestlog.JsonLineFormatter())
    logger = logging.getLogger(requestlog.LOGGER_NAME)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_one_json_line_per_request_with_its_id(client: Any, log_lines: io.StringIO) -> None:
    first = client.get("/healthz")
    second = client.get("/no-such-page")
    records = lines(log_lines)
    assert [(r["method"], r["path"], r["status"]) for r in records] == [
        ("GET", "/healthz", 200), ("GET", "/no-such-page", 404)]
    assert [r["request_id"] for r in records] == [first.headers["X-Request-ID"],
                                                  second.headers["X-Request-ID"]]
    assert records[0]["request_id"] != records[1]["request_id"]
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in records)
    assert records[0]["user_id"] is None and records[0]["event"] == "request"


def test_a_sane_incoming_request_id_is_kept(client: Any, log_lines: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "edge-4f1c9a2b"})
    assert response.headers["X-Request-ID"] == "edge-4f1c9a2b"
    assert lines(log_lines)[0]["request_id"] == "edge-4f1c9a2b"


@pytest.mark.parametrize("incoming", ["tab\there", "x" * 200, '"quoted"', "", "a b"])
def test_an_odd_incoming_request_id_is_replaced(client: Any, log_lines: io.StringIO,
                                                incoming: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_refused_requests_are_logged_too(client: Any, log_lines: io.StringIO) -> None:
    response = client.get("/projects/?q=a%00b")  # refused before any view runs
    assert response.status_code == 400
    assert lines(log_lines)[0]["status"] == 400
    assert lines(log_lines)[0]["request_id"] == response.headers["X-Request-ID"]


def test_no_secrets_or_personal_data_in_the_log(client: Any, db: Any,
                                                log_lines: io.StringIO) -> None:
    user = auth.create_user(None, email=EMAIL, name="Dana Belt", role="belt",
                            password=PASSWORD)
    token = issue_token(user)
    db.session.commit()
    signed_in = client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.get(f"/projects/?q={EMAIL}&token={token}")
    client.post("/auth/login", data={"email": EMAIL, "password": "wrong " + PASSWORD})
    api = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200

    text = log_lines.getvalue()
    records = lines(log_lines)
    assert len(records) == 4
    for secret in (PASSWORD, token, cookie.value, EMAIL, "dana.belt", "Dana Belt"):
        assert secret not in text
    assert records[1]["path"] == "/projects/"  # the query string is never logged
    # Who acted is kept, as an id: signed in by cookie, and by API token.
    assert records[1]["user_id"] == user.id and records[3]["user_id"] == user.id
    assert set(records[0]) == {"time", "level", "event", "method", "path", "status",
                               "duration_ms", "user_id", "request_id"}
