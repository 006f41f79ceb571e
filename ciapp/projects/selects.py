"""A select of database rows for the list's filters, cheap to check and quick to draw."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from markupsafe import Markup, escape
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

from ..core.forms import IdSelectField


class RowSelect(Select):
    """WTForms' select, each option written by one f-string: the lead filter lists every
    person, and the stock option widget cost more than the list's fifty rows."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        options = "".join(
            f'<option {"selected " if field.coerce(value) == field.data else ""}'
            f'value="{escape(value)}">{escape(label)}</option>' for value, label in field.choices)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"
                      f"{options}</select>")


class RowSelectField(IdSelectField):
    """A filter's select of rows (people, org units) that loads them all only to draw them.

    A sent id is checked by looking up that one row, so requests that never draw the select
    (the API's list, the list's htmx updates) do not read every person and unit. ``rows(ids)``
    gives (id, label) pairs, all of them when ``ids`` is None. The blank option's value is
    "", not None: the form is a GET, and its address should read "lead_id=".
    """

    widget = RowSelect()

    def __init__(self, label: str | None = None, validators: Any = None, *,
                 rows: Callable[[Collection[int] | None], list[tuple[int, str]]],
                 blank: str = "Any", **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.rows, self.blank = rows, blank
        self._all: list[tuple[int | str, str]] | None = None

    @property
    def choices(self) -> list[tuple[int | str, str]]:
        if self._all is None:
            self._all = [("", self.blank), *self.rows(None)]
        return self._all

    @choices.setter
    def choices(self, value: list[tuple[int | str, str]]) -> None:
        self._all = value

    def pre_validate(self, form: Any) -> None:
        if self.process_errors or self.data is None or not self.validate_choice:
            return
        if not self.rows([self.data]):
            raise ValidationError(self.invalid_choice_message or self.gettext(
                "Not a valid choice."))
