"""Attachments: photos and documents kept for a project, a why, a fishbone cause or a
countermeasure, checked by their content, served only to those who may read the project."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The attachment pages, ``attachments_of`` for the include on other pages, the
    file-follows-transaction hooks, and ``flask attachments sweep``."""
    from . import (
        models,  # noqa: F401  the table, for the session and the migrations
        storage,
    )
    from .cli import attachments_cli
    from .pages import template_globals
    from .routes import bp

    app.register_blueprint(bp)
    for name, function in template_globals().items():
        app.add_template_global(function, name)
    storage.listen()
    app.cli.add_command(attachments_cli)
