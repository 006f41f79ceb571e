"""The portfolio, for the CI council and leadership: the pipeline by phase (board and
table), what needs attention, each project's health, and idea intake with the PICK chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from . import models  # noqa: F401  the tables
    from .models import HEALTH_LABELS
    from .routes import bp

    app.register_blueprint(bp)
    app.context_processor(lambda: {"HEALTH_LABELS": HEALTH_LABELS})
