"""App-wide refusals of input no database can take, before any view sees it.

- ``<int:...>`` in every URL rule matches ASCII digits up to 2**31 - 1, the largest id an
  INTEGER column holds (Werkzeug's own matches any Unicode digit and any size; PostgreSQL
  refuses a larger parameter, SQLite one above 64 bits), so a huge or exotic id is a plain
  404 instead of a 500.
- A NUL character anywhere in the path, query string, form fields or upload file names is
  refused with 400: PostgreSQL cannot store NUL in text, and no person types one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

from .validators import MAX_ID

if TYPE_CHECKING:
    from flask import Flask


def digits_up_to(limit: int) -> str:
    """A regex of the ASCII decimal numbers from 0 to ``limit``: ``[0-9]{1,9}|1[0-9]{9}|...``.

    The bound must be in the regex, not only in ``to_python``: Werkzeug picks the rule for a
    path by regex and method first and converts afterwards, so an id that only failed the
    conversion, on a path where another method has a rule (GET and POST .../rows), would be
    answered 405 Method Not Allowed instead of 404.
    """
    top = str(limit)
    options = [f"[0-9]{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    for i, digit in enumerate(top):
        if digit != "0":
            rest = len(top) - i - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            options.append(f"{top[:i]}[0-{int(digit) - 1}]{tail}")
    options.append(top)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """``<int:name>`` bounded to what an INTEGER id column holds, ASCII digits only."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def _where_nul() -> str | None:
    """Where the request carries a NUL character, in words; None when it does not."""
    if "\x00" in request.path:
        return "the address"
    place = _nul_field("the query string", request.args)
    # The API reads JSON and checks its strings itself; parsing its body as a form here
    # would use up the body before the API could answer "send JSON" (415).
    if place is None and not request.path.startswith("/api/"):
        place = _nul_field("the form", request.form)
        files = [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
        place = place or _nul_field("the name of an uploaded file", files)
    return place


def _nul_field(place: str, values: Any) -> str | None:
    pairs = values.items(multi=True) if hasattr(values, "getlist") else values
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            return f"{place}, field {name.replace(chr(0), '')}"
    return None


def refuse_nul() -> Any:
    place = _where_nul()
    if place is not None:
        raise BadRequest(f"The request has a NUL character (\\0) in {place}; nothing was "
                         f"saved. Remove the character and try again.")
    return None


def register(app: Flask) -> None:
    """Call before any URL rule is added: rules pick their converters when added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
