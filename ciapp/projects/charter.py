"""The charter edited in place: the project's inline editor (see ``core.inline``)."""

from __future__ import annotations

from flask import url_for

from ..core.inline import Inline
from .forms import INLINE_FIELDS
from .models import Project


def editor(project: Project, can_edit: bool) -> Inline:
    return Inline(
        prefix="charter", endpoint="projects.charter_field", url_args={"key": project.key},
        fields=INLINE_FIELDS, version=project.version,
        version_class=f"version-project-{project.id}", can_edit=can_edit,
        back_url=url_for("projects.show", key=project.key),
        back_label=f"{project.key} {project.title}")
