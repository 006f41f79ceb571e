"""``flask --app ciapp users create|token``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..core.errors import DomainError
from ..extensions import db
from . import services
from .models import BeltLevel, Role

users_cli = AppGroup("users", help="Manage user accounts and API tokens.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--belt", "belt_level", default=BeltLevel.NONE.value,
              type=click.Choice([b.value for b in BeltLevel]))
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of prompting.")
def create(email: str, name: str, role: str, belt_level: str, password_stdin: bool) -> None:
    """Create a user; the password is prompted for, or read from standard input."""
    try:
        services.check_email(email)  # before the password prompt, not after
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(None, email=email, name=name, role=role,
                                    password=password, belt_level=belt_level)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("token")
@click.argument("email")
def token(email: str) -> None:
    """Print a new personal API token for EMAIL (only its hash is stored)."""
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    if not user.active:
        raise click.ClickException(f"{user.email} is inactive; reactivate the account first "
                                   "(a token of an inactive user is refused anyway).")
    value = services.issue_token(user)
    db.session.commit()
    click.echo(value)
