from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, timezone-aware in UTC; used as a column default callable."""
    return datetime.now(UTC)
