"""Forms of the data set pages: the three ways in (file, pasted cells, grid), the preview's
choices, a data set's details edited in place, and one point's cells.

Cells themselves are not validated here: they go through ``building`` like every imported
row, so a typed point, a pasted column and an API row are refused with the same words.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.fields import WholeNumberField, within
from ..core.forms import options
from . import building, imports
from .models import Dataset

KIND_LABELS = {
    "continuous": "Continuous measurements",
    "defectives": "Defectives with sample sizes (p / np)",
    "defects": "Defects with units inspected (c / u)",
    "categories": "Counts by category (Pareto)",
    "gage": "Gage R&R study (part, operator, measurement)",
}
NONE = ""
GRID_HEADERS = ("value", "subgroup", "stage", "time", "note")
GRID_ROWS = 15
GRID_MAX_ROWS = 500
GRID_MAX_COLUMNS = 9
TEXT_MAX = 200


class FileForm(FlaskForm):
    file = FileField("CSV or Excel file (.csv, .txt, .xlsx)")


class PasteForm(FlaskForm):
    cells = TextAreaField("Cells copied from Excel, with the header row")


class PreviewForm(FlaskForm):
    """The choices on the preview. ``map_<role>`` picks the column that plays each role."""

    name = StringField("Name", validators=[Optional(), Length(max=120)])
    kind = SelectField("Kind of data", choices=options(KIND_LABELS.items()),
                       default="continuous")
    metric = StringField("Metric", validators=[Length(max=120)])
    unit = StringField("Unit", validators=[Length(max=40)])
    subgroup_size = WholeNumberField("Subgroup size", validators=[Optional(),
                                                                  within(1, 1000, whole=True)])
    sheet = SelectField("Sheet", choices=[], validate_choice=False)
    current = HiddenField()

    def offer(self, headers: Sequence[str], sheets: Sequence[str], kind: str) -> PreviewForm:
        """Columns of the file as the choices of every role the kind uses."""
        for role in building.ROLES:
            self[f"map_{role}"].choices = options(
                [(NONE, "— none —"), *((h, h) for h in headers)])
        self.sheet.choices = options((s, s) for s in sheets)
        self.kind_roles = [r for r in building.ROLES if r in building.ALLOWED[kind]]
        return self

    def suggest(self, mapping: Mapping[str, str], name: str) -> PreviewForm:
        for role in building.ROLES:
            self[f"map_{role}"].data = mapping.get(role, NONE)
        if not self.name.data:
            self.name.data = name
        return self

    def choices(self, *, kind: str | None = None) -> imports.Choices:
        kind = kind or self.kind.data or "continuous"
        mapping = {role: self[f"map_{role}"].data for role in building.ALLOWED[kind]
                   if self[f"map_{role}"].data}
        return imports.Choices(
            kind=kind, mapping=mapping, sheet=self.sheet.data or None,
            name=(self.name.data or "").strip(), metric=self.metric.data or "",
            unit=self.unit.data or "", subgroup_size=self.subgroup_size.data)


for _role in building.ROLES:  # WTForms' FormMeta takes fields set on the class
    setattr(PreviewForm, f"map_{_role}", SelectField(
        building.ROLE_LABELS[_role].capitalize(), choices=[], validate_choice=False))


def default_name(filename: str) -> str:
    return os.path.splitext(os.path.basename(filename or ""))[0][:120]


def grid_from(form: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The grid's header cells and rows as typed (``h-<c>`` and ``g-<r>-<c>`` inputs)."""
    columns = min(_count(form, "grid_columns", len(GRID_HEADERS)), GRID_MAX_COLUMNS)
    rows = min(_count(form, "grid_rows", GRID_ROWS), GRID_MAX_ROWS)
    headers = [str(form.get(f"h-{c}", "")) for c in range(columns)]
    cells = [[str(form.get(f"g-{r}-{c}", "")) for c in range(columns)] for r in range(rows)]
    return headers, cells


def _count(form: Mapping[str, Any], name: str, default: int) -> int:
    text = str(form.get(name, "") or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10_000 \
        else default


class DetailsForm(FlaskForm):
    """A data set's details, edited one at a time in place (see ``core.inline``)."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    metric = StringField("Metric", validators=[Length(max=120)])
    unit = StringField("Unit", validators=[Length(max=40)])
    source = StringField("Source", validators=[Length(max=TEXT_MAX)])
    primary_metric = SelectField(
        "On the primary metric", coerce=lambda v: v in (True, "True", "1", "yes"),
        choices=options([(True, "Yes: it measures the project's primary metric"),
                         (False, "No")]))
    version = HiddenField()

    def values(self, fields: Sequence[str]) -> dict[str, Any]:
        return {name: self[name].data for name in fields}


INLINE_FIELDS = ("name", "metric", "unit", "source", "primary_metric")


def details_form(dataset: Dataset, changes: Mapping[str, str] | None = None) -> DetailsForm:
    data = {name: str(getattr(dataset, name) or "") for name in INLINE_FIELDS}
    data["version"] = str(dataset.version)
    data.update(changes or {})
    return DetailsForm(formdata=MultiDict(data))


class PointForm(FlaskForm):
    """One point's cells, as text; ``building`` checks them as it checks an import."""

    current = HiddenField()


for _role in building.ROLES:
    setattr(PointForm, _role, StringField(building.ROLE_LABELS[_role].capitalize(),
                                          validators=[Length(max=TEXT_MAX)]))


class ExcludeForm(FlaskForm):
    reason = StringField("Reason", validators=[Length(max=TEXT_MAX)])
    current = HiddenField()
