"""Answering with a whole page or just a fragment, decided in one place."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template
from werkzeug.wrappers import Response

from ..extensions import htmx


def wants_fragment() -> bool:
    """An htmx request for a part of a page: not a boosted link or form (hx-boost swaps the
    whole body) and not a history restore (which needs the whole page)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(page: str, fragment: str, status: int = 200, **context: Any) -> Response:
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response
