"""Reading numbers and dates typed by people or sent by programs, one way for pages and API.

Python's own ``int()``, ``float()`` and ``strptime`` are generous in ways a database is not:
``int("²")`` raises after ``"²".isdigit()`` said yes, ``int("٣")`` is 3, ``float("1e309")``
is infinity, ``float("nan")`` is accepted, ``strptime("2026-1-5", "%Y-%m-%d")`` works, and
an id above 2**31 - 1 makes PostgreSQL raise (above 2**63 - 1, SQLite). These parsers accept
ASCII digits only, finite numbers only, ISO dates only, and integers that fit an INTEGER
column; every refusal is a
``ValueError`` whose text can be shown to the person as it is.
"""

from __future__ import annotations

import math
import re
from datetime import date

from .errors import BadRequest

# The largest id, version or count the INTEGER columns hold: PostgreSQL's INTEGER is 32-bit
# (a larger parameter fails the query's ::INTEGER cast), SQLite's 64-bit.
MAX_ID = 2**31 - 1

WHOLE_RE = re.compile(r"[+-]?[0-9]+", re.ASCII)
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

ENTER_NUMBER = "Enter a number, such as 12.5 or -3."
ENTER_WHOLE = "Enter a whole number."
ENTER_DATE = "Enter a date as YYYY-MM-DD, such as 2026-01-05."


def parse_whole(text: str, *, minimum: int | None = None, maximum: int | None = MAX_ID) -> int:
    """An integer written in ASCII digits (an optional sign, no spaces or underscores)."""
    text = text.strip()
    if not WHOLE_RE.fullmatch(text):
        raise ValueError(ENTER_WHOLE)
    value = int(text)
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ValueError(range_message(minimum, maximum, whole=True))
    return value


def parse_number(text: str) -> float:
    """A finite decimal number (``12``, ``-0.5``, ``1.2e-3``); no ``inf``, ``nan``,
    Unicode digits, thousands separators or underscores."""
    text = text.strip()
    if not NUMBER_RE.fullmatch(text):
        raise ValueError(ENTER_NUMBER)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("That number is too large; enter a smaller one.")
    return value


def check_finite(value: float | int) -> float:
    """``value`` as a float, refused when infinite, NaN, or too large for a float."""
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("That number is too large; enter a smaller one.") from None
    if math.isnan(number):
        raise ValueError(ENTER_NUMBER)
    if math.isinf(number):
        raise ValueError("That number is too large; enter a smaller one.")
    return number


def parse_date(text: str) -> date:
    """A calendar date written as ISO 8601 ``YYYY-MM-DD`` with two-digit month and day."""
    text = text.strip()
    if not DATE_RE.fullmatch(text):
        raise ValueError(ENTER_DATE)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a date on the calendar.") from None


def parse_version(text: str) -> int:
    """A record's version as a page or client sends it back: a whole number from 1."""
    try:
        return parse_whole(text, minimum=1)
    except ValueError:
        raise ValueError("The version must be a whole number from 1, as the page sent it. "
                         "Reload the page and try again.") from None


def range_message(minimum: float | None, maximum: float | None, *, whole: bool = False) -> str:
    kind = "a whole number" if whole else "a number"
    if minimum is not None and maximum is not None:
        return f"Enter {kind} from {_plain(minimum)} to {_plain(maximum)}."
    if minimum is not None:
        return f"Enter {kind} of at least {_plain(minimum)}."
    return f"Enter {kind} of at most {_plain(maximum)}."


def _plain(value: float | None) -> str:
    """``90`` rather than ``90.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def version_from(raw: str | None) -> int | None:
    """The version a form sent back, None when it sent none; 400 when it is not a version."""
    if raw is None or not raw.strip():
        return None
    try:
        return parse_version(raw)
    except ValueError as exc:
        raise BadRequest(str(exc), field="version") from None
