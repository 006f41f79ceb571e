"""get_or_404 and child_or_404: one way to load a row, and a child within its parent."""

from __future__ import annotations

from typing import Any

import pytest

from ciapp.core.errors import NotFound
from ciapp.core.records import child_or_404, get_or_404, label_of
from ciapp.projects.models import Project, TeamMember
from tests import factories


def test_get_or_404_names_what_is_missing(db: Any) -> None:
    project = factories.project()
    assert get_or_404(Project, project.id) is project
    with pytest.raises(NotFound, match="^Project 999999 was not found.$"):
        get_or_404(Project, 999999)
    with pytest.raises(NotFound, match="^Data set 7 was not found.$"):
        get_or_404(Project, 7, "Data set")


@pytest.mark.parametrize("ident", [0, -1, 2**63, 10**30, True, "3", None, 1.0])
def test_ids_no_column_holds_are_simply_not_found(db: Any, ident: Any) -> None:
    with pytest.raises(NotFound):
        get_or_404(Project, ident)


def test_a_child_of_another_parent_is_not_found(db: Any) -> None:
    a = factories.project(complete=True)
    b = factories.project(complete=True)
    mine, theirs = a.team[0], b.team[0]
    assert child_or_404(TeamMember, mine.id, a.id) is mine
    with pytest.raises(NotFound, match=f"^Team member {theirs.id} was not found in A.$"):
        child_or_404(TeamMember, theirs.id, a.id, within=" in A")


def test_labels_are_read_from_the_class_name() -> None:
    assert label_of(TeamMember) == "Team member"
    assert label_of(Project) == "Project"
