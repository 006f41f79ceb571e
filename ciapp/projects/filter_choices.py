"""The people and units a list's filter offers, kept for a few seconds per process.

The project list (and the portfolio board) offer every active person as a lead and every
unit as a site in their filters: two statements and about a hundred rows on every view,
a tenth of the list page. The offer changes only when someone is added, renamed or
deactivated, so it is kept:

- up to ``KEEP_SECONDS`` in each process, so a change made through another app server
  shows in this one's filter menus within that time;
- forgotten at once when this process writes a person or a unit (a flush that touches
  one), and again when that transaction commits or rolls back.

Only the menus use it. A sent choice is still checked against the database by
``RowSelectField``, and a charter's lead or sponsor menu reads the people afresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..auth.models import User
from ..orgunits.models import OrgUnit
from .listing import person_choices, unit_choices

KEEP_SECONDS = 10.0
_CHANGED = "ciapp.filter_choices.changed"

# kind -> (when it was read, on the monotonic clock; the pairs)
_kept: dict[str, tuple[float, list[tuple[int, str]]]] = {}
clock: Callable[[], float] = time.monotonic  # a test moves time on through this


def _offer(kind: str, read: Callable[[Collection[int] | None], list[tuple[int, str]]],
           ids: Collection[int] | None) -> list[tuple[int, str]]:
    if ids is not None:  # checking a sent choice: always the database
        return read(ids)
    now = clock()
    kept = _kept.get(kind)
    if kept is None or now - kept[0] >= KEEP_SECONDS:
        kept = _kept[kind] = (now, read(None))
    return kept[1]


def people(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    """``person_choices`` for a filter's menu: kept as above when ``ids`` is None."""
    return _offer("people", person_choices, ids)


def units(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    """``unit_choices`` for a filter's menu: kept as above when ``ids`` is None."""
    return _offer("units", unit_choices, ids)


def forget() -> None:
    _kept.clear()


def _after_flush(session: Session, _context: Any) -> None:
    if any(isinstance(obj, (User, OrgUnit))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        forget()
        session.info[_CHANGED] = True


def _after_end(session: Session, *_args: Any) -> None:
    # What was read after the flush saw uncommitted rows: forget it once the transaction
    # ends either way (a rolled-back person must not stay offered).
    if session.info.pop(_CHANGED, False):
        forget()


def register() -> None:
    """Listen on every session's flushes, commits and rollbacks (once per process)."""
    for name, listener in (("after_flush", _after_flush), ("after_commit", _after_end),
                           ("after_soft_rollback", _after_end)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
