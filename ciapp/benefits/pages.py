"""What the benefit templates show: one context builder per page, and the month table of
a line (the projection spread over its months beside what was realized)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.errors import DomainError
from ..core.forms import show_errors
from ..projects.models import Project
from . import calc, permissions, services, validation
from .forms import CostForm, DeriveForm, LineForm
from .models import CATEGORIES, COST_KINDS, STATES, BenefitLine


@dataclass(frozen=True)
class MonthRow:
    month: date
    projected: Decimal | None
    realized: Decimal | None
    state: str | None
    comment: str


def month_rows(line: BenefitLine) -> list[MonthRow]:
    """The twelve projected months and every realized month, in calendar order."""
    projected = dict(calc.spread(line.projected, line.start_month))
    realized = {m.month: m for m in line.months}
    return [MonthRow(month, projected.get(month),
                     realized[month].amount if month in realized else None,
                     realized[month].state if month in realized else None,
                     realized[month].comment if month in realized else "")
            for month in sorted(set(projected) | set(realized))]


def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 1200.0000 -> 1,200; 37.5000 -> 37.5."""
    if value is None:
        return ""
    text = f"{value.normalize():,f}"
    return text


def derive_form(project: Project, formdata: Any = None) -> DeriveForm:
    form = DeriveForm(formdata=formdata)
    form.record_id.choices = [("", "Choose…")] + [
        (str(r.id), r.title) for r in services.comparisons(project.id)]
    return form


def index_context(user: Any, project: Project, *, problem: DomainError | None = None,
                  forms: dict[str, Any] | None = None) -> dict[str, Any]:
    forms = forms or {}
    summary = services.summary_for_project(project)
    line_form = forms.get("line") or LineForm(formdata=None)
    if problem is not None:
        for form in forms.values():
            show_errors(form, problem)
    return {
        "project": project,
        "summary": summary,
        "can_edit": permissions.can_edit_benefits(user, project),
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
        "edit_forms": {line.id: _edit_form(line) for line in summary.lines},
    }


def _edit_form(line: BenefitLine) -> LineForm:
    form = LineForm(formdata=None, obj=line)
    form.version.data = str(line.version)
    return form


def queue_context(user: Any) -> dict[str, Any]:
    lines = validation.queue()
    return {"lines": lines, "states": STATES, "categories": CATEGORIES, "qty": qty,
            "can_validate": {line.id: permissions.can_validate(user, line.project)
                             for line in lines}}
