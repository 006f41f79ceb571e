"""Bearer tokens are the only way into the API; the session cookie is never enough."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import session

from ciapp.core.time import utcnow
from tests import factories
from tests.api.conftest import check_schema


def test_no_token_is_401_with_a_bearer_challenge(client) -> None:
    response = client.get("/api/v1/projects")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="ciapp"'
    check_schema("Error", response.get_json())
    assert "Authorization: Bearer" in response.get_json()["message"]


def test_bad_token_is_401_invalid_token(client) -> None:
    response = client.get("/api/v1/projects",
                          headers={"Authorization": "Bearer ciapp_not-a-real-token"})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_basic_auth_is_not_accepted(client) -> None:
    response = client.get("/api/v1/projects", auth=("someone@example.com", "password"))

    assert response.status_code == 401


def test_token_of_a_disabled_account_is_refused(api_as, db) -> None:
    api = api_as("belt")
    api.user.active = False
    db.session.commit()

    assert api.get("/api/v1/projects").status_code == 401


def test_a_signed_in_browser_session_does_not_open_the_api(client, login_as) -> None:
    login_as("admin")

    response = client.get("/api/v1/projects")

    assert response.status_code == 401


def test_the_api_does_not_read_a_browser_session(app, client, login_as, api_as) -> None:
    login_as("admin")
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    headers = {"Cookie": f"{cookie.key}={cookie.value}"}
    with app.test_request_context("/projects/", headers=headers):
        assert session.get("_user_id")  # a page reads the sign-in from it
    with app.test_request_context("/api/v1/projects", headers=headers):
        assert not session  # the API never even verifies it

    response = api_as("viewer").get("/api/v1/projects")  # the cookie goes along

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get("/projects/").status_code == 200  # the browser is still signed in


def test_a_token_works_and_records_its_last_use(api_as, db) -> None:
    from ciapp.auth.models import ApiToken

    api = api_as("viewer")

    assert api.get("/api/v1/projects").status_code == 200
    assert db.session.query(ApiToken).one().last_used_at is not None


def test_writes_need_no_csrf_token(api_as, app, db) -> None:
    # Token-only authentication is why the blueprint can be exempt from CSRF.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = api_as("belt").post("/api/v1/projects", {"title": "Shorter queues"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert response.status_code == 201


def test_the_openapi_document_is_public(client, db) -> None:
    factories.user()  # the database is there, but nobody signs in

    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.1")


def statements_during(db: Any, call: Callable[[], Any]) -> list[str]:
    """The SQL statements the database received while ``call`` ran."""
    from sqlalchemy import event

    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_reads_write_the_last_use_at_most_every_five_minutes(api_as, db) -> None:
    from ciapp.auth.models import ApiToken

    api = api_as("viewer")
    first = statements_during(db, lambda: api.get("/api/v1/projects"))
    assert "UPDATE" in first
    used = db.session.query(ApiToken).one().last_used_at

    second = statements_during(db, lambda: api.get("/api/v1/projects"))

    assert not {"INSERT", "UPDATE", "DELETE"} & set(second)  # a read is not a write
    row = db.session.query(ApiToken).one()
    assert row.last_used_at == used
    row.last_used_at = used - timedelta(minutes=5, seconds=1)
    db.session.commit()
    assert "UPDATE" in statements_during(db, lambda: api.get("/api/v1/projects"))
    assert db.session.query(ApiToken).one().last_used_at > used


def test_an_expired_token_is_refused(api_as, db) -> None:
    from ciapp.auth.models import ApiToken

    api = api_as("viewer")
    row = db.session.query(ApiToken).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    response = api.get("/api/v1/projects")

    assert response.status_code == 401
    assert "expired" in response.get_json()["message"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_is_refused(api_as, db) -> None:
    from ciapp.auth import tokens
    from ciapp.auth.models import ApiToken

    api = api_as("viewer")
    tokens.revoke_token(api.user, db.session.query(ApiToken).one())
    db.session.commit()

    assert api.get("/api/v1/projects").status_code == 401
