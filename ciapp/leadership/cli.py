"""``flask --app ciapp send-summary``: the monthly benefits summary by e-mail, run by cron on
one machine (the first of each month, say), never by every app server."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.errors import DomainError
from . import monthly


@click.command("send-summary")
@click.option("--month", help="YYYY-MM; by default the month before this one.")
@click.option("--site", type=int, help="Only this site's projects (its id).")
@click.option("--to", "to", multiple=True,
              help="A recipient (repeat it); by default the CI council and the admins.")
@with_appcontext
def send_summary(month: str | None, site: int | None, to: tuple[str, ...]) -> None:
    """Send the monthly benefits summary (written to instance/outbox/ without SMTP)."""
    today = datetime.now(UTC).date()
    try:
        chosen = monthly.parse_month(month, today)
        # the templates (and their context processors) expect a request: one at the app's
        # public address, so links in the message point there
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            where = monthly.send(monthly.build(chosen, today, site), list(to) or
                                 monthly.recipients())
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"The summary of {chosen:%B %Y} went to {where}.")
