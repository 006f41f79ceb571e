"""``flask --app ciapp seed-demo``: a believable demo in an empty database."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..core.errors import DomainError
from ..extensions import db
from .data import DEMO_PASSWORD
from .services import load_demo


@click.command("seed-demo")
@click.option("--force", is_flag=True,
              help="Add the demo even though the database already has other users.")
@with_appcontext
def seed_demo(force: bool) -> None:
    """Load a demo: three sites, people in every role, thirteen projects with gate histories.

    Run it on an empty, migrated database (`flask --app ciapp db upgrade` first). Every demo
    account shares one password, printed at the end. Running it again adds nothing (the
    demo is recognised by its users' e-mail domain) and prints the sign-ins again. On a
    database that already has users of its own it refuses, unless --force, which adds the
    demo alongside them and changes nothing that exists (sites of the same name are reused).
    """
    try:
        result = load_demo(force=force)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    if result.loaded:
        db.session.commit()
    click.echo(result.message)
    if not result.logins:
        return
    click.echo("")
    width = max(len(login.email) for login in result.logins)
    for login in result.logins:
        click.echo(f"  {login.email:<{width}}  {login.role:<38}  {login.name}")
    click.echo("")
    click.echo(f"Password for every demo account: {DEMO_PASSWORD}")
