"""The upload and the column mapping of a programme import."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, TextAreaField

from ..core.forms import options
from .cells import FIELDS, Field

NONE = ""


class UploadForm(FlaskForm):
    file = FileField("CSV or Excel file (.csv, .txt, .xlsx)")
    cells = TextAreaField("…or cells copied from Excel, with the header row")


class MappingForm(FlaskForm):
    """``map_<field>`` picks the column of each field; ``sheet`` the workbook's sheet."""

    sheet = SelectField("Sheet", choices=[], validate_choice=False)

    def offer(self, kind: str, headers: Sequence[str], sheets: Sequence[str]) -> MappingForm:
        for field in FIELDS[kind]:
            self[f"map_{field.name}"].choices = options(
                [(NONE, "— none —"), *((h, h) for h in headers)])
        self.sheet.choices = options((s, s) for s in sheets)
        self.fields_of_kind: tuple[Field, ...] = FIELDS[kind]
        return self

    def suggest(self, kind: str, mapping: dict[str, str]) -> None:
        for field in FIELDS[kind]:
            self[f"map_{field.name}"].data = mapping.get(field.name, NONE)

    def mapping(self, kind: str) -> dict[str, str]:
        return {f.name: self[f"map_{f.name}"].data for f in FIELDS[kind]
                if self[f"map_{f.name}"].data}


for _field in {f.name: f for fields in FIELDS.values() for f in fields}.values():
    setattr(MappingForm, f"map_{_field.name}",
            SelectField(_field.label, choices=[], validate_choice=False))
