"""Money: exact two-place decimals in the database (SQLite and PostgreSQL), strict reading
of typed amounts, and the currency setting in templates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask import render_template_string
from sqlalchemy import Column, Integer, MetaData, Table, select

from ciapp import create_app
from ciapp.core.money import MAX_AMOUNT, as_money, format_money, parse_money
from ciapp.core.types import Money


@pytest.fixture
def money_table(db: Any) -> tuple[Table, Any]:
    """A table of one Money column, made inside the test's transaction (rolled back)."""
    table = Table("money_check", MetaData(), Column("id", Integer, primary_key=True),
                  Column("amount", Money()))
    connection = db.session.connection()
    table.create(connection)
    return table, connection


def test_amounts_come_back_exactly_as_saved(money_table: tuple[Table, Any]) -> None:
    table, connection = money_table
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999999.99"),
               Decimal("-1234.56"), Decimal("0.00"), Decimal("7"), 12]
    connection.execute(table.insert(), [{"amount": a} for a in amounts])
    back = list(connection.execute(select(table.c.amount).order_by(table.c.id)).scalars())
    assert back == [Decimal(a) for a in amounts]
    assert all(type(a) is Decimal and a.as_tuple().exponent == -2 for a in back)
    # The classic float failure, 0.1 + 0.2 != 0.3, does not happen to stored amounts.
    assert back[0] + back[1] == Decimal("0.30")


@pytest.mark.parametrize(("value", "error"), [
    (0.1, TypeError), (1.005, TypeError), (Decimal("1.005"), ValueError),
    (Decimal("NaN"), ValueError), (Decimal("Infinity"), ValueError),
    (MAX_AMOUNT + Decimal("0.01"), ValueError), ("12,50", ValueError),
    # beyond the decimal context's 28 digits: a clear ValueError, not InvalidOperation
    (-2258004762785295753546776939855872, ValueError),
])
def test_inexact_or_impossible_amounts_are_refused(money_table: tuple[Table, Any],
                                                   value: Any, error: type) -> None:
    table, connection = money_table
    with pytest.raises(error):
        as_money(value)
    with pytest.raises(Exception):  # noqa: B017  wrapped by SQLAlchemy as StatementError
        connection.execute(table.insert(), {"amount": value})


@pytest.mark.parametrize(("typed", "amount"), [
    ("1250", Decimal("1250.00")), ("1250.5", Decimal("1250.50")), ("-0.99", Decimal("-0.99")),
    (" 42.00 ", Decimal("42.00")),
])
def test_typed_amounts_are_read_strictly(typed: str, amount: Decimal) -> None:
    assert parse_money(typed) == amount


@pytest.mark.parametrize("typed", ["1,250.00", "1e3", "١٢", "12.345", "inf", "NaN", "", "€5"])
def test_typed_amounts_that_are_not_plain_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="Enter an amount"):
        parse_money(typed)


def test_amounts_are_shown_in_the_installations_currency(monkeypatch: Any) -> None:
    assert format_money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert format_money(None, "EUR") == ""
    monkeypatch.setenv("CIAPP_CURRENCY", "CHF")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["CURRENCY"] == "CHF"
    with app.test_request_context():
        shown = render_template_string("{{ a | money }}|{{ b | money }}",
                                       a=Decimal("-98765.4"), b=None)
    assert shown == "-98,765.40 CHF|"


def test_utc_datetimes_come_back_aware_and_equal(db: Any) -> None:
    # UTCDateTime (ciapp/core/types.py) reads SQLite's stored text by a shortcut; whatever
    # the backend, or the form of the stored text, a value comes back as the same instant,
    # in UTC.
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy import text

    from ciapp.core.types import UTCDateTime

    table = Table("when_check", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UTCDateTime()))
    connection = db.session.connection()
    table.create(connection)
    instants = [datetime(2026, 11, 26, 10, 0, 0, 123456, tzinfo=UTC),
                datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
                datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC), None]
    connection.execute(table.insert(), [{"at": at} for at in instants])
    if connection.dialect.name == "sqlite":
        # Text written by hand, as SQL's CURRENT_TIMESTAMP or a script would.
        connection.execute(text("INSERT INTO when_check (at) VALUES "
                                "('2026-01-02 03:04:05'), ('2026-01-02T03:04:05+01:00')"))
        instants += [datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                     datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)]
    back = list(connection.execute(select(table.c.at).order_by(table.c.id)).scalars())
    assert back == instants
    assert all(at is None or at.utcoffset() == timedelta(0) for at in back)
