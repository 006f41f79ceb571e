"""Saving a charter PATCH, including the deliberate overwrite that ``If-Match: *`` asks for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..extensions import db
from ..projects import services as projects
from ..projects.models import Project
from . import inputs

# Overwrites racing each other on one project, where the database cannot lock the row
# (SQLite): each lost race costs one reload, and of n writers at once the last loses n - 1.
OVERWRITE_TRIES = 20


def patch_charter(user: User, project: Project, data: dict[str, Any],
                  version: int | None) -> None:
    """Validate ``data`` against the project as stored, save it and commit.

    ``version`` None means ``If-Match: *``. The version column still guards the UPDATE (the
    mapper's ``version_id_col``), so a save that lands between our read and our write raises
    StaleDataError even though the client asked to overwrite; then reload the project and
    apply the same change to what is there now (validated again: LSL < USL must hold against
    the new values), instead of answering 409 to a client that said it does not care.
    On PostgreSQL the row is locked first, so that seldom happens there.
    """
    for attempt in range(1, OVERWRITE_TRIES + 1):
        try:
            if version is None:
                # PostgreSQL: wait for the other writers and hold the row until we commit,
                # so the UPDATE's version check passes first time. SQLite ignores FOR UPDATE.
                db.session.execute(select(Project.id).where(Project.id == project.id)
                                   .with_for_update())
                db.session.refresh(project)
            changes = inputs.project_changes(project, data)
            projects.update_project(user, project, changes, expected_version=version)
            db.session.commit()
            return
        except StaleDataError:
            db.session.rollback()  # expires ``project``: the next attempt reads it afresh
            if version is not None or attempt == OVERWRITE_TRIES:
                raise
