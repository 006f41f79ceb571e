"""Benefits: benefit lines (projected and realized by month), project costs with ROI and
payback, finance's validation and its queue, the roll-up for leadership, and the sustain
gate's benefit criteria."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..gates.criteria import criteria_of
    from . import criteria, models
    from .routes import bp
    from .validation import queue_count

    app.register_blueprint(bp)
    criteria.register(criteria_of(app))
    app.add_template_global(queue_count, "benefit_queue_count")
    # For benefits/_summary.html wherever it is included (the A3 too).
    app.add_template_global(models.CATEGORIES, "BENEFIT_CATEGORIES")
