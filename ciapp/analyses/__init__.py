"""Analyses of a project's data: control charts, capability, before/after, Pareto, Gage R&R;
saved records that re-run; the gate criteria data decide; sustain monitoring after close."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..datasets.services import append_listeners
    from ..gates.criteria import criteria_of
    from . import criteria, models, monitoring  # noqa: F401  models: the tables
    from .routes import bp

    app.register_blueprint(bp)
    criteria.register(criteria_of(app))
    append_listeners(app).append(monitoring.listener)
