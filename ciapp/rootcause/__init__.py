"""Root cause (the Analyze phase): 5-Whys chains, the fishbone, the verified root causes
they lead to, a Pareto of causes; the root-cause gate's criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..gates.criteria import criteria_of
    from . import criteria, fmea_models, models, routes_fishbone, routes_fmea  # noqa: F401
    from .routes import bp
    from .services import summary

    app.register_blueprint(bp)
    app.add_template_global(summary, "project_root_cause")
    criteria.register(criteria_of(app))
