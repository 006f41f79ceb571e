"""The top bar's badges (unread notifications, reviews waiting, ...), counted in one statement.

Each area adds its badge with ``add_badge``; core knows none of them. A badge is a query
of one number, which may read the bind parameter ``user_id`` (the signed-in user's id),
and whether it is shown to a user. Templates call a badge by its name, as a
function of no arguments; the first such call of a page counts every badge that user sees
in one statement (a page drew two and ran one query each), and a page that draws no top bar
(an htmx fragment) counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select

from .access import acting_user
from .records import read

if TYPE_CHECKING:
    from flask import Flask

EXTENSION = "ciapp.topbar"


@dataclass(frozen=True)
class Badge:
    name: str  # what templates call it by
    count: Select[Any]  # of one row of one number
    shows: Callable[[Any], bool]  # (user) -> whether the top bar shows it to them


def add_badge(app: Flask, badge: Badge) -> None:
    badges: list[Badge] | None = app.extensions.get(EXTENSION)
    if badges is None:
        badges = app.extensions[EXTENSION] = []
        app.context_processor(lambda: _counters(badges))
    badges.append(badge)


@lru_cache(maxsize=16)
def _statement(counts: tuple[Select[Any], ...]) -> Select[Any]:
    # Built once per set of badges, so SQLAlchemy's compiled form is reused; one badge is
    # its own query (as a subquery it cost SQLite a little more).
    if len(counts) == 1:
        return counts[0]
    return select(*(count.scalar_subquery() for count in counts))


def _counters(badges: list[Badge]) -> dict[str, Callable[[], int]]:
    user = acting_user()
    if user is None:
        return {}
    user = getattr(user, "_get_current_object", lambda: user)()  # past current_user's proxy
    shown = tuple(badge for badge in badges if badge.shows(user))
    counted: dict[str, int] = {}

    def count(name: str) -> int:
        if not counted:
            row = read(_statement(tuple(b.count for b in shown)), {"user_id": user.id}).one()
            counted.update(zip((badge.name for badge in shown), map(int, row), strict=True))
        return counted[name]

    return {badge.name: partial(count, badge.name) for badge in shown}
