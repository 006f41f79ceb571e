"""The audit trail: what changed, before and after, in JSON-safe values, newest first."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from ciapp.audit import services
from ciapp.core.time import utcnow
from tests import factories


def test_diff_lists_only_changed_fields_with_plain_values() -> None:
    record = SimpleNamespace(title="Old", start=date(2026, 1, 5), usl=10.0, goal="")
    changes = services.diff(record, {"title": "New", "start": date(2026, 2, 1), "usl": 10.0,
                                     "goal": ""})
    assert changes == {"title": ["Old", "New"], "start": ["2026-01-05", "2026-02-01"]}


def test_records_are_kept_per_project_newest_first(db: Any) -> None:
    actor = factories.user("belt")
    first = services.record(actor, "update", "project", 1, project_id=1, summary="first",
                            changes={"due": [None, datetime(2026, 3, 1, 12, 0)]})
    first.at = utcnow() - timedelta(minutes=5)
    services.record(actor, "update", "project", 1, project_id=1, summary="second")
    services.record(None, "update", "project", 2, project_id=2, summary="elsewhere")
    db.session.flush()
    history = services.project_history(1)
    assert [e.summary for e in history] == ["second", "first"]
    assert history[1].changes == {"due": [None, "2026-03-01T12:00:00"]}
    assert history[0].actor is actor
    assert [e.summary for e in services.project_history(1, limit=1)] == ["second"]
