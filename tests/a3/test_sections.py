"""The boxes another area fills (the benefits): empty until that area registers, then its
fragment with its data; a project it has nothing for still says what is missing."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader

from ciapp.a3 import services
from ciapp.a3.sections import EXTENSION, SectionRegistry, sections_of
from tests.a3 import worlds


@pytest.fixture
def registry(app: Flask, monkeypatch: pytest.MonkeyPatch) -> SectionRegistry:
    """A registry of this test's own, and a fragment template only it knows."""
    fresh = SectionRegistry()
    monkeypatch.setitem(app.extensions, EXTENSION, fresh)
    loader = ChoiceLoader([DictLoader({"test/_a3_benefits.html":
                                       "<p class='test-benefit'>Saved {{ data.amount }} "
                                       "a year: {{ data.note }}</p>"}),
                           app.jinja_env.loader])  # type: ignore[list-item]
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    return fresh


def test_a_registered_area_fills_its_box(client: Any, db: Any, viewer: Any,
                                         registry: SectionRegistry) -> None:
    project = worlds.empty()
    other = worlds.empty()
    db.session.commit()
    registry.add("benefits", "test/_a3_benefits.html",
                 lambda p: {"amount": "EUR 48,000", "note": "<b>validated</b>"}
                 if p.id == project.id else None)

    filled = client.get(f"/projects/{project.key}/a3").get_data(as_text=True)
    empty = client.get(f"/projects/{other.key}/a3").get_data(as_text=True)

    assert "Saved EUR 48,000 a year: &lt;b&gt;validated&lt;/b&gt;" in filled
    assert "No benefits recorded yet." not in filled
    assert "No benefits recorded yet." in empty and "test-benefit" not in empty


def test_a_box_the_a3_does_not_have_is_refused(registry: SectionRegistry) -> None:
    with pytest.raises(ValueError, match="no box 'savings'"):
        registry.add("savings", "x.html", lambda p: None)


def test_a_box_registered_twice_is_a_mistake(registry: SectionRegistry) -> None:
    registry.add("benefits", "x.html", lambda p: None)
    with pytest.raises(ValueError, match="registered twice"):
        registry.add("benefits", "x.html", lambda p: None)


def test_the_app_has_one_registry(app: Flask) -> None:
    assert sections_of(app) is sections_of(app)


def test_a_sheet_can_be_drawn_outside_a_request(db: Any) -> None:
    """A CLI that closes a project (the demo data) freezes its A3 with no request."""
    project = worlds.typical()

    snapshot = services.freeze(project)

    assert project.title in snapshot.html and "<svg" in snapshot.html
