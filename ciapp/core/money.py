"""Amounts of money: exact decimals with two places, read strictly, shown in the
installation's currency (``CIAPP_CURRENCY``, an ISO 4217 code; EUR by default).

Money is never a float: 0.1 + 0.2 is not 0.3 in binary, and a benefits roll-up of
thousands of lines must add up to the cent. The column type is ``core.types.Money``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from wtforms import DecimalField

CENT = Decimal("0.01")
# Numeric(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
AMOUNT_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)
ENTER_AMOUNT = "Enter an amount such as 1250 or 1250.50 (at most two decimals)."


def as_money(value: Any) -> Decimal:
    """``value`` as an exact amount with two places; ValueError for a float (inexact by
    nature), more than two decimals, a non-finite number or an amount the column cannot
    hold."""
    if isinstance(value, (float, bool)):
        raise TypeError("money must be a Decimal, an int or a string, never a float")
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ValueError(ENTER_AMOUNT) from None
    if not amount.is_finite():
        raise ValueError(ENTER_AMOUNT)
    # the bound first: quantizing a 34-digit number overflows the decimal context
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"Amounts are limited to {format_money(MAX_AMOUNT)} either way.")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_EVEN):
        raise ValueError(ENTER_AMOUNT)
    return amount.quantize(CENT)


def parse_money(text: str) -> Decimal:
    """An amount typed by a person: ASCII digits, an optional sign and point, no
    thousands separators, no exponent."""
    text = text.strip()
    if not AMOUNT_RE.fullmatch(text):
        raise ValueError(ENTER_AMOUNT)
    return as_money(text)


def format_money(value: Decimal | int | None, currency: str = "") -> str:
    """``1234.5`` -> ``1,234.50 EUR``; None is an empty string."""
    if value is None:
        return ""
    text = f"{Decimal(value).quantize(CENT):,.2f}"
    return f"{text} {currency}" if currency else text


class MoneyField(DecimalField):
    """An amount typed in a form, read with :func:`parse_money`."""

    def __init__(self, label: str | None = None, validators: Any = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("places", 2)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] is not None and str(valuelist[0]).strip():
            self.data = parse_money(str(valuelist[0]))
