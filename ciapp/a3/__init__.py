"""The A3: a one-page summary of a project built from its own data, as a page, a printout
on A3 landscape and a PDF; frozen as it was when the project closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from ..gates.closing import on_close
    from . import models  # noqa: F401  the table
    from .routes import bp
    from .services import freeze

    app.register_blueprint(bp)
    on_close(app, freeze)
