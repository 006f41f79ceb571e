"""Form fields that read numbers and dates strictly (see ``validators``), with plain messages.

They subclass WTForms' own fields, so ``api/fields.py`` describes them to JSON clients the
same way, and the API, which validates through the same forms, refuses what the pages refuse.
"""

from __future__ import annotations

from typing import Any

from wtforms import DateField, FloatField, IntegerField
from wtforms.validators import NumberRange, ValidationError

from .validators import MAX_ID, parse_date, parse_number, parse_whole, range_message


def _typed(valuelist: list[Any]) -> str | None:
    """The submitted text, or None when the field was sent empty or not at all."""
    if not valuelist or valuelist[0] is None:
        return None
    text = str(valuelist[0])
    return text if text.strip() else None


class NumberField(FloatField):
    """A finite number: ``1e309``, ``inf``, ``nan`` and ``١٢`` are refused."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = _typed(valuelist)
        self.data = None
        if text is not None:
            self.data = parse_number(text)


class WholeNumberField(IntegerField):
    """An integer in ASCII digits that fits an INTEGER column (below 2**31); a ``within``
    validator narrows the range and words the message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = _typed(valuelist)
        self.data = None
        if text is not None:
            self.data = parse_whole(text, minimum=None, maximum=None)

    def pre_validate(self, form: Any) -> None:
        bounded = any(isinstance(v, NumberRange) for v in self.validators)
        if self.data is not None and not bounded and abs(self.data) > MAX_ID:
            raise ValidationError(range_message(-MAX_ID, MAX_ID, whole=True))


class IsoDateField(DateField):
    """A date as ``YYYY-MM-DD`` (what a browser's date input sends), nothing looser."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = _typed(valuelist)
        self.data = None
        if text is not None:
            self.data = parse_date(text)


def within(minimum: float | None = None, maximum: float | None = None, *,
           whole: bool = False) -> NumberRange:
    """NumberRange with a message in plain words ("Enter a number from 0.001 to 0.2.")."""
    return NumberRange(min=minimum, max=maximum,
                       message=range_message(minimum, maximum, whole=whole))
