"""``flask --app ciapp actions remind-overdue``: run daily by cron on one machine."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from . import services

actions_cli = AppGroup("actions", help="Action items.")


@actions_cli.command("remind-overdue")
def remind_overdue() -> None:
    """Notify owners of actions that fell overdue, once per action."""
    sent = services.remind_overdue()
    db.session.commit()
    click.echo(f"{sent} overdue reminder(s) sent.")
