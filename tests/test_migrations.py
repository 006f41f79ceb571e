"""The migrations build the schema from empty, match the models, and go down and up again.

Runs on a database of its own: a new SQLite file, or, when TEST_DATABASE_URL points at
PostgreSQL, a new database on that server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from ciapp import create_app
from ciapp.extensions import db


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    name = f"ciapp_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url: str) -> Iterator[Flask]:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def pending_operations() -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def model_tables() -> set[str]:
    return set(db.metadata.tables)


def test_upgrade_from_empty_builds_every_table_with_no_drift(fresh_app: Flask) -> None:
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert model_tables() <= tables
    assert pending_operations() == []


def test_downgrade_to_empty_and_up_again(fresh_app: Flask) -> None:
    upgrade()
    downgrade(revision="base")
    assert model_tables() & set(inspect(db.engine).get_table_names()) == set()
    upgrade()
    assert pending_operations() == []
