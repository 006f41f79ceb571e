"""JSON shapes read off WTForms fields, and the JSON type checks made with them."""

from __future__ import annotations

import pytest

from ciapp.api.fields import FieldSpec, specs_of
from ciapp.projects.forms import CharterForm


@pytest.fixture(scope="module")
def charter() -> dict[str, FieldSpec]:
    return specs_of(CharterForm, ("title", "sponsor_id", "lsl", "alpha", "start_date"))


def test_shapes_follow_the_validators(charter) -> None:
    assert charter["title"].required and charter["title"].max_length == 200
    assert charter["sponsor_id"].types == ("integer", "null")
    assert charter["lsl"].types == ("number", "null")
    # Alpha is needed but has a default, so it may be left out and never cleared.
    assert charter["alpha"].types == ("number",) and not charter["alpha"].required
    assert charter["start_date"].schema()["format"] == "date"


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("lsl", 3, None),
    ("lsl", 2.5, None),
    ("lsl", None, None),
    ("lsl", True, "Must be a number or null."),
    ("lsl", float("inf"), "That number is too large; enter a smaller one."),
    ("lsl", 10**400, "That number is too large; enter a smaller one."),
    ("sponsor_id", 3.0, "Must be an integer or null."),
    ("title", "\ud800", "Must be valid Unicode text."),
    ("title", {"text": "x"}, "Must be a string."),
])
def test_type_problems(charter, name, value, problem) -> None:
    assert charter[name].problems(value) == ([problem] if problem else [])
