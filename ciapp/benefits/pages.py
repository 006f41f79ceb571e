"""What the benefit templates show: one context builder per page (the line's month table
and its in-place editors come from ``display`` and ``editing``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.errors import DomainError
from ..core.forms import show_errors
from ..core.inline import Inline
from ..projects.models import Project
from . import editing, permissions, services, validation
from .display import month_rows, qty
from .forms import CostForm, DeriveForm, LineForm
from .models import CATEGORIES, COST_KINDS, STATES, BenefitLine


def derive_form(project: Project, formdata: Any = None) -> DeriveForm:
    form = DeriveForm(formdata=formdata)
    form.record_id.choices = [("", "Choose…")] + [
        (str(r.id), r.title) for r in services.comparisons(project.id)]
    return form


def index_context(user: Any, project: Project, *, problem: DomainError | None = None,
                  forms: dict[str, Any] | None = None) -> dict[str, Any]:
    forms = forms or {}
    summary = services.summary_for_project(project)
    can_edit = permissions.can_edit_benefits(user, project)
    line_form = forms.get("line") or LineForm(formdata=None)
    if problem is not None:
        for form in forms.values():
            show_errors(form, problem)
    return {
        "project": project,
        "summary": summary,
        "can_edit": can_edit,
        "can_validate": permissions.can_validate(user, project),
        "line_form": line_form,
        "derive_form": forms.get("derive") or derive_form(project),
        "cost_form": forms.get("cost") or CostForm(formdata=None),
        "comparisons": services.comparisons(project.id),
        "month_rows": month_rows, "qty": qty,
        "categories": CATEGORIES, "cost_kinds": COST_KINDS, "states": STATES,
        "this_month": services.this_month(),
        # A refusal of a form shows on that form; of a button (submit, approve), on top.
        "problem": problem if not forms else None,
        "edit": editors(project, can_edit),
    }


def editors(project: Project, can_edit: bool
            ) -> Callable[[BenefitLine], tuple[Inline, LineForm]]:
    """For the template: a line's in-place editor and its form."""
    return lambda line: (editing.editor(project, line, can_edit), editing.form(line))


def queue_context(user: Any) -> dict[str, Any]:
    lines = validation.queue()
    return {"lines": lines, "states": STATES, "categories": CATEGORIES, "qty": qty,
            "can_validate": {line.id: permissions.can_validate(user, line.project)
                             for line in lines}}
