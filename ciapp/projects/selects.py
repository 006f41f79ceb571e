"""A select of database rows for the list's filters, cheap to check and quick to draw."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache
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
        pairs = tuple((c.value, c.label) if isinstance(c, SelectChoice) else tuple(c)
                      for c in field.choices)
        try:
            options, position = _options(pairs, field.coerce)
        except TypeError:  # a label that cannot be a key (a lazy string): drawn uncached
            options, position = _options.__wrapped__(pairs, field.coerce)
        chosen = position.get(field.data) if _hashable(field.data) else None
        if chosen is not None:
            options = [*options]
            options[chosen] = options[chosen].replace("<option ", "<option selected ", 1)
        # Safe: every value and label is escaped in _options, and html_params escapes
        # attributes.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"  # nosec B704
                      f"{''.join(options)}</select>")


def _hashable(value: Any) -> bool:
    return isinstance(value, (int, str, type(None)))


@lru_cache(maxsize=64)
def _options(pairs: tuple[tuple[Any, Any], ...], coerce: Callable[[Any], Any],
             ) -> tuple[tuple[str, ...], dict[Any, int]]:
    """The escaped ``<option>``s of these choices, and the position of each coerced value.

    Kept per list of choices: the lead filter's eighty people came out the same on every
    view of the list, and escaping them again was a tenth of the page. The key is the
    choices themselves, so a renamed or new person simply makes a new entry."""
    options, position = [], {}
    for index, (value, label) in enumerate(pairs):
        options.append(f'<option value="{escape(value)}">'
                       f'{escape(value if label is None else label)}</option>')
        coerced = coerce(value)
        if _hashable(coerced):
            position.setdefault(coerced, index)
    return tuple(options), position


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
