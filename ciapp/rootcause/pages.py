"""What the root-cause pages show, gathered for the templates (no commit)."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..charts.summary import pareto_figure
from ..charts.svg import to_svg
from ..core.errors import DomainError
from ..core.validators import parse_whole, version_from
from ..core.versions import require_version
from ..projects import permissions
from ..projects.models import Project
from ..stats.pareto import pareto
from . import drawing, fishbone, services
from .models import CAUSE_STATUSES, WhyChain


def whole_or_none(value: Any, field: str) -> int | None:
    """A form's id field: "" is None; anything but a whole number is refused, naming it."""
    if value in (None, "", "None"):
        return None
    try:
        return parse_whole(str(value), minimum=1)
    except ValueError as exc:
        raise DomainError(f"{field}: {exc}", field=field) from exc


def version_sent() -> int:
    """The version a page's form was made on; an edit without one is refused (428)."""
    from flask import request

    return require_version(version_from(request.form.get("version")))


def can_edit(user: User | None, project: Project) -> bool:
    return permissions.can_edit_project(user, project)


def pareto_svg(project_id: int) -> str | None:
    """The Pareto of causes by the team's votes, or None while no cause has a vote."""
    labels, counts = fishbone.cause_counts(project_id)
    if not labels:
        return None
    return to_svg(pareto_figure(pareto(labels, counts), title="Causes by votes"))


def index_context(user: User | None, project: Project, **extra: Any) -> dict[str, Any]:
    return {"project": project, "chains": services.project_chains(project.id),
            "bone": fishbone.find(project.id),
            "roots": services.project_root_causes(project.id),
            "pareto_svg": pareto_svg(project.id), "can_edit": can_edit(user, project),
            **extra}


def chain_context(user: User | None, project: Project, chain: WhyChain,
                  **extra: Any) -> dict[str, Any]:
    return {"project": project, "chain": chain, "nodes": services.tree(chain),
            "records": services.project_records(project.id),
            "can_edit": can_edit(user, project), **extra}


def fishbone_context(user: User | None, project: Project, **extra: Any) -> dict[str, Any]:
    bone = fishbone.find(project.id)
    return {"project": project, "bone": bone,
            "layout": fishbone.layout(bone) if bone else [],
            "svg": to_svg(drawing.figure_of(bone)),
            "statuses": CAUSE_STATUSES, "records": services.project_records(project.id),
            "can_edit": can_edit(user, project), **extra}
