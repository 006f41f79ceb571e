"""Projects: charters, teams, status moves and the project list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """What the templates need from projects: phase and status labels, the charter's
    inline editor, the list's kept filter bar and rows."""
    from . import charter, filter_choices, rendered
    from .phases import METHODOLOGY_LABELS, PHASE_LABELS, PHASES, STATUS_LABELS

    labels = {"PHASES": PHASES, "PHASE_LABELS": PHASE_LABELS, "STATUS_LABELS": STATUS_LABELS,
              "METHODOLOGY_LABELS": METHODOLOGY_LABELS}
    app.context_processor(lambda: labels)
    app.add_template_global(charter.editor, "charter_editor")
    rendered.register(app)
    filter_choices.register()
