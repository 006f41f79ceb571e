"""Portfolio test data: projects put straight into a phase, status, place and age, with
overdue actions, gate reviews, sustain flags and health reports where a test needs them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update

from ciapp.analyses.models import SustainFlag
from ciapp.extensions import db
from ciapp.gates.models import GateReview
from ciapp.improve.models import ActionItem, Countermeasure
from ciapp.portfolio.models import HealthUpdate
from ciapp.projects.models import Project
from tests import factories
from tests.api.conftest import api_as  # noqa: F401  the API tests' fixture, shared here

NOW = datetime.now(UTC)


def project(lead: Any = None, *, phase: str = "scope", status: str = "active",
            days_old: int = 5, **values: Any) -> Project:
    """A project in ``phase`` and ``status``, opened ``days_old`` days ago (and in its phase
    since then, as no gate has passed)."""
    made = factories.project(lead, **values)
    db.session.execute(update(Project).where(Project.id == made.id).values(
        phase=phase, status=status, created_at=NOW - timedelta(days=days_old))
        .execution_options(synchronize_session=False))
    db.session.expire(made)
    return made


def overdue_action(p: Project, days_late: int = 3, *, owner: Any = None,
                   title: str = "Fix the jig") -> ActionItem:
    cm = Countermeasure(project_id=p.id, title="Poka-yoke on the jig")
    db.session.add(cm)
    db.session.flush()
    action = ActionItem(project_id=p.id, countermeasure=cm, title=title,
                        owner_id=(owner or p.lead).id,
                        due_date=date.today() - timedelta(days=days_late))
    db.session.add(action)
    db.session.flush()
    return action


def passed_gate(p: Project, days_ago: int, phase: str = "scope") -> GateReview:
    """An approved review of ``phase``, decided ``days_ago`` days ago."""
    review = GateReview(project_id=p.id, phase=phase, status="approved",
                        requested_by_id=p.lead_id, decided_by_id=p.lead_id,
                        requested_at=NOW - timedelta(days=days_ago + 1),
                        decided_at=NOW - timedelta(days=days_ago))
    db.session.add(review)
    db.session.flush()
    return review


def pending_review(p: Project, days_ago: int = 2) -> GateReview:
    review = GateReview(project_id=p.id, phase=p.phase, status="pending",
                        requested_by_id=p.lead_id,
                        requested_at=NOW - timedelta(days=days_ago))
    db.session.add(review)
    db.session.flush()
    return review


def sustain_flag(p: Project, *, cleared: bool = False) -> SustainFlag:
    dataset = factories.dataset(p)
    flag = SustainFlag(project_id=p.id, dataset_id=dataset.id, version=1, points="21",
                       message=f"{p.key}: did the gain hold? New data fall outside the "
                               "sustain limits (point 21).",
                       cleared_at=NOW if cleared else None)
    db.session.add(flag)
    db.session.flush()
    return flag


def health(p: Project, value: str, reason: str = "On plan.") -> HealthUpdate:
    update_ = HealthUpdate(project_id=p.id, health=value, reason=reason, set_by_id=p.lead_id)
    db.session.add(update_)
    db.session.flush()
    return update_
