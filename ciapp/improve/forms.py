"""Reading the improve pages' form fields: dates, ids and versions, each refused with a
message naming the field rather than a 500."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..core.errors import BadRequest
from ..core.records import ID_MAX


def whole(value: str | None, field: str) -> int | None:
    """An id or version typed into a form; empty is None."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= ID_MAX:
        raise BadRequest(f"'{text}' is not a valid {field}.", field=field)
    return int(text)


def ids(values: Iterable[str], field: str) -> list[int]:
    found = [whole(v, field) for v in values]
    return sorted({i for i in found if i is not None})


def a_date(value: str | None, field: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"'{text}' is not a date; write it as YYYY-MM-DD.",
                         field=field) from None
