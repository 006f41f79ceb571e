"""Gate reviews: each phase's criteria and checklist, requests and the council's decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The scope gate's criteria (the charter's own), and what the templates need."""
    from . import scope_criteria
    from .criteria import criteria_of

    scope_criteria.register(criteria_of(app))
