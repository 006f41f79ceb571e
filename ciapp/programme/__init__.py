"""Bringing an existing programme in: a project register and a benefits spreadsheet (CSV or
XLSX) read by the data set import's reader, mapped column by column, checked in a dry run
that lists every refused row, and created in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from .routes import bp

    app.register_blueprint(bp)
