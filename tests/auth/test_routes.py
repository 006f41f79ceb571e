"""Signing in and out, with the failure limit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ciapp.auth import services
from ciapp.auth.models import LoginThrottle

PASSWORD = "a long enough password"


def make_user(db: Any, **kwargs: Any) -> Any:
    user = services.create_user(None, email=kwargs.get("email", "ana@example.com"),
                                name="Ana Lead", role="belt", password=PASSWORD)
    db.session.commit()
    return user


def test_sign_in_with_a_hashed_password_and_out_again(client: Any, db: Any) -> None:
    user = make_user(db)
    assert PASSWORD not in user.password_hash
    response = client.post("/auth/login", data={"email": "ANA@example.com ",
                                                "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"  # the start page
    assert "Ana Lead" in client.get("/projects/").text
    client.post("/auth/logout")
    assert client.get("/projects/").status_code == 302


def test_pages_send_anonymous_users_to_sign_in_and_back(client: Any, db: Any) -> None:
    make_user(db)
    response = client.get("/projects/?q=scrap")
    assert response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]
    back = client.post("/auth/login?next=/projects/%3Fq%3Dscrap",
                       data={"email": "ana@example.com", "password": PASSWORD})
    assert back.headers["Location"] == "/projects/?q=scrap"


def test_next_cannot_send_the_user_to_another_site(client: Any, db: Any) -> None:
    make_user(db)
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"email": "ana@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused_with_a_message(client: Any, db: Any) -> None:
    make_user(db)
    response = client.post("/auth/login", data={"email": "ana@example.com",
                                                "password": "wrong password"})
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text


def test_empty_and_malformed_sign_in_input(client: Any, db: Any) -> None:
    response = client.post("/auth/login", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 422
    assert "Invalid email address." in response.text
    assert "This field is required." in response.text


def test_too_many_failures_lock_the_email_for_a_while(client: Any, db: Any, app: Any) -> None:
    make_user(db)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"email": "ana@example.com", "password": "nope nope"})
    locked = client.post("/auth/login", data={"email": "ana@example.com",
                                              "password": PASSWORD})
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert 20 <= int(locked.headers["Retry-After"]) <= 30  # 30 s from the fifth failure
    assert client.get("/projects/").status_code == 302  # still signed out


def test_success_clears_earlier_failures(client: Any, db: Any) -> None:
    make_user(db)
    client.post("/auth/login", data={"email": "ana@example.com", "password": "nope nope"})
    client.post("/auth/login", data={"email": "ana@example.com", "password": PASSWORD})
    assert db.session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


def test_disabled_users_cannot_sign_in(client: Any, db: Any) -> None:
    user = make_user(db)
    user.active = False
    db.session.commit()
    response = client.post("/auth/login", data={"email": "ana@example.com",
                                                "password": PASSWORD})
    assert response.status_code == 401


def test_accounts_need_a_valid_email_whoever_creates_them(db: Any) -> None:
    import pytest

    from ciapp.core.errors import DomainError

    with pytest.raises(DomainError, match="not a valid e-mail address") as err:
        services.create_user(None, email="ana@", name="Ana", role="belt", password=PASSWORD)
    assert "email" in err.value.fields


def test_an_expired_session_sends_htmx_requests_to_sign_in(client: Any, db: Any) -> None:
    response = client.get("/projects/CI-2026-0001/charter/goal/edit",
                          headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text == ""
    assert response.headers["HX-Redirect"].startswith("/auth/login?next=")
