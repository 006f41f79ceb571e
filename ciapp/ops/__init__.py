"""Operations: readiness, one JSON log line per request, backup and restore.

What an operations team needs to run ciapp: ``/readyz`` next to ``/healthz`` for the load
balancer, request logs a log shipper can parse (with no secrets or personal data in them),
and ``flask --app ciapp backup`` / ``restore`` for the embedded SQLite database and the
files kept in the instance folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from . import health, requestlog
    from .cli import backup_command, restore_command

    requestlog.register(app)
    health.register(app)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
