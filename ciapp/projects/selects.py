"""A select of database rows for the list's filters, cheap to check and quick to draw."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectChoice, SelectField
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
        pairs = _pairs(field.choices)
        try:
            options, position, _complete = _options(pairs, field.coerce)
        except TypeError:  # a label that cannot be a key (a lazy string): drawn uncached
            options, position, _complete = _options.__wrapped__(pairs, field.coerce)
        chosen = position.get(field.data) if _hashable(field.data) else None
        if chosen is not None:
            options = [*options]
            options[chosen] = options[chosen].replace("<option ", "<option selected ", 1)
        # Safe: every value and label is escaped in _options, and html_params escapes
        # attributes.
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"  # nosec B704
                      f"{''.join(options)}</select>")


class QuickSelectField(SelectField):
    """A select of fixed choices drawn by ``QuickSelect``, whose check of a sent value is one
    look-up among the choices' kept values: WTForms' own check builds every option first.
    Its decision and words are WTForms' (a value of a type the look-up does not keep is
    left to WTForms' check)."""

    widget = QuickSelect()

    def pre_validate(self, form: Any) -> None:
        if (self.process_errors or not self.validate_choice or self.choices is None
                or not _hashable(self.data)):
            return super().pre_validate(form)
        try:
            _drawn, position, complete = _options(_pairs(self.choices), self.coerce)
        except TypeError:  # a label that cannot be a key
            return super().pre_validate(form)
        if self.data in position:
            return None
        if not complete:
            return super().pre_validate(form)
        raise ValidationError(self.invalid_choice_message or self.gettext("Not a valid choice."))


def _pairs(choices: Any) -> tuple[tuple[Any, Any], ...]:
    return tuple((c.value, c.label) if isinstance(c, SelectChoice) else tuple(c)
                 for c in choices)


def _hashable(value: Any) -> bool:
    return isinstance(value, (int, str, type(None)))


@lru_cache(maxsize=64)
def _options(pairs: tuple[tuple[Any, Any], ...], coerce: Callable[[Any], Any],
             ) -> tuple[tuple[str, ...], dict[Any, int], bool]:
    """The escaped ``<option>``s of these choices, the position of each coerced value, and
    whether that holds them all (it keeps only ints, strings and None).

    Kept per list of choices: the lead filter's eighty people came out the same on every
    view of the list, and escaping them again was a tenth of the page. The key is the
    choices themselves, so a renamed or new person simply makes a new entry."""
    options, position, complete = [], {}, True
    for index, (value, label) in enumerate(pairs):
        options.append(f'<option value="{escape(value)}">'
                       f'{escape(value if label is None else label)}</option>')
        coerced = coerce(value)
        if _hashable(coerced):
            position.setdefault(coerced, index)
        else:
            complete = False
    return tuple(options), position, complete


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
