"""The portfolio's pages: the board, the table, what needs attention, a project's health,
and the ideas. Each change runs one service, commits, and redirects; a refusal shows the
page again with the message, and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError
from ..core.forms import show_errors
from ..core.htmx import page_or_fragment
from ..core.validators import parse_whole, version_from
from ..core.versions import require_version
from ..extensions import db
from ..projects.models import Project
from . import access, health, ideas, pages
from .drawing import pick_png, pick_svg
from .forms import DecideForm, FilterForm, HealthForm, IdeaForm, ProjectForm, ScoreForm
from .models import IDEA_STATUSES, Idea

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")


def _explain(form: Any, exc: DomainError) -> None:
    """Put a service's refusal on the form; a form that refused itself shows its own."""
    if not form.errors:
        show_errors(form, exc)


def _version(form: Any) -> int:
    return require_version(version_from(form.version.data))


def _filters() -> FilterForm:
    form = FilterForm(request.args)
    form.validate()
    return form


def _status(form: FilterForm) -> int:
    # A refused filter shows the page without it, the field marked, and says so in the status.
    return 422 if form.errors else 200


@bp.get("/")
@guard(SIGNED_IN)
def board() -> Response:
    form = _filters()
    return page_or_fragment("portfolio/board.html", "portfolio/_board.html",
                            status=_status(form), **pages.board_context(form))


@bp.get("/table")
@guard(SIGNED_IN)
def table() -> Response:
    form = _filters()
    return page_or_fragment("portfolio/table.html", "portfolio/_table.html",
                            status=_status(form), **pages.table_context(form))


@bp.get("/attention")
@guard(SIGNED_IN)
def attention() -> Response:
    form = _filters()
    return page_or_fragment("portfolio/attention.html", "portfolio/_attention.html",
                            status=_status(form),
                            **pages.attention_context(acting_user(), form))


@bp.get("/projects/<key>/health")
@guard(access.VIEW_HEALTH)
def project_health(project: Project) -> str:
    return render_template("portfolio/health.html",
                           **pages.health_context(acting_user(), project))


@bp.post("/projects/<key>/health")
@guard(access.SET_HEALTH)
def set_health(project: Project) -> Response | tuple[str, int]:
    form, user = HealthForm(), acting_user()
    try:
        if not form.validate():
            raise DomainError("Health: choose one and give a reason.")
        health.set_health(user, project, form.health.data, form.reason.data,
                          seen=_seen(form.seen.data))
    except DomainError as exc:
        db.session.rollback()
        _explain(form, exc)
        form.seen.data = ""  # the page shows the newest report; judge against it
        return render_template("portfolio/health.html",
                               **pages.health_context(user, project, form)), exc.status
    db.session.commit()
    flash(f"Health of {project.key} reported.", "success")
    return redirect(url_for(".project_health", key=project.key))


def _seen(raw: str | None) -> int | None:
    """The newest report the lead saw (0: none), None when the form did not say."""
    if raw is None or not raw.strip():
        return None
    try:
        return parse_whole(raw, minimum=0)
    except ValueError as exc:
        raise DomainError(f"seen: {exc}", field="seen") from None


def _status_arg() -> str | None:
    status = request.args.get("status") or None
    return status if status in IDEA_STATUSES else None


@bp.get("/ideas")
@guard(SIGNED_IN)
def ideas_index() -> str:
    return render_template("portfolio/ideas.html",
                           **pages.ideas_context(acting_user(), _status_arg()))


@bp.post("/ideas")
@guard(SIGNED_IN)
def submit_idea() -> Response | tuple[str, int]:
    form, user = IdeaForm(), acting_user()
    try:
        if not form.validate():
            raise DomainError("The idea needs a title; see the fields marked.")
        idea = ideas.submit(user, form.values())
    except DomainError as exc:
        db.session.rollback()
        _explain(form, exc)
        return render_template("portfolio/ideas.html",
                               **pages.ideas_context(user, None, form)), 422
    db.session.commit()
    flash(f"Thank you: idea #{idea.id} is with the CI council.", "success")
    return redirect(url_for(".idea", idea_id=idea.id))


def _chart_ideas() -> list[Idea]:
    return [i for i in ideas.list_ideas("new") if i.scored]


@bp.get("/ideas/pick.svg")
@guard(SIGNED_IN)
def pick_chart_svg() -> Response:
    svg = pick_svg(_chart_ideas(), lambda i: url_for(".idea", idea_id=i.id))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Content-Disposition"] = 'inline; filename="pick-chart.svg"'
    return response


@bp.get("/ideas/pick.png")
@guard(SIGNED_IN)
def pick_chart_png() -> Response:
    response = make_response(pick_png(_chart_ideas()))
    response.mimetype = "image/png"
    response.headers["Content-Disposition"] = 'attachment; filename="pick-chart.png"'
    return response


@bp.get("/ideas/<int:idea_id>")
@guard(access.VIEW_IDEA)
def idea(idea: Idea) -> str:
    return render_template("portfolio/idea.html", **pages.idea_context(acting_user(), idea))


def _decide(idea: Idea, form: Any, name: str, change: Callable[[], Any],
            done: Callable[[Any], Response]) -> Response | tuple[str, int]:
    """Run a council decision on ``idea``; refused, the idea page again with the form as
    sent and the reason beside it."""
    try:
        if not form.validate():
            raise DomainError("See the fields marked.")
        result = change()
    except DomainError as exc:
        db.session.rollback()
        _explain(form, exc)
        return render_template("portfolio/idea.html", **pages.idea_context(
            acting_user(), idea, **{name: form, "problem": exc})), exc.status
    db.session.commit()
    return done(result)


def _back(idea: Idea, message: str) -> Callable[[Any], Response]:
    def done(_: Any) -> Response:
        flash(message, "success")
        return redirect(url_for(".idea", idea_id=idea.id))

    return done


@bp.post("/ideas/<int:idea_id>/score")
@guard(access.DECIDE_IDEA)
def score_idea(idea: Idea) -> Response | tuple[str, int]:
    form = ScoreForm()
    return _decide(idea, form, "score_form", lambda: ideas.score(
        acting_user(), idea, form.effort.data, form.impact.data,
        _version(form)), _back(idea, "Scores saved."))


@bp.post("/ideas/<int:idea_id>/project")
@guard(access.DECIDE_IDEA)
def idea_to_project(idea: Idea) -> Response | tuple[str, int]:
    form = ProjectForm()

    def done(project: Project) -> Response:
        flash(f"Created {project.key} from idea #{idea.id}: its charter holds the idea; "
              "the lead completes it.", "success")
        return redirect(url_for("projects.show", key=project.key))

    return _decide(idea, form, "project_form", lambda: ideas.to_project(
        acting_user(), idea, form.lead_id.data, form.methodology.data,
        _version(form)), done)


@bp.post("/ideas/<int:idea_id>/decide")
@guard(access.DECIDE_IDEA)
def decide_idea(idea: Idea) -> Response | tuple[str, int]:
    form = DecideForm()
    return _decide(idea, form, "decide_form", lambda: ideas.decide(
        acting_user(), idea, form.outcome.data, form.note.data,
        _version(form)), _back(idea, "Decision saved."))
