"""Saving a charter PATCH, including the deliberate overwrite that ``If-Match: *`` asks for."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..extensions import db
from ..projects import services as projects
from ..projects.models import Project
from . import inputs

# Overwrites racing each other on one project; each lost race costs one reload.
OVERWRITE_TRIES = 5


def patch_charter(user: User, project: Project, data: dict[str, Any],
                  version: int | None) -> None:
    """Validate ``data`` against the project as stored, save it and commit.

    ``version`` None means ``If-Match: *``. The version column still guards the UPDATE (the
    mapper's ``version_id_col``), so a save that lands between our read and our write raises
    StaleDataError even though the client asked to overwrite; then reload the project and
    apply the same change to what is there now (validated again: LSL < USL must hold against
    the new values), instead of answering 409 to a client that said it does not care.
    """
    for attempt in range(1, OVERWRITE_TRIES + 1):
        try:
            changes = inputs.project_changes(project, data)
            projects.update_project(user, project, changes, expected_version=version)
            db.session.commit()
            return
        except StaleDataError:
            db.session.rollback()  # expires ``project``: the next attempt reads it afresh
            if version is not None or attempt == OVERWRITE_TRIES:
                raise
