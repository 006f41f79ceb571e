"""Projects: charters, teams, status moves and the project list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """What the templates need from projects: the charter's inline editor."""
    from . import charter

    app.add_template_global(charter.editor, "charter_editor")
