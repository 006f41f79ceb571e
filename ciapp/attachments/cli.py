"""``flask attachments sweep``: remove files that no attachment names any more (their rows
went with their project, why, cause or countermeasure through the database's cascade) and
uploads abandoned half-way. Run it now and then from cron on one machine."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from . import storage
from .models import Attachment

attachments_cli = AppGroup("attachments", help="Attachment files on disk.")


@attachments_cli.command("sweep")
@click.option("--min-age-hours", default=24.0, show_default=True,
              help="Leave files younger than this (an upload may be under way).")
@click.option("--dry-run", is_flag=True, help="List what would go; remove nothing.")
def sweep(min_age_hours: float, dry_run: bool) -> None:
    folder = storage.folder_for(current_app.config.get("ATTACHMENTS_DIR"),
                                current_app.instance_path)
    known = set(db.session.scalars(select(Attachment.stored_name)))
    stray = storage.stray_files(folder, known, time.time() - min_age_hours * 3600)
    for path in stray:
        if not dry_run:
            path.unlink(missing_ok=True)
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    click.echo(f"{len(stray)} stray file(s) in {folder}.")
