"""Shared fixtures: one migrated database per run (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set); each test runs inside a transaction that is rolled back at its
end, so nothing it writes reaches the next test; clients signed in by role.

How the rollback works (SQLAlchemy 2's "join a session into an external transaction"): the
``db`` fixture opens one connection and begins a transaction on it; every session made while
the test runs, in the test itself and in each request of the test client (each request has
its own app context and session, as on a server), is bound to that connection with
``join_transaction_mode="create_savepoint"``. A service's ``commit`` then releases a
savepoint and a ``rollback`` returns to one, and the outer transaction is rolled back when
the test ends. Tests that need real commits seen by other connections (threads standing for
app servers, a browser talking to a live server, a CLI run shared by a module) use
``committing_db`` instead, which commits for real and empties every table afterwards.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import settings
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from ciapp import create_app
from ciapp.auth.models import User
from ciapp.extensions import db as _db
from ciapp.projects import filter_choices
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


@contextmanager
def sqlite_savepoints(connection: Connection) -> Iterator[None]:
    """Let pysqlite nest SAVEPOINTs inside the transaction of ``connection``.

    pysqlite begins transactions lazily on its own and so breaks SAVEPOINT (SQLAlchemy docs,
    "Serializable isolation / Savepoints / Transactional DDL"): switch its handling off and
    emit BEGIN from SQLAlchemy's ``begin`` event instead. Only on this connection, and only
    while the test runs: pooled connections that other tests use for real commits keep
    pysqlite's lazy BEGIN, which threads writing at once rely on.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    dbapi_connection = connection.connection.driver_connection
    before = dbapi_connection.isolation_level
    dbapi_connection.isolation_level = None

    def emit_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    event.listen(connection, "begin", emit_begin)
    try:
        yield
    finally:
        event.remove(connection, "begin", emit_begin)
        dbapi_connection.isolation_level = before


class _Binding(threading.local):
    """The connection that sessions of the current test's thread join, if any."""

    connection: Connection | None = None


_binding = _Binding()
_flask_get_bind = FlaskSession.get_bind


def _get_bind(self: FlaskSession, mapper: Any = None, clause: Any = None,
              bind: Any = None, **kwargs: Any) -> Any:
    # Flask-SQLAlchemy's Session ignores a session-wide bind; during a rolled-back test every
    # session of the test's thread uses the test's connection. Other threads get the engine.
    if bind is None and _binding.connection is not None:
        return _binding.connection
    return _flask_get_bind(self, mapper, clause, bind, **kwargs)


FlaskSession.get_bind = _get_bind  # type: ignore[method-assign]


@contextmanager
def rolled_back() -> Iterator[Connection]:
    """Sessions made inside join one connection's transaction, rolled back at the end."""
    factory = _db.session.session_factory
    connection = _db.engine.connect()
    savepoints = sqlite_savepoints(connection)
    savepoints.__enter__()
    outer = connection.begin()
    saved_mode = factory.kw.get("join_transaction_mode")
    factory.kw["join_transaction_mode"] = "create_savepoint"
    _binding.connection = connection
    try:
        yield connection
    finally:
        _db.session.remove()
        _binding.connection = None
        if saved_mode is None:
            factory.kw.pop("join_transaction_mode", None)
        else:
            factory.kw["join_transaction_mode"] = saved_mode
        if outer.is_active:
            outer.rollback()
        savepoints.__exit__(None, None, None)
        connection.close()
        # The connection's rollback is below any session's events: the filter menus kept
        # from this test's people and units must not be offered in the next.
        filter_choices.forget()


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
        # Attachments written by tests go to a temporary folder, never the instance's.
        "ATTACHMENTS_DIR": str(tmp_path_factory.mktemp("attachments")),
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
    """The database inside an app context; what the test writes is rolled back after it."""
    with app.app_context(), rolled_back():
        yield _db


@pytest.fixture
def committing_db(app: Flask) -> Iterator[Any]:
    """The database with real commits, for tests whose writes other connections must see
    (threads, a live server); every table is emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        empty_all_tables()
        _db.session.remove()
        filter_choices.forget()


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def sign_in(client: FlaskClient, user: User) -> None:
    """Sign ``client`` in as ``user`` with a server-side session, as the sign-in page does
    (a cookie without one is refused: see ciapp/auth/sessions.py)."""
    from datetime import timedelta

    from ciapp.auth import sessions

    token = sessions.start(user, timedelta(hours=1))
    _db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = token


@pytest.fixture
def login_as(client: FlaskClient, db: Any) -> Callable[..., User]:
    """Create a user of ``role`` and sign the test client in as them."""

    def login(role: str = "belt", **kwargs: Any) -> User:
        user = factories.user(role=role, **kwargs)
        _db.session.commit()
        sign_in(client, user)
        return user

    return login
