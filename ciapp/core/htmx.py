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


def in_place(page: str, fragment: str, target: str, status: int = 422,
             **context: Any) -> Response:
    """A form's refusal shown where the form is, with what the person typed.

    Any htmx request, a boosted form included, gets ``fragment`` swapped over ``target``
    (the form's card) and the address bar left alone; without JavaScript the whole ``page``
    comes back with the same card in it.
    """
    if htmx and not htmx.history_restore_request:
        response = make_response(render_template(fragment, **context), status)
        response.headers.update({"HX-Retarget": target, "HX-Reswap": "outerHTML",
                                 "HX-Push-Url": "false"})
    else:
        response = make_response(render_template(page, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response
