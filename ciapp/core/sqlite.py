"""SQLite needs foreign keys switched on per connection, and WAL for concurrent readers."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A writer waits this long for another's write lock before "database is locked" (a
    # 500). Under the load test on a busy 2-core machine 5 s was not enough; locks are held
    # for milliseconds when the machine is idle, so the wait costs nothing then.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def register() -> None:
    """Listen on every engine's new connections; a no-op for PostgreSQL ones."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def engine_options(url: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The engine options for ``url``: an SQLite file gets no ``pool_pre_ping``.

    The ping (a ``SELECT 1`` each time a request takes a connection from the pool) finds
    connections a database server dropped; a file opened by this process is never dropped,
    so on SQLite it only cost every request a statement."""
    if url.startswith("sqlite"):
        return {**options, "pool_pre_ping": False}
    return dict(options)
