"""A closed project's A3 is the one it had when the sustain gate closed it, with a link to
the live one; reopening shows the live one again, and closing again takes a new copy."""

from __future__ import annotations

from typing import Any

from ciapp.a3 import services
from ciapp.gates import services as gates
from ciapp.improve import services as improve
from ciapp.projects import services as projects
from ciapp.projects.phases import Phase
from tests import factories
from tests.a3 import worlds
from tests.a3.conftest import pdf_text

LATER = "Poka-yoke added after closing"


def close(project: Any) -> Any:
    """Bring the project to the sustain gate and have the council approve it."""
    council = factories.user("council")
    project.phase = Phase.SUSTAIN
    review = gates.request_review(project.lead, project, "Gain held for 20 points")
    gates.decide_review(council, review, "approve", "Well done",
                        "Closing with criteria the test does not fill in")
    return council


def test_approving_the_sustain_gate_freezes_the_a3(client: Any, db: Any,
                                                   viewer: Any) -> None:
    project = worlds.typical()
    close(project)
    db.session.commit()
    assert project.status == "closed"
    snapshot = services.snapshot_of(project)
    assert snapshot is not None and "Height gauge on every die" in snapshot.html

    improve.create_countermeasure(project.lead, project, LATER, [])
    db.session.commit()
    frozen = client.get(f"/projects/{project.key}/a3").get_data(as_text=True)
    live = client.get(f"/projects/{project.key}/a3?live=1").get_data(as_text=True)

    assert "This A3 is frozen as it was when" in frozen and LATER not in frozen
    assert f'href="/projects/{project.key}/a3?live=1"' in frozen
    assert "Height gauge on every die" in frozen
    assert LATER in live and "This is the live A3 of a closed project" in live
    assert f'href="/projects/{project.key}/a3.pdf?live=1"' in live


def test_the_pdf_of_a_closed_project_is_the_frozen_page(client: Any, db: Any,
                                                        viewer: Any) -> None:
    project = worlds.typical()
    close(project)
    improve.create_countermeasure(project.lead, project, LATER, [])
    db.session.commit()

    frozen = client.get(f"/projects/{project.key}/a3.pdf")
    live = client.get(f"/projects/{project.key}/a3.pdf?live=1")

    assert frozen.headers["Content-Disposition"].endswith(f'"{project.key}-A3-closed.pdf"')
    assert LATER not in pdf_text(frozen.data)
    assert "Height gauge on every die" in pdf_text(frozen.data)
    assert LATER in " ".join(pdf_text(live.data).split())


def test_reopening_shows_the_live_a3_and_closing_again_refreezes(client: Any, db: Any,
                                                                 viewer: Any) -> None:
    project = worlds.typical()
    council = close(project)
    projects.change_status(council, project, "reopen", "The gain slipped in week 3")
    improve.create_countermeasure(project.lead, project, LATER, [])
    db.session.commit()

    reopened = client.get(f"/projects/{project.key}/a3").get_data(as_text=True)
    assert LATER in reopened and "frozen" not in reopened

    close(project)
    db.session.commit()
    again = client.get(f"/projects/{project.key}/a3").get_data(as_text=True)
    assert "This A3 is frozen" in again and LATER in again


def test_a_sent_back_sustain_gate_freezes_nothing(db: Any) -> None:
    project = worlds.typical()
    project.phase = Phase.SUSTAIN
    review = gates.request_review(project.lead, project, "Ready?")
    gates.decide_review(factories.user("council"), review, "return", "Not yet: 12 points")

    assert services.snapshot_of(project) is None


def test_a_project_closed_before_snapshots_shows_its_live_a3(client: Any, db: Any,
                                                             viewer: Any) -> None:
    project = worlds.empty()
    project.status = "closed"
    db.session.commit()

    html = client.get(f"/projects/{project.key}/a3").get_data(as_text=True)

    assert "closed before A3s were kept at closing" in html
