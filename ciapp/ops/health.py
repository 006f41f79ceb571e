"""``/readyz``: may this process take traffic? The database answers and its schema is at
the revision this code was written for.

``/healthz`` (in ``core.web``) says the process answers; a load balancer sends traffic only
to servers whose ``/readyz`` is 200. During a release the new code's servers answer 503
until ``flask db upgrade`` has run, rather than serving pages whose queries would fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..core.access import PUBLIC, guard
from ..extensions import db

HEADS_KEY = "ciapp.ops.migration_heads"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str
    revision: str | None = None


def expected_heads(app: Flask) -> frozenset[str]:
    """The head revisions of the migrations shipped with this code (read once a process)."""
    heads = app.extensions.get(HEADS_KEY)
    if heads is None:
        directory = app.extensions["migrate"].directory
        heads = frozenset(ScriptDirectory(directory).get_heads())
        app.extensions[HEADS_KEY] = heads
    return heads


def readiness(app: Flask) -> Readiness:
    try:
        connection = db.session.connection()
        connection.execute(text("SELECT 1"))
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        # The class name only: the message can hold the database's address and user.
        return Readiness(False, f"the database does not answer ({type(exc).__name__})")
    finally:
        db.session.rollback()  # end the read transaction; nothing was written
    expected = expected_heads(app)
    shown = ", ".join(sorted(current)) or None
    if not current:
        return Readiness(False, "the database has no migrations applied: run "
                                "'flask --app ciapp db upgrade'")
    if current != expected:
        return Readiness(False, f"the database is at migration {shown}, this code expects "
                                f"{', '.join(sorted(expected))}: run "
                                "'flask --app ciapp db upgrade'", shown)
    return Readiness(True, "the database answers and its migrations are current", shown)


def register(app: Flask) -> None:
    @app.route("/readyz")
    @guard(PUBLIC)
    def readyz() -> tuple[Any, int, dict[str, str]]:
        state = readiness(current_app)
        body = {"status": "ready" if state.ready else "not ready", "reason": state.reason,
                "revision": state.revision}
        # Never cached: a proxy must ask again each time.
        return jsonify(body), 200 if state.ready else 503, {"Cache-Control": "no-store"}
