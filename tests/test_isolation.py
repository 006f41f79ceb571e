"""The per-test rollback of conftest: what a test commits, itself or through a request, is
gone in the next test; a request that fails rolls back only its own work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ciapp.auth.models import User
from ciapp.projects.models import Project
from tests import factories

EMAIL = "isolation-check@example.com"


def _count(db: Any, model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def test_a_commits_through_the_session_and_a_request(db: Any, login_as: Any, client: Any,
                                                     ) -> None:
    factories.user("belt", email=EMAIL)
    db.session.commit()
    login_as("belt")
    response = client.post("/projects/new", data={"title": "Committed by a request",
                                                  "alpha": "0.05", "methodology": "dmaic"})
    assert response.status_code == 302
    assert _count(db, Project) == 1


def test_b_sees_nothing_of_test_a(db: Any) -> None:
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is None
    assert _count(db, Project) == 0


def test_a_refused_request_keeps_what_the_test_wrote(db: Any, login_as: Any,
                                                    client: Any) -> None:
    login_as("belt")
    kept = factories.user("member")  # flushed, not committed: still in the test's savepoint
    response = client.post("/projects/new", data={"title": "", "alpha": "0.05"})
    assert response.status_code == 422
    assert db.session.get(User, kept.id) is not None
    assert _count(db, Project) == 0
