"""``flask --app ciapp backup`` and ``restore``: the SQLite database and the stored files in
one archive. On PostgreSQL they say how to use pg_dump and pg_restore instead."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import backup as service

POSTGRES_HELP = (
    "this database is {dialect}, which ciapp does not copy itself: back it up with its own "
    "tools, e.g.\n"
    "  pg_dump --format=custom --file=ciapp.dump \"$DATABASE_URL\"\n"
    "  pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" ciapp.dump\n"
    "and copy the instance folder's stored files (attachments) alongside "
    "(README: 'Backup and restore')."
)


def _sqlite_database() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(POSTGRES_HELP.format(dialect=url.get_backend_name()))
    if not url.database or url.database == ":memory:":
        raise click.ClickException("the database is in memory: there is nothing to back up")
    return Path(url.database)


def _stores() -> service.FileStores:
    return service.FileStores.of(current_app.instance_path,
                                 current_app.config.get("ATTACHMENTS_DIR"))


@click.command("backup")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive to write (default: ciapp-backup-<UTC time>.tar.gz here).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Copy the SQLite database and the instance folder's stored files into one archive.

    Safe while the app runs: SQLite's online backup API copies the database as it was at
    one instant. The archive holds password hashes: keep it as safe as the database.
    """
    database = _sqlite_database()
    try:
        summary = service.backup(database, _stores(), output or service.default_archive_name())
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {summary.rows} rows in {len(summary.tables)} tables "
               f"(migration {summary.revision}) and {summary.files} stored files "
               f"to {summary.archive}")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that already holds data.")
@with_appcontext
def restore_command(archive: Path, force: bool) -> None:
    """Put back a database and stored files from an archive written by 'backup'.

    Refuses to replace a database that holds data unless --force. Then run
    'flask --app ciapp db upgrade' if the archive comes from an older release.
    """
    database = _sqlite_database()
    db.engine.dispose()  # this process holds no connection while the file is rewritten
    try:
        summary = service.restore(archive, database, _stores(),
                                  Path(current_app.instance_path), force=force)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {summary.rows} rows in {len(summary.tables)} tables "
               f"(migration {summary.revision}) and {summary.files} stored files "
               f"into {database}")
