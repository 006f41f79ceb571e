"""Who may read and change a project's data sets, as policies for ``guard``.

Under a project's URL (``/projects/<key>/datasets/<dataset_id>``) a data set is a child of
the project: one of another project is 404 (``projects.access.on_child``). The API also
names data sets by id alone (``/api/v1/datasets/<dataset_id>``); those policies load the
data set, then decide on its project with the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..auth.models import User
from ..core.access import Policy
from ..core.records import get_or_404
from ..extensions import db
from ..projects import permissions
from ..projects.access import child_loader, on_child, on_project
from ..projects.models import Project
from .models import Dataset, ImportDraft

Rule = Callable[[User, Project], bool]


def _own_draft(user: User, draft: ImportDraft) -> bool:
    """An upload is seen only by whoever sent it: it may hold data not meant to be saved."""
    return draft.created_by_id == user.id


LOAD_DATASET = child_loader(Dataset, what="Data set")

VIEW = on_project("view data sets", permissions.can_view_project)
EDIT = on_project("add data sets", permissions.can_edit_project)
VIEW_DATASET = on_child("view data set", LOAD_DATASET, "dataset_id", "dataset",
                        permissions.can_view_project)
EDIT_DATASET = on_child("change data set", LOAD_DATASET, "dataset_id", "dataset",
                        permissions.can_edit_project)
DRAFT = on_child("confirm an import", child_loader(ImportDraft, what="Import"), "draft_id",
                 "draft", permissions.can_edit_project, _own_draft)


def by_id(name: str, rule: Rule) -> Policy:
    """For URLs that name a data set without its project: the view gets ``dataset``."""

    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        dataset = get_or_404(Dataset, kwargs.pop("dataset_id"), "Data set")
        project = db.session.get(Project, dataset.project_id)
        return {**kwargs, "dataset": dataset} if project and rule(user, project) else None

    return Policy(f"data set: {name}", check)


VIEW_BY_ID = by_id("view", permissions.can_view_project)
EDIT_BY_ID = by_id("change", permissions.can_edit_project)
