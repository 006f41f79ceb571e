"""``flask seed-demo``: runs once, refuses a database that is not its own, explains itself.

What the demo contains is checked in ``test_content.py``, on one seeded database."""

from __future__ import annotations

from typing import Any

from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from ciapp import create_app
from ciapp.audit.models import AuditEvent
from ciapp.auth.models import OrgUnit, User
from ciapp.gates.models import GateReview
from ciapp.notifications.models import Notification
from ciapp.projects.models import Project
from tests import factories

TABLES = (User, OrgUnit, Project, GateReview, AuditEvent, Notification)


def seed(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["seed-demo", *args])


def counts(db: Any) -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def test_second_run_adds_nothing(app: Flask, db: Any) -> None:
    assert seed(app).exit_code == 0
    before = counts(db)
    again = seed(app)
    assert again.exit_code == 0
    assert "already loaded" in again.output
    # The sign-ins are printed every time, not only on the run that made them.
    assert "margaret.okafor@demo.ciapp.example" in again.output
    assert "Password for every demo account: improve-every-day" in again.output
    assert counts(db) == before
    assert seed(app, "--force").exit_code == 0
    assert counts(db) == before


def test_refuses_a_database_with_other_users(app: Flask, db: Any) -> None:
    factories.user("admin", email="boss@example.com")
    db.session.commit()
    before = counts(db)
    result = seed(app)
    assert result.exit_code != 0
    assert "already has 1 user of its own" in result.output and "--force" in result.output
    assert counts(db) == before


def test_force_adds_the_demo_alongside_existing_users(app: Flask, db: Any) -> None:
    boss = factories.user("admin", email="boss@example.com")
    db.session.commit()
    result = seed(app, "--force")
    assert result.exit_code == 0, result.output
    assert db.session.get(User, boss.id).email == "boss@example.com"
    assert db.session.scalar(select(func.count()).select_from(Project)) >= 12


def test_explains_an_unmigrated_database(tmp_path: Any) -> None:
    app = create_app({"SECRET_KEY": "x", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/empty.sqlite"})
    result = seed(app)
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    with app.app_context():
        from ciapp.extensions import db

        db.engine.dispose()
