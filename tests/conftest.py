"""Shared fixtures: one migrated database per run (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), emptied after each test; clients signed in by role."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import text

from ciapp import create_app
from ciapp.auth.models import User
from ciapp.extensions import db as _db
from tests import factories

# CI explores the same Hypothesis examples every run, so a red build can be reproduced;
# developers' runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("MPLCONFIGDIR", os.path.join(os.path.dirname(__file__), "..", ".mplconfig"))


def database_url(tmp_dir: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.sqlite"


def reset_schema(app: Flask) -> None:
    """Start from an empty database, so the migrations build every table."""
    with app.app_context():
        engine = _db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


class RequestClient(FlaskClient):
    """Runs each request in its own app context, as a server would: its own ``g`` and
    database session. Without this, requests inherit the test's app context, and
    Flask-Login's user cached on ``g`` would leak from one request into the next."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if _db.session.registry.has():
            _db.session.expire_all()  # the test's objects reflect what the request saved
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    url = database_url(str(tmp_path_factory.mktemp("db")))
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "localhost",
    })
    app.test_client_class = RequestClient
    reset_schema(app)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


def empty_all_tables() -> None:
    for table in reversed(_db.metadata.sorted_tables):
        _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database inside an app context, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        empty_all_tables()
        _db.session.remove()


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def sign_in(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def login_as(client: FlaskClient, db: Any) -> Callable[..., User]:
    """Create a user of ``role`` and sign the test client in as them."""

    def login(role: str = "belt", **kwargs: Any) -> User:
        user = factories.user(role=role, **kwargs)
        _db.session.commit()
        sign_in(client, user)
        return user

    return login
