"""``flask --app ciapp send-kpi-report``: the operational report by e-mail, run by cron on
one machine (every Monday morning, say), never by every app server. By default it sends
every schedule due for the last complete week or month that has not been sent; ``--to``
sends one report to the addresses named, outside the schedules."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from ..core.errors import DomainError
from ..extensions import db
from . import report, reportmail, schedules


@click.command("send-kpi-report")
@click.option("--period", type=click.Choice(report.SPANS),
              help="Only schedules of this period; with --to, the report's period (week "
                   "by default).")
@click.option("--site", type=int, help="Only this site (its id); with --to, this site's "
                                       "report (every site by default).")
@click.option("--to", "to", multiple=True,
              help="Send one report to this address (repeat it) instead of the schedules.")
@with_appcontext
def send_kpi_report(period: str | None, site: int | None, to: tuple[str, ...]) -> None:
    """Send the KPI report (written to instance/outbox/ without SMTP)."""
    today = datetime.now(UTC).date()
    # the templates (and their context processors) expect a request: one at the app's
    # public address, so links in the message point there
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        try:
            if to:
                made = report.build(period or "week", today, site, today)
                where = reportmail.send(made, schedules.recipients(" ".join(to), "--to"))
                click.echo(f"{made.title} went to {where}.")
                return
            if site is not None:
                report.site_of(site)
            due = schedules.due(today, period, site)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        if not due:
            click.echo("No report schedule is due: each has sent its last complete period.")
        failed = 0
        for schedule in due:
            try:
                sent = schedules.send_schedule(schedule, today)
            except reportmail.MailFailed as exc:  # the SMTP server refused or is away
                db.session.rollback()  # not recorded: the next run sends it
                failed += 1
                click.echo(f"Schedule {schedule.id}: {exc.message} It stays due.", err=True)
                continue
            db.session.commit()  # one schedule at a time: a failure later keeps these
            if sent is not None:
                click.echo(f"Schedule {schedule.id}: the report of {sent.start} went to "
                           f"{sent.destination}.")
        if failed:
            raise click.ClickException(f"{failed} of {len(due)} schedules not sent.")
