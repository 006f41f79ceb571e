"""Recording and reading the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..extensions import db
from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def diff(obj: object, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of ``new_values`` that differ from ``obj``, as {field: [before, after]}."""
    changes: dict[str, list[Any]] = {}
    for field, after in new_values.items():
        before = getattr(obj, field)
        if before != after:
            changes[field] = [_plain(before), _plain(after)]
    return changes


def record(
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    project_id: int | None = None,
    summary: str = "",
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        project_id=project_id,
        summary=summary,
        changes={k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()},
    )
    db.session.add(event)
    return event


def project_history(project_id: int, limit: int = 200) -> list[AuditEvent]:
    """A project's events, newest first, each with its actor read in the same statement
    (the history shows every actor's name: one lookup per person otherwise)."""
    stmt = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(AuditEvent.project_id == project_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
