"""Reading the improve pages' form fields: dates, ids and versions, each refused with a
message naming the field rather than a 500; and the forms of the records edited in place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.errors import BadRequest
from ..core.fields import IsoDateField
from ..core.forms import IdSelectField, options
from ..core.records import ID_MAX
from ..core.validators import parse_date, parse_whole
from .models import ACTION_STATUSES, CM_STATUSES


def whole(value: str | None, field: str) -> int | None:
    """An id or version typed into a form; empty is None."""
    text = (value or "").strip()
    if not text:
        return None
    try:  # ASCII digits only: "²".isdigit() is true, and int("²") raises
        return parse_whole(text, minimum=1, maximum=ID_MAX)
    except ValueError:
        raise BadRequest(f"'{text}' is not a valid {field}.", field=field) from None


def ids(values: Iterable[str], field: str) -> list[int]:
    found = [whole(v, field) for v in values]
    return sorted({i for i in found if i is not None})


def a_date(value: str | None, field: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:  # YYYY-MM-DD only: Python 3.11's fromisoformat also takes 20260105 and 2026-W01-1
        return parse_date(text)
    except ValueError:
        raise BadRequest(f"'{text}' is not a date; write it as YYYY-MM-DD.",
                         field=field) from None


# --- The records of the improve page, edited one field at a time (see ``core.inline``) ---

TEXT_MAX = 2000
PLAIN_MAX = 200
LESSONS_MAX = 20_000


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class OwnerSelectField(IdSelectField):
    """One of the active people; an id that is none of them is named in the message."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and self.data not in {c[0] for c in self.choices}:
            raise ValidationError(f"User {self.data} is not an active user: choose the "
                                  "owner from the list.")


class CountermeasureForm(FlaskForm):
    title = StringField("Countermeasure", filters=[_strip], validators=[
        DataRequired("The countermeasure is required."), Length(max=TEXT_MAX)])
    description = TextAreaField("Description", filters=[_strip], validators=[
        Length(max=TEXT_MAX, message=f"The description is longer than {TEXT_MAX} "
                                     "characters.")], render_kw={"rows": 3})
    status = SelectField("Status", choices=options(CM_STATUSES.items()))
    root_cause_ids = SelectMultipleField(
        "Root causes it answers", coerce=int, widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput())
    version = HiddenField()


class ActionForm(FlaskForm):
    title = StringField("Action", filters=[_strip], validators=[
        DataRequired("The action is required."), Length(max=TEXT_MAX)])
    owner_id = OwnerSelectField("Owner", validators=[InputRequired("Choose who owns the action.")],
                          invalid_value_message="Choose the owner from the list.")
    due_date = IsoDateField("Due", validators=[
        InputRequired("The due date is required (YYYY-MM-DD).")])
    status = SelectField("Status", choices=options(ACTION_STATUSES.items()))
    version = HiddenField()


class ControlRowForm(FlaskForm):
    process_step = StringField("Process step", filters=[_strip], validators=[
        DataRequired("The process step is required."), Length(max=TEXT_MAX)])
    characteristic = StringField("Characteristic", filters=[_strip], validators=[
        DataRequired("The characteristic is required."), Length(max=TEXT_MAX)])
    specification = StringField("Specification", filters=[_strip],
                                validators=[Length(max=TEXT_MAX)])
    measurement = StringField("Measurement method", filters=[_strip],
                              validators=[Length(max=TEXT_MAX)])
    sample_size = StringField("Sample size", filters=[_strip],
                              validators=[Length(max=PLAIN_MAX)])
    frequency = StringField("Frequency", filters=[_strip], validators=[Length(max=PLAIN_MAX)])
    control_method = StringField("Control method", filters=[_strip],
                                 validators=[Length(max=TEXT_MAX)])
    dataset_id = IdSelectField("Data set")
    reaction_plan = TextAreaField("Reaction plan", filters=[_strip], validators=[
        DataRequired("The reaction plan is required."), Length(max=TEXT_MAX)])
    owner_id = OwnerSelectField("Owner")
    version = HiddenField()


class LessonsForm(FlaskForm):
    text = TextAreaField("Lessons learned", filters=[_strip], validators=[
        Length(max=LESSONS_MAX, message=f"The lessons learned are longer than "
               f"{LESSONS_MAX:,} characters.")], render_kw={"rows": 8})
    version = HiddenField()
