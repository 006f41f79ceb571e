from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..auth.models import Role
from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError
from ..core.forms import show_errors
from ..core.htmx import in_place, page_or_fragment
from ..core.topbar import Badge, add_badge
from ..extensions import db
from ..projects.access import VIEW
from ..projects.models import Project
from . import access, services, waiting
from .forms import DecisionForm, RequestReviewForm
from .models import GateReview
from .panel import panel_context

bp = Blueprint("gates", __name__, url_prefix="/gates")


@bp.record_once
def reviews_waiting_badge(state: BlueprintSetupState) -> None:
    """The top bar's count of reviews waiting for the council member who is signed in,
    counted with the other badges when the top bar is drawn (not for fragments)."""
    add_badge(state.app, Badge("reviews_waiting", waiting.COUNCIL_COUNT,
                               shows=lambda user: user.has_role(Role.COUNCIL)))


def _panel(project: Project, status: int = 200) -> Response:
    return page_or_fragment("gates/panel.html", "gates/_panel.html", status=status,
                            project=project, **panel_context(acting_user(), project))


def _refused(project: Project, exc: DomainError | None = None,
             **form: FlaskForm) -> Response:
    """The gate panel again, with the form as typed and its errors beside its fields."""
    if exc is not None:
        if exc.status not in (409, 422):
            raise exc
        db.session.rollback()
        show_errors(next(iter(form.values())), exc)
    return in_place("gates/panel.html", "gates/_panel.html", "#gate",
                    status=exc.status if exc is not None else 422, project=project,
                    **(panel_context(acting_user(), project) | form))


@bp.get("/waiting")
@guard(SIGNED_IN)
def reviews_waiting() -> str:
    return render_template("gates/waiting.html", reviews=waiting.waiting_for(acting_user()))


@bp.get("/<key>")
@guard(VIEW)
def panel(project: Project) -> Response:
    return _panel(project)


@bp.post("/<key>/request")
@guard(access.REQUEST_REVIEW)
def request_review(project: Project) -> Response:
    form = RequestReviewForm()
    if not form.validate():
        return _refused(project, request_form=form)
    try:
        services.request_review(acting_user(), project, form.note.data or "")
    except DomainError as exc:
        return _refused(project, exc, request_form=form)
    db.session.commit()
    flash("Gate review requested; the council has been notified.", "success")
    return redirect(url_for("projects.show", key=project.key, _anchor="gate"))


@bp.post("/<key>/checklist/<item>")
@guard(access.TICK)
def tick(project: Project, item: str) -> Response:
    services.set_tick(acting_user(), project, item, request.form.get("done") == "1")
    db.session.commit()
    return _panel(project)


@bp.post("/<key>/reviews/<int:review_id>/decide")
@guard(access.DECIDE)
def decide(project: Project, review: GateReview) -> Response:
    form = DecisionForm()
    if not form.validate():
        return _refused(project, decision_form=form)
    try:
        services.decide_review(acting_user(), review, form.decision.data,
                               form.comment.data or "", form.override_reason.data or "")
    except DomainError as exc:
        return _refused(project, exc, decision_form=form)
    db.session.commit()
    flash(f"Gate {'approved' if form.decision.data == 'approve' else 'sent back'}.", "success")
    return redirect(url_for("projects.show", key=project.key, _anchor="gate"))
