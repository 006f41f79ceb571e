from __future__ import annotations

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo data set."""
    raise click.ClickException("not built yet")
