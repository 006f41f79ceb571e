"""Policies for views that act on one project, loaded from the ``key`` in the URL, and on
one child of a project (a team member, a gate review, a data set, an action...), loaded by
id and checked against that project.

A child view's URL always names its project (``/projects/<key>/team/<member_id>``): the
policy loads the project, then the child *within* it, so a member of project A who changes
the id to a child of project B gets 404, exactly as for an id that does not exist, before
any rule about A is even asked. Then the rule decides on the project (and the child).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..auth.models import User
from ..core.access import Policy
from ..core.records import child_or_404
from . import permissions, services
from .models import Project, TeamMember

T = TypeVar("T")
ProjectRule = Callable[[User, Project], bool]


def on_project(name: str, rule: ProjectRule) -> Policy:
    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        project = services.get_project(kwargs.pop("key"))
        return {**kwargs, "project": project} if rule(user, project) else None

    return Policy(f"project: {name}", check)


def on_child(name: str, load: Callable[[Project, Any], T], id_arg: str, as_name: str,
             rule: ProjectRule, child_rule: Callable[[User, T], bool] | None = None,
             ) -> Policy:
    """A policy for ``/<key>/.../<id_arg>`` views: the view gets ``project`` and the child
    as ``as_name``.

    The rule about the project is asked first (403 names no child), then ``load(project,
    id)`` finds the child within the project or raises NotFound, as for a missing id, then
    ``child_rule`` decides on the child itself where the project alone does not tell.
    """

    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        project = services.get_project(kwargs.pop("key"))
        if not rule(user, project):
            return None
        child = load(project, kwargs.pop(id_arg))
        if child_rule is not None and not child_rule(user, child):
            return None
        return {**kwargs, "project": project, as_name: child}

    return Policy(f"project child ({as_name}): {name}", check)


def child_loader(model: type[T], *, what: str | None = None) -> Callable[[Project, Any], T]:
    """``load`` for ``on_child``: a row of ``model`` whose ``project_id`` is the project's."""

    def load(project: Project, ident: Any) -> T:
        return child_or_404(model, ident, project.id, what=what, within=f" in {project.key}")

    return load


VIEW = on_project("view", permissions.can_view_project)
EDIT = on_project("edit", permissions.can_edit_project)
STATUS = on_project("status", permissions.can_change_status)
SET_SPONSOR = on_project("set sponsor", lambda user, project: permissions.can_set_sponsor(user))
EDIT_MEMBER = on_child("edit team", child_loader(TeamMember, what="Team member"), "member_id",
                       "member", permissions.can_edit_project)
