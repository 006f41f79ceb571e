"""What the import pages show, gathered so the routes stay thin: the upload read as columns,
the mapping chosen or suggested, and the dry run of that mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core.errors import DomainError
from ..datasets import building, imports
from ..datasets.models import ImportDraft
from ..datasets.problems import ImportProblem
from ..datasets.reading import RawTable
from . import ledger, services
from .cells import KINDS, letter
from .forms import MappingForm
from .projectsheet import Plan


@dataclass
class View:
    """An upload as read with its mapping, and what importing it would do."""

    kind: str
    raw: RawTable | None = None
    preview: building.Preview | None = None
    plan: Plan | None = None
    problem: ImportProblem | None = None
    sheets: tuple[str, ...] = ()
    months: list[tuple[str, date]] = field(default_factory=list)

    @property
    def letters(self) -> dict[str, str]:
        return {h: letter(i) for i, h in enumerate(self.raw.headers)} if self.raw else {}

    @property
    def ready(self) -> bool:
        return bool(self.plan and self.plan.created and not self.plan.refused)


def read(kind: str, draft: ImportDraft, form: MappingForm, *, suggest: bool) -> View:
    """Read the draft (the chosen sheet), suggest or take the mapping, and dry-run it."""
    view = View(kind)
    try:
        view.raw = services.read(draft, form.sheet.data or None)
    except ImportProblem as problem:
        view.problem = problem
        view.sheets = imports.sheet_names(imports.payload(draft))
        form.offer(kind, [], view.sheets)
        return view
    view.preview = building.preview(view.raw)
    view.sheets = view.raw.sheets
    form.offer(kind, view.raw.headers, view.sheets)
    # Another sheet has other headers: a mapping chosen on the last one would name columns
    # this one lacks, so its columns are suggested afresh.
    if suggest or not set(form.mapping(kind).values()) <= set(view.raw.headers):
        form.suggest(kind, services.suggest(kind, view.raw))
    mapping = form.mapping(kind)
    view.plan = services.plan(kind, view.raw, mapping)
    if kind == "benefits" and not ledger.is_long(mapping):
        view.months = ledger.month_columns(view.raw, mapping)
    return view


def refused(view: View, problem: ImportProblem | DomainError) -> None:
    """A confirm refused after all (someone added a project of the same title since the
    dry run, say): show why."""
    view.problem = problem if isinstance(problem, ImportProblem) else ImportProblem(
        problem.message)


def context(kind: str, draft: ImportDraft, form: MappingForm, view: View) -> dict[str, Any]:
    return {"kind": kind, "kind_label": KINDS[kind], "draft": draft, "form": form,
            "view": view, "source": services.source_name(draft, view.raw.sheet
                                                          if view.raw else None)}
