"""The account page: one's own password and personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ciapp.audit.models import AuditEvent
from ciapp.auth import tokens
from ciapp.auth.models import ApiToken, User
from ciapp.core.time import utcnow
from tests import factories
from tests.conftest import sign_in

NEW = "a brand new passphrase"


def change(client: FlaskClient, current: str = factories.PASSWORD, new: str = NEW,
           confirm: str | None = None) -> Any:
    return client.post("/auth/account/password", data={
        "pw-current_password": current, "pw-new_password": new,
        "pw-confirm": new if confirm is None else confirm})


def test_the_account_page_is_linked_from_every_page(client: FlaskClient,
                                                    login_as: Any) -> None:
    user = login_as("member")
    page = client.get("/projects/").text
    assert 'href="/auth/account"' in page
    account = client.get("/auth/account")
    assert account.status_code == 200
    assert user.email in account.text and "Change your password" in account.text
    assert "You have no API tokens." in account.text


def test_changing_ones_password_keeps_this_browser_and_signs_out_the_others(
        app: Flask, client: FlaskClient, login_as: Any, db: Any) -> None:
    user = login_as("belt")
    other_browser = app.test_client()
    sign_in(other_browser, user)

    response = change(client)

    assert response.status_code == 302 and response.headers["Location"] == "/auth/account"
    assert "Every other browser signed in as you was signed out." in client.get(
        "/auth/account").text
    assert other_browser.get("/auth/account").status_code == 302  # to the sign-in page
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(NEW)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "change_password")).one()
    assert event.actor_id == user.id and NEW not in str(event.changes)


def test_the_new_password_signs_in_and_the_old_one_does_not(
        app: Flask, client: FlaskClient, login_as: Any) -> None:
    user = login_as("belt")
    change(client)
    fresh = app.test_client()
    old = fresh.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD},
                     environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert old.status_code == 401
    new = fresh.post("/auth/login", data={"email": user.email, "password": NEW},
                     environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert new.status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "field", "message"), [
    ("not my password", NEW, None, "current_password", "The current password is wrong."),
    (factories.PASSWORD, "short", None, "new_password",
     "The password needs at least 10 characters."),
    (factories.PASSWORD, NEW, "something else", "confirm", "The two new passwords differ."),
    (factories.PASSWORD, factories.PASSWORD, None, "new_password",
     "Choose a password different from the current one."),
    ("", NEW, None, "current_password", "This field is required."),
])
def test_a_refused_password_change_says_why_and_changes_nothing(
        client: FlaskClient, login_as: Any, db: Any, current: str, new: str,
        confirm: str | None, field: str, message: str) -> None:
    user = login_as("belt")
    response = change(client, current, new, confirm)
    assert response.status_code == 422
    assert f'id="pw-{field}-error"' in response.text and message in response.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)
    assert client.get("/auth/account").status_code == 200  # still signed in


def create(client: FlaskClient, name: str = "Nightly KPI export", days: str = "30") -> Any:
    return client.post("/auth/account/tokens",
                       data={"token-name": name, "token-expires_days": days})


def shown_token(html: str) -> str:
    start = html.index('<code id="new-token">') + len('<code id="new-token">')
    return html[start:html.index("</code>", start)]


def test_a_token_made_on_the_page_is_shown_once_and_opens_the_api(
        client: FlaskClient, login_as: Any, db: Any) -> None:
    user = login_as("viewer")
    response = create(client)
    assert response.status_code == 200
    token = shown_token(response.text)
    assert token.startswith("ciapp_")
    assert "Copy it now: it is shown only this once." in response.text

    api = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200

    page = client.get("/auth/account").text
    assert token not in page  # never again
    assert "Nightly KPI export" in page and token[:12] + "…" in page
    row = db.session.scalars(select(ApiToken)).one()
    assert row.user_id == user.id
    assert timedelta(days=29, hours=23) < row.expires_at - utcnow() <= timedelta(days=30)


def test_the_page_lists_each_tokens_expiry_and_last_use(client: FlaskClient, login_as: Any,
                                                        db: Any) -> None:
    user = login_as("belt")
    tokens.issue_token(user, name="Old script", expires_days=1)
    tokens.issue_token(user, name="Dashboard")
    old, dashboard = db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()
    old.expires_at = utcnow() - timedelta(days=2)
    dashboard.last_used_at = utcnow().replace(year=2026, month=3, day=4, hour=5, minute=6)
    db.session.commit()

    page = client.get("/auth/account").text

    dashboard_row = page[page.index(f'id="token-{dashboard.id}"'):]
    dashboard_row = dashboard_row[:dashboard_row.index("</tr>")]
    assert "2026-03-04 05:06 UTC" in dashboard_row
    old_row = page[page.index(f'id="token-{old.id}"'):]
    old_row = old_row[:old_row.index("</tr>")]
    assert "expired" in old_row and "never" in old_row  # expired, and never used


@pytest.mark.parametrize(("name", "days", "message"), [
    ("", "30", "This field is required."),
    ("x" * 81, "30", "Field cannot be longer than 80 characters."),
    ("CI job", "0", "Enter a whole number from 1 to 365."),
    ("CI job", "366", "Enter a whole number from 1 to 365."),
    ("CI job", "99999999999999999999999", "Enter a whole number from 1 to 365."),
    ("CI job", "soon", "Enter a whole number."),
    ("CI job", "\u0661\u0662", "Enter a whole number."),  # Arabic-Indic 12
    ("CI job", "1_0", "Enter a whole number."),
    ("CI job", "", "Enter a number of days."),
])
def test_a_refused_token_says_why_and_makes_none(client: FlaskClient, login_as: Any, db: Any,
                                                 name: str, days: str, message: str) -> None:
    login_as("belt")
    response = create(client, name, days)
    assert response.status_code == 422 and message in response.text
    assert 'id="new-token"' not in response.text
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoking_a_token_on_the_page_shuts_it_out_of_the_api(
        client: FlaskClient, login_as: Any, db: Any) -> None:
    user = login_as("belt")
    token = tokens.issue_token(user, name="Laptop script")
    kept = tokens.issue_token(user, name="Server job")
    db.session.commit()
    row = db.session.scalars(select(ApiToken).where(ApiToken.name == "Laptop script")).one()

    response = client.post(f"/auth/account/tokens/{row.id}/revoke")

    assert response.status_code == 302
    page = client.get("/auth/account").text
    assert "Revoked the API token “Laptop script”" in page
    assert f'id="token-{row.id}"' not in page and "Server job" in page
    refused = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert client.get("/api/v1/projects",
                      headers={"Authorization": f"Bearer {kept}"}).status_code == 200


def test_nobody_can_revoke_someone_elses_token(client: FlaskClient, login_as: Any,
                                               db: Any) -> None:
    login_as("admin")
    owner = factories.user("belt")
    token = tokens.issue_token(owner)
    db.session.commit()
    row = db.session.scalars(select(ApiToken)).one()

    response = client.post(f"/auth/account/tokens/{row.id}/revoke")

    assert response.status_code == 404
    assert f"You have no API token with id {row.id}." in response.text
    assert tokens.user_for_token(token) is not None


def test_guessing_the_current_password_is_throttled_like_signing_in(
        client: FlaskClient, login_as: Any, db: Any) -> None:
    user = login_as("belt")
    codes = [change(client, current=f"guess number {n}").status_code for n in range(5)]
    blocked = change(client)  # the right password, but too soon

    assert codes == [422] * 5
    assert blocked.status_code == 429
    assert "Too many failed sign-ins for this e-mail from your address" in blocked.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)
