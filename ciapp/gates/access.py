"""Policies of the gate views: on a project from the URL, and on one of its reviews or
checklist items, loaded within that project (see ``projects.access.on_child``)."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..core.access import Policy
from ..core.records import get_or_404
from ..projects.access import child_loader, on_child, on_project
from ..projects.models import Project
from . import permissions, services
from .models import GateReview


def _not_own_request(user: User, review: GateReview) -> bool:
    return review.requested_by_id != user.id


def _checklist_item(project: Project, item: Any) -> str:
    return services.checklist_item(project, item)


REQUEST_REVIEW = on_project("request review", permissions.can_request_review)
TICK = on_child("tick checklist", _checklist_item, "item", "item",
                permissions.can_tick_checklist)
DECIDE = on_child("decide gate review", child_loader(GateReview, what="Gate review"),
                  "review_id", "review", permissions.can_decide_review, _not_own_request)


def _review_by_id(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    review = get_or_404(GateReview, kwargs.pop("review_id"), "Gate review")
    return {**kwargs, "review": review}


def _decide_by_id(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    allowed = _review_by_id(user, kwargs)
    return allowed if permissions.may_decide(user, allowed["review"]) else None


# For URLs that name a review without its project (the API's /reviews/<id>): every signed-in
# user reads every project, so any review may be read; deciding checks the review's project.
VIEW_REVIEW = Policy("gate review: view", _review_by_id)
DECIDE_BY_ID = Policy("gate review: decide", _decide_by_id)
