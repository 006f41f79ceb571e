"""A benefit line edited in place, one field at a time (see ``core.inline``): its category,
description, calculation, quantity, unit, value per unit and first month.

A save builds the line's form as saved with the one field sent laid over it, so the service
(``services.update_line``) gets every value and a field not on screen is never blanked; it
answers with the row, and out of band the rest of the line (its figures, state, months and
buttons, whose hidden versions move on with it) and the project's totals. A projection
finance validated is locked: no field offers an editor, and a save is refused by the service
(409) until the team reopens it, after which it needs a new validation.
"""

from __future__ import annotations

from flask import request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..core import inline
from ..core.access import acting_user
from ..core.validators import version_from
from ..projects.models import Project
from . import permissions, services
from .display import month_rows, qty
from .forms import LineForm
from .models import STATES, BenefitLine

FIELDS = ("category", "description", "method", "quantity", "quantity_unit", "unit_value",
          "start_month")
# An estimated line's quantity and value per unit come from its comparison.
DERIVED_FIELDS = tuple(name for name in FIELDS if name not in ("quantity", "unit_value"))
OOB = ("benefits/_line_summary.html", "benefits/_summary_card.html")


def prefix(line: BenefitLine) -> str:
    """The inputs' names and ids, ``f-line-7-quantity``: unique on a page of many lines."""
    return f"f-line-{line.id}"


def locked(line: BenefitLine) -> bool:
    return line.projected_state == "approved"


def editor(project: Project, line: BenefitLine, can_edit: bool) -> inline.Inline:
    return inline.Inline(
        prefix=f"line-{line.id}", endpoint="benefits.line_field",
        url_args={"key": project.key, "line_id": line.id},
        fields=DERIVED_FIELDS if line.derived else FIELDS, version=line.version,
        version_class=f"version-line-{line.id}", can_edit=can_edit and not locked(line),
        back_url=url_for("benefits.index", key=project.key) + f"#line-{line.id}",
        back_label=f"Benefits · {project.key}")


def form(line: BenefitLine, sent: MultiDict[str, str] | None = None) -> LineForm:
    """The line's form as saved, with the fields in ``sent`` laid over it."""
    name = prefix(line)
    saved = {"category": line.category, "description": line.description,
             "method": line.method, "quantity": f"{line.quantity.normalize():f}",
             "quantity_unit": line.quantity_unit, "unit_value": str(line.unit_value),
             "start_month": f"{line.start_month:%Y-%m}"}
    data: MultiDict[str, str] = MultiDict({f"{name}-{k}": v for k, v in saved.items()})
    for key, values in (sent or MultiDict()).lists():
        data.setlist(key, values)
    return LineForm(formdata=data, prefix=name)


def _can_edit(project: Project) -> bool:
    return permissions.can_edit_benefits(acting_user(), project)


def show(project: Project, line: BenefitLine, field: str) -> Response:
    return inline.show(editor(project, line, _can_edit(project)), form(line), field)


def edit(project: Project, line: BenefitLine, field: str) -> Response:
    return inline.edit(editor(project, line, _can_edit(project)), form(line), field)


def save(project: Project, line: BenefitLine, field: str) -> Response:
    """The one field sent, validated with the rest as saved and stored by
    ``services.update_line``; a refusal is the form again with the message, nothing saved."""
    field = editor(project, line, True).check(field)
    name, user = prefix(line), acting_user()
    # The inputs' names carry the line's prefix, the CSRF field's too; the page sends the
    # token as every form does, under "csrf_token".
    sent: MultiDict[str, str] = MultiDict({f"{name}-csrf_token":
                                           request.form.get("csrf_token", "")})
    sent.setlist(f"{name}-{field}", request.form.getlist(f"{name}-{field}"))
    sent_form = form(line, sent)

    def reload() -> tuple[inline.Inline, LineForm]:
        return editor(project, line, True), form(line)

    def after() -> inline.Saved:
        return inline.Saved(OOB, {"project": project, "line": line,
                                  "s": services.summary_for_project(project),
                                  "can_edit": True,
                                  "can_validate": permissions.can_validate(user, project),
                                  **page_helpers()})

    return inline.save(
        editor(project, line, True), sent_form, field,
        version_from(request.form.get("version")),
        store=lambda version: services.update_line(user, line, sent_form.values(), version),
        reload=reload, after=after)


def page_helpers() -> dict[str, object]:
    """What the line's templates use besides the line (the page passes them too)."""
    return {"states": STATES, "month_rows": month_rows, "qty": qty,
            "this_month": services.this_month()}
