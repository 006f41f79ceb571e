"""Data sets of a project: importing measurement data, versions, and analyses on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The data set pages, and ``project_datasets`` for the project page's Data card."""
    from . import models  # noqa: F401  the tables, for the session and the migrations
    from .routes import bp
    from .services import project_summaries

    app.register_blueprint(bp)
    app.add_template_global(project_summaries, "project_datasets")
