"""The gate panel's context: the gate page and the project page show the same panel."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..projects.models import Project
from . import permissions, services
from .forms import DecisionForm, RequestReviewForm


def panel_context(user: User, project: Project) -> dict[str, Any]:
    return {
        "gate": services.gate_status(project), "request_form": RequestReviewForm(),
        "decision_form": DecisionForm(),
        "can_request": permissions.can_request_review(user, project),
        "can_decide": permissions.can_decide_review(user, project),
        "can_tick": permissions.can_tick_checklist(user, project),
    }
