"""SQLite needs foreign keys switched on per connection, and WAL for concurrent readers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def register(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from .. import extensions

    with app.app_context():
        engine: Engine = extensions.db.engine  # builds the engine, does not connect
        if not event.contains(engine, "connect", _on_connect):
            event.listen(engine, "connect", _on_connect)
