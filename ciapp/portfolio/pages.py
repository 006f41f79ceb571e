"""What the portfolio's pages show: one context builder per page, so routes stay thin."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from ..auth.models import User
from ..projects.models import Project
from . import attention, board, health, ideas, table
from .drawing import pick_svg
from .forms import (
    DecideForm,
    FilterForm,
    HealthForm,
    IdeaForm,
    ProjectForm,
    ScoreForm,
)
from .models import HEALTH_LABELS, Idea


def clock(form: FilterForm | None = None) -> board.Clock:
    """Now, and the stalled threshold: the page's ``days`` when given, else the setting."""
    days = form.days.data if form is not None and not form.days.errors else None
    return board.clock_for(days or int(current_app.config["PORTFOLIO_STALLED_DAYS"]))


def board_context(form: FilterForm) -> dict[str, Any]:
    return {"form": form, "columns": board.board(form.filters(), clock(form)),
            "HEALTH_LABELS": HEALTH_LABELS}


def table_context(form: FilterForm) -> dict[str, Any]:
    sort, direction = form.sort_order()
    page = None if form.page.errors else form.page.data
    result = table.table(form.filters(), clock(form), sort=sort, direction=direction,
                         page=page or 1)
    return {"form": form, "table": result, "sort": sort, "direction": direction,
            "SORTS": table.SORTS, "HEALTH_LABELS": HEALTH_LABELS}


def attention_context(user: User, form: FilterForm) -> dict[str, Any]:
    return {"form": form, "attention": attention.attention(user, form.filters(), clock(form)),
            "HEALTH_LABELS": HEALTH_LABELS}


def health_context(user: User, project: Project, form: HealthForm | None = None
                   ) -> dict[str, Any]:
    form = form or HealthForm(formdata=None)
    if not form.seen.data:
        form.seen.data = str(health.latest_id(project.id))
    return {"project": project, "row": board.project_row(project.id, clock()),
            "history": health.history(project.id), "form": form,
            "can_set": health.can_set_health(user, project), "HEALTH_LABELS": HEALTH_LABELS}


def _idea_link(idea: Idea) -> str:
    return url_for("portfolio.idea", idea_id=idea.id)


def ideas_context(user: User, status: str | None, form: IdeaForm | None = None
                  ) -> dict[str, Any]:
    listed = ideas.list_ideas(status)
    screening = [i for i in listed if i.status == "new"]
    return {"ideas": listed, "status": status, "form": form or IdeaForm(formdata=None),
            "chart": pick_svg(screening, _idea_link), "pick": ideas.pick,
            "PICK_LABELS": ideas.PICK_LABELS, "STATUSES": ideas.IDEA_STATUSES,
            "can_decide": ideas.can_decide_ideas(user)}


def idea_context(user: User, idea: Idea, **forms: Any) -> dict[str, Any]:
    version = str(idea.version)
    score = forms.get("score_form") or ScoreForm(formdata=None, effort=idea.effort,
                                                 impact=idea.impact)
    project = forms.get("project_form") or ProjectForm(formdata=None)
    decide = forms.get("decide_form") or DecideForm(formdata=None)
    for form in (score, project, decide):
        form.version.data = version
    if project.lead_id.data is None:
        project.lead_id.data = idea.submitted_by_id
    return {"idea": idea, "quadrant": ideas.pick(idea.effort, idea.impact),
            "PICK_LABELS": ideas.PICK_LABELS, "PICK_MEANING": ideas.PICK_MEANING,
            "can_decide": ideas.can_decide_ideas(user), "score_form": score,
            "project_form": project, "decide_form": decide,
            "problem": forms.get("problem")}
