"""The benefit forms, used by the pages and (without CSRF) by the API, so both read amounts,
quantities and months the same way: ASCII digits, a point, no floats, no exponents."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..core.forms import options
from ..core.money import MoneyField
from .models import CATEGORIES, COST_KINDS
from .services import DeriveInput, LineInput

QUANTITY_RE = re.compile(r"[0-9]{1,11}(?:\.[0-9]{1,4})?", re.ASCII)
MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)
ENTER_QUANTITY = "Enter a number such as 1200 or 37.5 (at most four decimals)."
ENTER_MONTH = "Enter a month as YYYY-MM, such as 2026-03."


def parse_quantity(text: str) -> Decimal:
    text = text.strip()
    if not QUANTITY_RE.fullmatch(text):
        raise ValueError(ENTER_QUANTITY)
    return Decimal(text)


def parse_month(text: str) -> date:
    """``2026-03`` (or a whole date, whose day is dropped) as the first of that month."""
    text = text.strip()
    match = MONTH_RE.fullmatch(text[:7]) if len(text) in (7, 10) else None
    if match is None or (len(text) == 10 and not re.fullmatch(r"-[0-9]{2}", text[7:])):
        raise ValueError(ENTER_MONTH)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValueError(ENTER_MONTH + " Years run from 2000 to 2100.")
    return date(year, month, 1)


class QuantityField(DecimalField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] is not None and str(valuelist[0]).strip():
            self.data = parse_quantity(str(valuelist[0]))

    def _value(self) -> str:
        # All four places, without trailing zeros: DecimalField would round to two, and a
        # save of the edit form would then change 37.5625 into 37.56 unasked.
        if isinstance(self.data, Decimal):
            return f"{self.data.normalize():f}"
        return super()._value()


class Month(date):
    """A month as a field holds it: shown as ``2026-03`` wherever it is printed (a line's
    field shown in place), not as the first day of it. Services get a plain ``date``."""

    def __str__(self) -> str:
        return f"{self:%Y-%m}"


def plain_date(value: date | None) -> date | None:
    return None if value is None else date(value.year, value.month, value.day)


class MonthField(StringField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] is not None and str(valuelist[0]).strip():
            found = parse_month(str(valuelist[0]))
            self.data = Month(found.year, found.month, 1)

    def _value(self) -> str:
        return f"{self.data:%Y-%m}" if isinstance(self.data, date) else (self.raw_data or [""])[0]


class LineForm(FlaskForm):
    category = SelectField("Category", choices=options(CATEGORIES.items()),
                           validators=[InputRequired("Choose a category.")])
    description = StringField("Description", validators=[DataRequired(), Length(max=200)])
    method = TextAreaField("Calculation in words", validators=[Length(max=2000)])
    quantity = QuantityField("Quantity a year", validators=[InputRequired()])
    quantity_unit = StringField("Unit of the quantity", validators=[Length(max=40)])
    unit_value = MoneyField("Value per unit", validators=[InputRequired()])
    start_month = MonthField("First month of the benefit",
                             validators=[InputRequired(ENTER_MONTH)])
    version = HiddenField()

    def values(self) -> LineInput:
        return LineInput(self.category.data or "", self.description.data or "",
                         self.method.data or "", self.quantity.data,
                         self.quantity_unit.data or "", self.unit_value.data,
                         plain_date(self.start_month.data))


class OwnIds(FlaskForm):
    """A form on the benefits page beside the add-line form, whose fields have the same
    names (category, description): ids of its own, ``ID_PREFIX-name``, so each label
    points at its own field. The names posted stay as they are."""

    ID_PREFIX = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = field.label.field_id = f"{self.ID_PREFIX}-{field.name}"


class DeriveForm(OwnIds):
    """A line estimated from a saved before/after comparison: the quantity and its range
    come from the change, so they are not typed."""

    ID_PREFIX = "derive"
    record_id = SelectField("Before/after comparison", choices=[],
                            validators=[InputRequired("Choose a saved comparison.")],
                            validate_choice=False)
    category = LineForm.category
    description = LineForm.description
    method = LineForm.method
    quantity_unit = StringField("Unit of the metric x volume", validators=[Length(max=40)])
    unit_cost = MoneyField("Cost per unit of the metric", validators=[InputRequired()])
    volume = QuantityField("Volume a year (units the metric applies to)",
                           validators=[InputRequired()])
    start_month = LineForm.start_month

    def line_values(self) -> LineInput:
        return LineInput(self.category.data or "", self.description.data or "",
                         self.method.data or "", None, self.quantity_unit.data or "", None,
                         plain_date(self.start_month.data))

    def source(self) -> DeriveInput:
        raw = (self.record_id.data or "").strip()
        return DeriveInput(int(raw) if raw.isascii() and raw.isdigit() else None,
                           self.unit_cost.data, self.volume.data)


class MonthForm(FlaskForm):
    month = MonthField("Month", validators=[InputRequired(ENTER_MONTH)])
    amount = MoneyField("Realized amount (empty removes the month)")
    version = HiddenField()


class CostForm(OwnIds):
    ID_PREFIX = "cost"
    kind = SelectField("Kind", choices=options(COST_KINDS.items()),
                       validators=[InputRequired("Choose one-off or running.")])
    description = StringField("Description", validators=[DataRequired(), Length(max=200)])
    amount = MoneyField("Amount", validators=[InputRequired()])


class DecisionForm(FlaskForm):
    part = SelectField("Part", choices=options([("projected", "Projected"),
                                                ("realized", "Realized")]),
                       validators=[InputRequired()])
    decision = SelectField("Decision", choices=options([("approve", "Approve"),
                                                        ("return", "Return")]),
                           validators=[InputRequired("Choose approve or return.")])
    comment = TextAreaField("Comment", validators=[Length(max=2000)])
    version = HiddenField()
