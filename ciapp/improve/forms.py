"""Reading the improve pages' form fields: dates, ids and versions, each refused with a
message naming the field rather than a 500."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..core.errors import BadRequest
from ..core.records import ID_MAX
from ..core.validators import parse_date, parse_whole


def whole(value: str | None, field: str) -> int | None:
    """An id or version typed into a form; empty is None."""
    text = (value or "").strip()
    if not text:
        return None
    try:  # ASCII digits only: "²".isdigit() is true, and int("²") raises
        return parse_whole(text, minimum=1, maximum=ID_MAX)
    except ValueError:
        raise BadRequest(f"'{text}' is not a valid {field}.", field=field) from None


def ids(values: Iterable[str], field: str) -> list[int]:
    found = [whole(v, field) for v in values]
    return sorted({i for i in found if i is not None})


def a_date(value: str | None, field: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:  # YYYY-MM-DD only: Python 3.11's fromisoformat also takes 20260105 and 2026-W01-1
        return parse_date(text)
    except ValueError:
        raise BadRequest(f"'{text}' is not a date; write it as YYYY-MM-DD.",
                         field=field) from None
