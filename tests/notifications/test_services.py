"""Notifications: one per person however often they are named, none for disabled
accounts, unread counts, marking read only one's own."""

from __future__ import annotations

from typing import Any

import pytest

from ciapp.core.errors import NotFound
from ciapp.notifications import services
from tests import factories


def test_notify_once_per_active_person(db: Any) -> None:
    ana, ben = factories.user("council"), factories.user("council")
    gone = factories.user("council", active=False)
    services.notify([ana, ben, ana, gone], "Gate review waiting")
    db.session.flush()
    assert [n.message for n in services.for_user(ana)] == ["Gate review waiting"]
    assert services.unread_count(ben) == 1 and services.unread_count(gone) == 0
    assert {u.id for u in services.council_members()} == {ana.id, ben.id}


def test_mark_read_one_or_all_and_never_someone_elses(db: Any) -> None:
    ana, ben = factories.user("belt"), factories.user("belt")
    services.notify([ana], "one")
    services.notify([ana], "two")
    services.notify([ben], "bens")
    db.session.flush()
    first = services.for_user(ana)[-1]
    services.mark_read(ana, first.id)
    assert services.unread_count(ana) == 1
    bens = services.for_user(ben)[0]
    with pytest.raises(NotFound, match=f"Notification {bens.id} was not found"):
        services.mark_read(ana, bens.id)
    services.mark_read(ana)
    assert services.unread_count(ana) == 0 and services.unread_count(ben) == 1
