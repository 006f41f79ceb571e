"""Operational KPIs as process behaviour charts: the KPI and its values, governed limits,
the status that separates signal from noise, the board per site and area, the KPI page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from . import models  # noqa: F401  the tables, for the session and the migrations
    from .routes import bp

    app.register_blueprint(bp)
