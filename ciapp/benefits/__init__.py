"""Benefits: benefit lines (projected and realized by month), project costs with ROI and
payback, finance's validation and its queue, the roll-up for leadership, and the sustain
gate's benefit criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..a3.sections import sections_of
    from ..gates.criteria import criteria_of
    from . import criteria, models
    from .routes import bp
    from .validation import queue_count

    app.register_blueprint(bp)
    criteria.register(criteria_of(app))
    app.add_template_global(queue_count, "benefit_queue_count")
    # For benefits/_summary.html wherever it is included (the A3 too).
    app.add_template_global(models.CATEGORIES, "BENEFIT_CATEGORIES")
    sections_of(app).add("benefits", "benefits/_a3.html", _a3_section)


def _a3_section(project: Any) -> dict[str, Any] | None:
    """The A3's benefits box: nothing (the A3 says none are recorded) without a line."""
    from . import services

    found = services.summary_for_project(project)
    return {"s": found} if found.lines else None
