"""Optimistic locking, one rule for the HTML pages and the API.

An edit says which version of a record it was made on; without one it is refused (428),
so nothing is overwritten silently, and a version that is no longer the record's is a
conflict (409). The API reads the version from If-Match or the body, a page from a hidden
``version`` input; both end here.
"""

from __future__ import annotations

from typing import Any, Protocol

from .errors import Conflict, PreconditionRequired


class Versioned(Protocol):
    version: int


class VersionConflict(Conflict):
    """The record is at ``current`` while the edit was made on ``expected``."""

    def __init__(self, message: str, *, expected: int, current: int) -> None:
        super().__init__(message)
        self.expected = expected
        self.current = current


MISSING_VERSION = ("Send the version you last read (the page's hidden 'version' field, or "
                   "'If-Match: \"<version>\"' on the API), so that a concurrent edit is not "
                   "overwritten.")


def require_version(expected: int | None) -> int:
    """``expected`` itself; 428 when an edit carries no version at all."""
    if expected is None:
        raise PreconditionRequired(MISSING_VERSION, field="version")
    return expected


def check_version(record: Versioned, expected: int | None, what: Any) -> None:
    """Refuse with 409 when ``record`` moved on since version ``expected``; None (the API's
    ``If-Match: *``) skips the check on purpose."""
    if expected is not None and expected != record.version:
        raise VersionConflict(
            f"{what} was changed by someone else since you opened it (version {expected}, "
            f"now {record.version}). Reload and try again.",
            expected=expected, current=record.version)
