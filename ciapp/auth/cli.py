"""``flask --app ciapp users create|token|revoke-tokens``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..core.errors import DomainError
from ..extensions import db
from . import services, tokens
from .models import BeltLevel, Role, User

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
@click.option("--name", default="API token", show_default=True,
              help="What will use the token; shown on the user's account page.")
@click.option("--expires-days", type=click.IntRange(1, tokens.MAX_DAYS),
              default=tokens.DEFAULT_DAYS, show_default=True)
def token(email: str, name: str, expires_days: int) -> None:
    """Print a new personal API token for EMAIL (only its hash is stored)."""
    user = _user(email)
    if not user.active:
        raise click.ClickException(f"{user.email} is inactive; reactivate the account first "
                                   "(a token of an inactive user is refused anyway).")
    try:
        value = tokens.issue_token(user, name=name, expires_days=expires_days)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(value)


@users_cli.command("revoke-tokens")
@click.argument("email")
def revoke_tokens(email: str) -> None:
    """Revoke every API token of EMAIL, say after a laptop was lost."""
    user = _user(email)
    count = tokens.revoke_all_tokens(None, user)
    db.session.commit()
    click.echo(f"Revoked {count} API token(s) of {user.email}.")


def _user(email: str) -> User:
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user
