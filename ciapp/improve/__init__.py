"""Improve and sustain: countermeasures linked to root causes, action items with owners
and due dates, the control plan, lessons learned; their gate criteria; "my actions"."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..gates.criteria import criteria_of
    from . import criteria, models  # noqa: F401  models: the tables
    from .cli import actions_cli
    from .routes import bp

    app.register_blueprint(bp)
    criteria.register(criteria_of(app))
    app.cli.add_command(actions_cli)
