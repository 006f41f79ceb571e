"""The list's lead and site menus are kept for a few seconds per process
(ciapp/projects/filter_choices.py): a change made here shows at once, one made through
another app server within ``KEEP_SECONDS``, and a sent choice is always checked against the
database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from ciapp.auth.models import User
from ciapp.projects import filter_choices
from tests import factories
from tests.projects.test_rendered import filter_bar, rows


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The menus' clock, moved on by hand: ``clock[0] += seconds``."""
    now = [1000.0]
    monkeypatch.setattr(filter_choices, "clock", lambda: now[0])
    yield now


def added_by_another_server(db: Any, name: str) -> int:
    """A person inserted without this process's ORM, as another app server's request
    would: no flush here tells the kept menus about it."""
    connection = db.session.connection()
    connection.execute(text(
        "INSERT INTO users (email, name, password_hash, role, belt_level, active, created_at)"
        " VALUES (:email, :name, 'x', 'belt', 'none', :active, CURRENT_TIMESTAMP)"),
        {"email": f"{name.split()[0].lower()}@example.com", "name": name, "active": True})
    return int(connection.execute(text("SELECT id FROM users WHERE name = :name"),
                                  {"name": name}).scalar_one())


def test_a_person_added_here_is_offered_at_once(client: Any, login_as: Any, db: Any,
                                               clock: list[float]) -> None:
    login_as("viewer")
    assert "Dana Newcomer" not in filter_bar(client.get("/projects/").text)
    factories.user("belt", name="Dana Newcomer")
    db.session.commit()
    assert "Dana Newcomer" in filter_bar(client.get("/projects/").text)


def test_a_person_added_elsewhere_is_offered_once_the_menus_are_old(
        client: Any, login_as: Any, db: Any, clock: list[float]) -> None:
    login_as("viewer")
    client.get("/projects/")  # the menus are read and kept
    new_id = added_by_another_server(db, "Eli Elsewhere")

    clock[0] += filter_choices.KEEP_SECONDS - 1
    assert "Eli Elsewhere" not in filter_bar(client.get("/projects/").text)
    clock[0] += 1
    assert f'<option value="{new_id}">Eli Elsewhere</option>' in filter_bar(
        client.get("/projects/").text)


def test_filtering_by_a_person_not_yet_offered_still_works(
        client: Any, login_as: Any, db: Any, clock: list[float]) -> None:
    login_as("viewer")
    client.get("/projects/")
    new_id = added_by_another_server(db, "Fay Fresh")
    lead = db.session.get(User, new_id)
    factories.project(lead, title="Fay's changeover project")
    db.session.commit()
    response = client.get(f"/projects/?lead_id={new_id}")
    assert response.status_code == 200  # checked against the database, not the menu
    assert "Fay&#39;s changeover project" in rows(response.text)


def test_a_person_rolled_back_is_not_offered(client: Any, login_as: Any, db: Any,
                                             clock: list[float]) -> None:
    login_as("viewer")
    factories.user("belt", name="Gus Gone")
    db.session.flush()
    # Read within the transaction, so kept with the uncommitted person in it.
    assert "Gus Gone" in [name for _, name in filter_choices.people()]
    db.session.rollback()
    assert "Gus Gone" not in filter_bar(client.get("/projects/").text)
