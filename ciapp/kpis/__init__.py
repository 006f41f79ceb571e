"""Operational KPIs as process behaviour charts: the KPI and its values, governed limits,
the status that separates signal from noise, the board per site and area, the KPI page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from . import models  # noqa: F401  the tables, for the session and the migrations
    from .cli import send_kpi_report
    from .routes import bp

    app.register_blueprint(bp)
    _link_projects(app)
    app.cli.add_command(send_kpi_report)


def _link_projects(app: Flask) -> None:
    """The project page's KPI panel; a project entering Improve or Control, or closing,
    stages its KPI data set anew (its sustain monitoring goes on from the close)."""
    from ..gates.closing import on_close, on_phase
    from . import improvement

    app.add_template_global(improvement.panel, "project_kpi")
    on_close(app, improvement.project_moved)
    on_phase(app, improvement.project_moved)
