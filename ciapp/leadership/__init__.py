"""The leadership view: projected, realized and finance-validated benefits side by side,
every figure opening the lines it sums; the portfolio and the benefits as spreadsheets; a
printable page and a PDF; the monthly summary by e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from .cli import send_summary
    from .routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(send_summary)
