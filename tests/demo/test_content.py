"""What ``flask seed-demo`` loads: every role, projects across methodologies, phases and
statuses, and gate histories made by the real services.

Seeding takes a couple of seconds, so this module seeds once and only reads; the tests of
running it again, refusing and ``--force`` are in ``test_seed.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from ciapp.a3.services import snapshot_of
from ciapp.audit.models import AuditEvent
from ciapp.auth.models import OrgUnit, Role, User
from ciapp.auth.services import authenticate
from ciapp.core.time import utcnow
from ciapp.demo.data import DEMO_DOMAIN, DEMO_PASSWORD
from ciapp.extensions import db as _db
from ciapp.gates.models import GateReview
from ciapp.notifications.models import Notification
from ciapp.projects.models import Project
from tests.conftest import empty_all_tables


@pytest.fixture(scope="module")
def seeded(app: Flask) -> Iterator[Result]:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        yield result
        _db.session.rollback()
        empty_all_tables()
        _db.session.remove()


@pytest.fixture
def db(seeded: Result) -> Any:
    """The seeded database, read only (shadows the emptying fixture of conftest)."""
    return _db


def test_prints_every_login_and_the_shared_password(seeded: Result, db: Any) -> None:
    assert "Loaded the demo" in seeded.output
    assert f"Password for every demo account: {DEMO_PASSWORD}" in seeded.output
    for email in db.session.scalars(select(User.email)):
        assert email in seeded.output


def test_people_in_every_role_with_one_working_password(seeded: Result, db: Any) -> None:
    users = list(db.session.scalars(select(User)))
    assert {u.role for u in users} == set(Role)
    assert sum(u.role == Role.COUNCIL for u in users) >= 2
    assert len({u.belt_level for u in users if u.role == Role.BELT}) >= 3
    assert all(u.email.endswith("@" + DEMO_DOMAIN) for u in users)
    assert len({u.password_hash for u in users}) == 1  # hashed once, reused
    council = next(u for u in users if u.role == Role.COUNCIL)
    assert authenticate(council.email, DEMO_PASSWORD) == council


def test_sites_with_areas(seeded: Result, db: Any) -> None:
    sites = list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
    assert 2 <= len(sites) <= 3
    assert all(len(site.children) >= 2 for site in sites)


def test_projects_across_methodologies_phases_and_statuses(seeded: Result, db: Any) -> None:
    projects = list(db.session.scalars(select(Project)))
    assert len(projects) >= 12
    assert {p.methodology for p in projects} == {"dmaic", "kaizen"}
    assert len({p.phase for p in projects}) >= 4
    assert {"active", "on_hold", "cancelled", "closed"} <= {p.status for p in projects}
    for p in projects:
        assert p.problem and p.goal and p.business_case and p.metric_name and p.metric_unit
        assert p.lead is not None and p.sponsor is not None and p.org_unit is not None
    assert any(p.lsl is not None for p in projects) and any(p.usl is not None for p in projects)
    assert all(p.closed_at is not None for p in projects if p.status == "closed")


def test_gate_histories_come_from_the_real_services(seeded: Result, db: Any) -> None:
    reviews = list(db.session.scalars(select(GateReview)))
    statuses = [r.status for r in reviews]
    assert statuses.count("approved") >= 10
    assert "returned" in statuses and "pending" in statuses
    overridden = [r for r in reviews if r.override_reason]
    assert overridden
    assert any(not c["met"] for r in overridden for c in r.criteria_at_decision)
    assert all(r.criteria_at_request for r in reviews if r.phase == "scope")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"create", "gate_request", "gate_approved", "gate_returned", "tick", "hold",
            "cancel"} <= actions
    override_event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.summary.contains("with override:")))
    assert override_event is not None
    assert db.session.scalar(select(func.count()).select_from(Notification)) > 0


def test_history_is_dated_back_in_order(seeded: Result, db: Any) -> None:
    now = utcnow()
    for review in db.session.scalars(select(GateReview)):
        assert review.project.created_at < review.requested_at < now
        if review.decided_at is not None:
            assert review.requested_at < review.decided_at < now
    assert db.session.scalar(select(func.max(AuditEvent.at))) < now


def test_benefit_lines_with_months_some_validated(seeded: Result, db: Any) -> None:
    from ciapp.benefits.models import BenefitLine, BenefitMonth

    lines = list(db.session.scalars(select(BenefitLine)))
    states = {line.projected_state for line in lines}
    assert {"approved", "pending", "returned", "draft"} <= states
    assert any(line.derived and line.backed for line in lines)
    months = list(db.session.scalars(select(BenefitMonth)))
    assert {m.state for m in months} >= {"approved", "draft"}
    # Every validated line was validated by finance, never by its own team.
    finance = {u.id for u in db.session.scalars(select(User).where(User.role == Role.FINANCE))}
    assert {line.projected_by_id for line in lines if line.projected_by_id} <= finance


def test_closed_projects_keep_an_a3_with_their_data(seeded: Result, db: Any) -> None:
    closed = list(db.session.scalars(select(Project).where(Project.status == "closed")))
    assert closed
    for project in closed:
        snapshot = snapshot_of(project)
        assert snapshot is not None and project.title in snapshot.html
        # The A3 was frozen again after the demo's data sets came: both charts are drawn.
        assert snapshot.html.count("<svg") >= 2
