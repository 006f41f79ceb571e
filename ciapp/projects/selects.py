"""A select of database rows for the list's filters, cheap to check and quick to draw."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

from ..core.forms import IdSelectField


class QuickSelect(Select):
    """WTForms' select with each option written by one f-string, for the list's filters: the
    lead filter lists every person, and the stock option widget (a call, a sort and a Markup
    per option) cost more than the table's fifty rows. Choices are (value, label) pairs or
    ``SelectChoice``s without extra attributes."""

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        coerce, data, options = field.coerce, field.data, []
        for choice in field.choices:
            value, label = ((choice.value, choice.label) if isinstance(choice, SelectChoice)
                            else choice)
            selected = "selected " if coerce(value) == data else ""
            options.append(f'<option {selected}value="{escape(value)}">'
                           f'{escape(value if label is None else label)}</option>')
        # Safe: every value and label is escaped above, and html_params escapes attributes.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"  # nosec B704
                      f"{''.join(options)}</select>")


class RowSelectField(IdSelectField):
    """A filter's select of rows (people, org units) that loads them all only to draw them.

    A sent id is checked by looking up that one row, so requests that never draw the select
    (the API's list, the list's htmx updates) do not read every person and unit. ``rows(ids)``
    gives (id, label) pairs, all of them when ``ids`` is None. The blank option's value is
    "", not None: the form is a GET, and its address should read "lead_id=".
    """

    widget = QuickSelect()

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
