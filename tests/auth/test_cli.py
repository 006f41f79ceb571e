"""``flask users create``, ``token`` and ``revoke-tokens``, run through Flask's CLI test runner."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.auth.models import ApiToken, User
from ciapp.auth.services import authenticate, user_for_token
from ciapp.core.time import utcnow
from tests import factories

PASSWORD = "tr0ub4dor and 3"


def run(app: Flask, *args: str, input: str | None = None) -> Result:
    return app.test_cli_runner().invoke(args=list(args), input=input)


def create(app: Flask, *extra: str, email: str = "Laura.Fischer@Example.com",
           role: str = "belt", password: str = PASSWORD) -> Result:
    return run(app, "users", "create", "--email", email, "--name", "Laura Fischer",
               "--role", role, *extra, "--password-stdin", input=password + "\n")


def user_count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_user_with_a_hashed_password(app: Flask, db: Any) -> None:
    result = create(app, "--belt", "black")
    assert result.exit_code == 0, result.output
    assert "Created laura.fischer@example.com (belt)." in result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.belt_level) == (
        "laura.fischer@example.com", "Laura Fischer", "belt", "black")
    assert PASSWORD not in user.password_hash
    assert authenticate("laura.fischer@example.com", PASSWORD).id == user.id
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.entity, event.entity_id) == ("create", "user", user.id)


def test_password_is_prompted_twice_and_hidden(app: Flask, db: Any) -> None:
    result = run(app, "users", "create", "--email", "a@example.com", "--name", "A",
                 "--role", "viewer", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Repeat for confirmation" in result.output
    assert db.session.scalar(select(User)).check_password(PASSWORD)


def test_prompted_passwords_that_differ_are_asked_again(app: Flask, db: Any) -> None:
    result = run(app, "users", "create", "--email", "a@example.com", "--name", "A",
                 "--role", "viewer", input=f"{PASSWORD}\nother one!!\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert db.session.scalar(select(User)).check_password(PASSWORD)


def test_duplicate_email_fails_and_saves_nothing(app: Flask, db: Any) -> None:
    factories.user("member", email="laura.fischer@example.com")
    db.session.commit()
    result = create(app)
    assert result.exit_code != 0
    assert "A user with e-mail laura.fischer@example.com already exists." in result.output
    assert user_count(db) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_unknown_role_fails_and_saves_nothing(app: Flask, db: Any) -> None:
    result = create(app, role="overlord")
    assert result.exit_code != 0
    assert "Invalid value for '--role'" in result.output and "'overlord'" in result.output
    assert user_count(db) == 0


@pytest.mark.parametrize("password", ["short", "", "123456789"])
def test_short_password_fails_and_saves_nothing(app: Flask, db: Any, password: str) -> None:
    result = create(app, password=password)
    assert result.exit_code != 0
    assert "The password needs at least 10 characters." in result.output
    assert user_count(db) == 0


def test_empty_name_fails(app: Flask, db: Any) -> None:
    result = run(app, "users", "create", "--email", "a@example.com", "--name", "  ",
                 "--role", "viewer", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code != 0 and "The name is empty." in result.output
    assert user_count(db) == 0


def test_malformed_email_fails(app: Flask, db: Any) -> None:
    result = create(app, email="not an e-mail")
    assert result.exit_code != 0
    assert "not a valid e-mail address" in result.output
    assert user_count(db) == 0


def test_token_is_printed_once_and_only_its_hash_is_stored(app: Flask, db: Any) -> None:
    user = factories.user("belt", email="laura@example.com")
    db.session.commit()
    result = run(app, "users", "token", "Laura@Example.com")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    token = lines[0].strip()
    assert token.startswith("ciapp_") and len(token) > 40
    row = db.session.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.token_hash, row.prefix)
    assert token.startswith(row.prefix) and len(row.prefix) < len(token) // 2
    assert user_for_token(token).id == user.id
    assert user_for_token(token + "x") is None


def test_each_token_run_makes_a_new_token(app: Flask, db: Any) -> None:
    factories.user("belt", email="laura@example.com")
    db.session.commit()
    first = run(app, "users", "token", "laura@example.com").output.strip()
    second = run(app, "users", "token", "laura@example.com").output.strip()
    assert first != second
    assert user_for_token(first) is not None and user_for_token(second) is not None


def test_token_for_unknown_email_fails(app: Flask, db: Any) -> None:
    result = run(app, "users", "token", "nobody@example.com")
    assert result.exit_code != 0
    assert "No user with e-mail nobody@example.com." in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_token_of_an_inactive_user_does_not_authenticate(app: Flask, db: Any) -> None:
    factories.user("belt", email="gone@example.com", active=False)
    db.session.commit()
    result = run(app, "users", "token", "gone@example.com")
    assert result.exit_code != 0
    assert "gone@example.com is inactive" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_token_takes_a_name_and_an_expiry(app: Flask, db: Any) -> None:
    factories.user("belt", email="laura@example.com")
    db.session.commit()
    before = utcnow()
    result = run(app, "users", "token", "laura@example.com", "--name", "Nightly KPI export",
                 "--expires-days", "7")
    assert result.exit_code == 0, result.output
    row = db.session.scalars(select(ApiToken)).one()
    assert row.name == "Nightly KPI export"
    assert timedelta(days=7) <= row.expires_at - before < timedelta(days=7, minutes=1)


def test_token_expires_after_90_days_unless_told(app: Flask, db: Any) -> None:
    factories.user("belt", email="laura@example.com")
    db.session.commit()
    assert run(app, "users", "token", "laura@example.com").exit_code == 0
    row = db.session.scalars(select(ApiToken)).one()
    assert row.name == "API token"
    assert timedelta(days=89, hours=23) < row.expires_at - utcnow() <= timedelta(days=90)


@pytest.mark.parametrize("days", ["0", "366", "-1", "soon"])
def test_token_expiry_out_of_range_is_refused(app: Flask, db: Any, days: str) -> None:
    factories.user("belt", email="laura@example.com")
    db.session.commit()
    result = run(app, "users", "token", "laura@example.com", "--expires-days", days)
    assert result.exit_code != 0 and "--expires-days" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_token_with_an_empty_name_is_refused(app: Flask, db: Any) -> None:
    factories.user("belt", email="laura@example.com")
    db.session.commit()
    result = run(app, "users", "token", "laura@example.com", "--name", "   ")
    assert result.exit_code != 0 and "Give the token a name" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_revoke_tokens_revokes_every_token_of_that_user_only(app: Flask, db: Any) -> None:
    factories.user("belt", email="laura@example.com")
    factories.user("belt", email="other@example.com")
    db.session.commit()
    mine = [run(app, "users", "token", "laura@example.com").output.strip() for _ in range(2)]
    theirs = run(app, "users", "token", "other@example.com").output.strip()

    result = run(app, "users", "revoke-tokens", "LAURA@example.com")

    assert result.exit_code == 0, result.output
    assert "Revoked 2 API token(s) of laura@example.com." in result.output
    assert [user_for_token(t) for t in mine] == [None, None]
    assert user_for_token(theirs) is not None
    again = run(app, "users", "revoke-tokens", "laura@example.com")
    assert "Revoked 0 API token(s)" in again.output
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "revoke_tokens")).first()
    assert event is not None and "laura@example.com" in event.summary


def test_revoke_tokens_of_unknown_email_fails(app: Flask, db: Any) -> None:
    result = run(app, "users", "revoke-tokens", "nobody@example.com")
    assert result.exit_code != 0
    assert "No user with e-mail nobody@example.com." in result.output
