from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from ..auth import permissions
from ..auth.models import User
from ..core.access import Policy, acting_user, guard
from ..core.forms import form_error
from ..core.htmx import page_or_fragment
from ..extensions import db
from ..projects import access
from ..projects.models import Project
from . import services
from .forms import DecisionForm, RequestReviewForm

bp = Blueprint("gates", __name__, url_prefix="/gates")


def _decide_check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    review = services.get_review(kwargs.pop("review_id"))
    return {**kwargs, "review": review} if permissions.may_decide(user, review) else None


DECIDE = Policy("decide gate review", _decide_check)


def panel_context(user: User, project: Project) -> dict[str, Any]:
    """What the gate panel shows; the project page renders the same panel."""
    return {
        "gate": services.gate_status(project), "request_form": RequestReviewForm(),
        "decision_form": DecisionForm(),
        "can_request": permissions.can_request_review(user, project),
        "can_decide": permissions.can_decide_review(user, project),
        "can_tick": permissions.can_tick_checklist(user, project),
    }


def _panel(project: Project, status: int = 200) -> Response:
    return page_or_fragment("gates/panel.html", "gates/_panel.html", status=status,
                            project=project, **panel_context(acting_user(), project))


@bp.get("/<key>")
@guard(access.VIEW)
def panel(project: Project) -> Response:
    return _panel(project)


@bp.post("/<key>/request")
@guard(access.REQUEST_REVIEW)
def request_review(project: Project) -> Response:
    form = RequestReviewForm()
    if not form.validate():
        raise form_error(form)
    services.request_review(acting_user(), project, form.note.data or "")
    db.session.commit()
    flash("Gate review requested; the council has been notified.", "success")
    return redirect(url_for("projects.show", key=project.key, _anchor="gate"))


@bp.post("/<key>/checklist/<item>")
@guard(access.TICK)
def tick(project: Project, item: str) -> Response:
    services.set_tick(acting_user(), project, item, request.form.get("done") == "1")
    db.session.commit()
    return _panel(project)


@bp.post("/reviews/<int:review_id>/decide")
@guard(DECIDE)
def decide(review: Any) -> Response:
    form = DecisionForm()
    if not form.validate():
        raise form_error(form)
    services.decide_review(acting_user(), review, form.decision.data, form.comment.data or "",
                           form.override_reason.data or "")
    db.session.commit()
    flash(f"Gate {'approved' if form.decision.data == 'approve' else 'sent back'}.", "success")
    return redirect(url_for("projects.show", key=review.project.key, _anchor="gate"))
