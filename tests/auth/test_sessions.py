"""Sessions end on the server: signing out, a password change or a deactivation makes every
copy of the cookie worthless, not just the browser's own."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.admin import services as admin
from ciapp.auth.models import User, UserSession
from ciapp.core.time import utcnow
from tests import factories
from tests.conftest import sign_in

PASSWORD = factories.PASSWORD


def make_user(db: Any, email: str = "ana@example.com", name: str = "Ana Lead") -> User:
    user = factories.user("belt", email=email, name=name)  # a cheap hash of PASSWORD
    db.session.commit()
    return user


def browser(app: Flask, email: str = "ana@example.com") -> FlaskClient:
    """A new client signed in through the sign-in page, as a person would."""
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/projects/")
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def copy_cookie(source: FlaskClient, app: Flask) -> FlaskClient:
    """Another client holding the same session cookie, as a thief with a copy would."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    return thief


def test_a_cookie_copied_before_sign_out_does_not_work_after_it(app: Flask, db: Any) -> None:
    make_user(db)
    client = browser(app)
    thief = copy_cookie(client, app)
    assert signed_in(thief)  # the copy works while the session lives

    client.post("/auth/logout")

    assert not signed_in(client)
    assert not signed_in(thief)


def test_signing_out_of_one_browser_leaves_the_others_signed_in(app: Flask, db: Any) -> None:
    make_user(db)
    laptop, phone = browser(app), browser(app)

    laptop.post("/auth/logout")

    assert not signed_in(laptop)
    assert signed_in(phone)


def test_a_cookie_without_a_server_session_is_refused(app: Flask, db: Any) -> None:
    # What every cookie looked like before sessions were kept on the server: user id only.
    user = make_user(db)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert not signed_in(client)


def test_a_session_token_works_only_for_its_own_user(app: Flask, db: Any) -> None:
    make_user(db)
    other = make_user(db, email="bo@example.com", name="Bo Belt")
    client = browser(app)
    with client.session_transaction() as session:
        session["_user_id"] = str(other.id)  # the cookie is signed; this stands for a forgery
    assert not signed_in(client)


def test_a_session_ends_at_its_lifetime_whatever_the_cookie_says(app: Flask, db: Any) -> None:
    make_user(db)
    client = browser(app)
    row = db.session.scalars(select(UserSession)).one()
    assert timedelta(hours=11, minutes=59) < row.expires_at - row.created_at <= \
        app.permanent_session_lifetime
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert not signed_in(client)


def test_changing_a_password_on_the_admin_page_ends_every_session(
        app: Flask, db: Any) -> None:
    user = make_user(db)
    laptop, phone = browser(app), browser(app)
    admin_client = app.test_client()
    sign_in(admin_client, factories.user("admin"))

    response = admin_client.post(f"/admin/users/{user.id}/password",
                                 data={"pw-password": "a brand new secret",
                                       "pw-confirm": "a brand new secret"})

    assert response.status_code == 302
    assert not signed_in(laptop) and not signed_in(phone)
    assert signed_in(admin_client)  # the admin's own session is not touched


def test_deactivating_a_user_ends_every_session_for_good(app: Flask, db: Any) -> None:
    user = make_user(db)
    laptop = browser(app)
    actor = factories.user("admin")

    admin.edit_user(actor, user, {"active": False})
    db.session.commit()
    assert not signed_in(laptop)

    # Reactivating the account does not bring the old cookie back to life.
    admin.edit_user(actor, user, {"active": True})
    db.session.commit()
    assert not signed_in(laptop)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_signing_in_again_replaces_what_the_browser_held(app: Flask, db: Any) -> None:
    make_user(db)
    make_user(db, email="bo@example.com", name="Bo Belt")
    client = browser(app)
    thief = copy_cookie(client, app)
    client.post("/auth/login", data={"email": "bo@example.com", "password": PASSWORD})
    page = client.get("/auth/account").text
    assert "bo@example.com" in page and "ana@example.com" not in page
    assert signed_in(thief)  # Ana's session was not signed out, only left behind


def test_a_new_secret_key_ends_sessions_unless_the_old_one_is_a_fallback(app: Flask,
                                                                          db: Any) -> None:
    # How an operator rotates CIAPP_SECRET_KEY: the old key moves to the fallbacks for as
    # long as the sessions it signed should keep working.
    make_user(db)
    client = browser(app)
    old_key, old_fallbacks = app.secret_key, app.config["SECRET_KEY_FALLBACKS"]
    # Each check on a copy of the cookie: the sign-in page a refused one lands on gives
    # its browser a new (empty) session cookie.
    try:
        app.secret_key = "a-new-key-for-this-test"
        assert not signed_in(copy_cookie(client, app))
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert signed_in(copy_cookie(client, app))
    finally:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = old_key, old_fallbacks
    assert signed_in(client)


# A verified cookie is remembered (ciapp/core/web.py, PageSessions), so a browser sending
# the same cookie page after page is not verified again. What it must never change:


def test_a_tampered_copy_of_a_remembered_cookie_is_refused(app: Flask, db: Any) -> None:
    make_user(db)
    client = browser(app)
    assert signed_in(client)  # its cookie is now remembered
    cookie = client.get_cookie("session")
    assert cookie is not None
    payload, _, signature = cookie.value.rpartition(".")
    forged = app.test_client()
    forged.set_cookie("session", f"{payload}.{signature[::-1]}", domain=cookie.domain)
    assert not signed_in(forged)
    assert signed_in(client)


def test_a_remembered_cookie_still_ages(app: Flask, db: Any) -> None:
    # The server's session row would last 12 hours; a shorter cookie lifetime set since the
    # cookie was first seen still refuses it once it is older than that.
    make_user(db)
    client = browser(app)
    assert signed_in(client)
    saved = app.permanent_session_lifetime
    try:
        app.permanent_session_lifetime = timedelta(seconds=1)
        time.sleep(2.1)  # the cookie's timestamp has a resolution of one second
        assert not signed_in(copy_cookie(client, app))
    finally:
        app.permanent_session_lifetime = saved
    assert signed_in(client)


def test_a_remembered_session_is_a_fresh_copy_for_each_request(app: Flask) -> None:
    # Flashed messages are a list, which flash() appends to in place: one request's
    # session must not leak into the next one's sent with the same cookie.
    interface = app.session_interface
    with app.test_request_context():
        cookie = interface.get_signing_serializer(app).dumps(
            {"_flashes": [["info", "Saved."]], "csrf_token": "abc"})
    opened = []
    for _ in range(2):
        with app.test_request_context("/projects/", headers={"Cookie": f"session={cookie}"}):
            session = interface.open_session(app, request)
            assert session is not None
            opened.append(session)
    first, second = opened
    first["_flashes"].append(["info", "Another."])
    first["csrf_token"] = "changed"
    assert second["_flashes"] == [["info", "Saved."]] and second["csrf_token"] == "abc"
