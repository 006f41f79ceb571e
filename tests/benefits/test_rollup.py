"""The leadership roll-up of a year against sums the test computes itself, to the cent, in a
constant number of statements."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from ciapp.benefits import rollup, services, validation
from ciapp.extensions import db as _db
from tests import factories
from tests.benefits.conftest import add_line, team

D = Decimal
CENT = D("0.01")


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def month_after(start: date, k: int) -> date:
    y, m = divmod(start.month - 1 + k, 12)
    return date(start.year + y, m + 1, 1)


def twelfths(annual: Decimal) -> list[Decimal]:
    """The spreading rule as the design states it: every month a twelfth in whole cents,
    then the cents left over handed out one by one from the first month."""
    months = [(annual / 12).quantize(CENT, rounding="ROUND_DOWN")] * 12
    left = annual - sum(months)
    k = 0
    while left > 0:
        months[k] += CENT
        left -= CENT
        k += 1
    return months


def test_a_year_boundary_splits_the_projection_by_calendar_year(db: Any) -> None:
    lead, project = team()
    add_line(lead, project, quantity="400", unit_value="2.50", start=date(2026, 11, 1))
    db.session.flush()

    this, next_ = (rollup.year_figures(y, project_ids=[project.id]) for y in (2026, 2027))

    # 1,000.00 from November 2026: 83.34 in each of the first four months, 83.33 after.
    # 2026 holds November and December: 166.68; 2027 the other ten: 833.32.
    assert this.total().money("projected") == D("166.68")
    assert next_.total().money("projected") == D("833.32")
    assert {m: f.money("projected") for m, f in this.months.items()} == {
        date(2026, 11, 1): D("83.34"), date(2026, 12, 1): D("83.34")}
    assert next_.months[date(2027, 2, 1)].money("projected") == D("83.34")
    assert next_.months[date(2027, 3, 1)].money("projected") == D("83.33")


def test_every_start_month_and_remainder_gives_the_years_share(db: Any) -> None:
    """Lines starting in each of the 23 months that reach into 2026, with every remainder
    of cents over twelve: the year's share is what the twelfths of each line put in it."""
    lead, project = team()
    expected = D(0)
    for i in range(23):
        start = month_after(date(2025, 2, 1), i)
        annual = D(1200 + i % 12 + 12 * i) * CENT  # cents % 12 runs through 0..11
        add_line(lead, project, quantity="1", unit_value=str(annual), start=start)
        expected += sum(amount for k, amount in enumerate(twelfths(annual))
                        if month_after(start, k).year == 2026)
    db.session.flush()

    y = rollup.year_figures(2026, project_ids=[project.id])

    assert y.total().money("projected") == expected
    assert sum(f.money("projected") for f in y.months.values()) == expected


def _world(rng: random.Random) -> dict[str, Any]:
    """Three projects, thirty lines of every category, months in several states; the
    expected figures summed here as the data are made."""
    finance = factories.user("finance")
    expected: dict[str, Any] = {
        "annual": D(0), "annual_ok": D(0), "by_project": defaultdict(D),
        "by_category": defaultdict(D), "month": defaultdict(D), "month_ok": defaultdict(D),
        "realized": defaultdict(D), "realized_ok": defaultdict(D), "backed": D(0)}
    projects = []
    for _ in range(3):
        lead, project = team()
        projects.append(project)
        for i in range(10):
            category = ("hard_savings", "soft_savings", "cost_avoidance", "revenue")[i % 4]
            quantity = D(rng.randint(1, 5000))
            unit_value = D(rng.randint(1, 99999)) * CENT
            start = date(2025 + rng.randint(0, 1), rng.randint(1, 12), 1)
            line = add_line(lead, project, category=category, quantity=str(quantity),
                            unit_value=str(unit_value), start=start)
            annual = (quantity * unit_value).quantize(CENT)  # whole quantities: exact
            approved = i % 3 == 0
            expected["annual"] += annual
            expected["by_project"][project.id] += annual
            expected["by_category"][category] += annual
            for k, amount in enumerate(twelfths(annual)):
                expected["month"][month_after(start, k)] += amount
                if approved:
                    expected["month_ok"][month_after(start, k)] += amount
            for k in range(rng.randint(0, 6)):
                month = date(2025, 1 + k, 1)
                amount = D(rng.randint(-5000, 900000)) * CENT
                services.set_month(lead, line, month, amount, line.version)
                expected["realized"][month] += amount
            if line.months:
                validation.submit(lead, line, "realized", line.version)
                if i % 2 == 0:
                    validation.decide(finance, project, line, "realized", "approve", "",
                                      line.version)
                    for m in line.months:
                        expected["realized_ok"][m.month] += m.amount
            if approved:
                validation.submit(lead, line, "projected", line.version)
                validation.decide(finance, project, line, "projected", "approve", "",
                                  line.version)
                expected["annual_ok"] += annual
    _db.session.flush()
    expected["projects"] = [p.id for p in projects]
    return expected


YEARS = (2025, 2026, 2027)  # the world's lines start in 2025 or 2026


def test_roll_up_equals_independent_sums_to_the_cent(db: Any) -> None:
    expected = _world(random.Random(20261126))

    years = [rollup.year_figures(y, project_ids=expected["projects"]) for y in YEARS]

    months = {m: f for y in years for m, f in y.months.items()}
    assert {m: f.money("projected") for m, f in months.items() if f.projected} == {
        m: v for m, v in expected["month"].items() if v}
    assert {m: f.money("projected_validated") for m, f in months.items()
            if f.projected_validated} == {m: v for m, v in expected["month_ok"].items() if v}
    assert {m: f.money("realized") for m, f in months.items() if f.realized} == {
        m: v for m, v in expected["realized"].items() if v}
    assert {m: f.money("realized_validated") for m, f in months.items()
            if f.realized_validated} == {m: v for m, v in expected["realized_ok"].items() if v}
    assert sum(y.total().money("projected") for y in years) == expected["annual"]
    assert sum(y.total().money("projected_validated") for y in years) == \
        expected["annual_ok"]
    by_project: dict[int, Decimal] = defaultdict(D)
    by_category: dict[str, Decimal] = defaultdict(D)
    for y in years:
        for p, f in rollup.project_figures(y.year, project_ids=expected["projects"]).items():
            by_project[p] += f.money("projected")
        for c, f in y.by_category().items():
            by_category[c] += f.money("projected")
    assert dict(by_project) == dict(expected["by_project"])
    assert dict(by_category) == dict(expected["by_category"])


def test_the_months_of_each_year_add_up_to_the_year(db: Any) -> None:
    expected = _world(random.Random(7))

    for year in YEARS:
        y = rollup.year_figures(year, project_ids=expected["projects"])
        assert all(m.year == year for m in y.months)
        for name in ("projected", "projected_validated", "realized", "realized_validated"):
            assert sum(f.money(name) for f in y.months.values()) == y.total().money(name)
            by_project = rollup.project_figures(year, project_ids=expected["projects"])
            assert sum(f.money(name) for f in by_project.values()) == y.total().money(name)


def test_claims_say_how_much_is_backed(db: Any) -> None:
    from tests.benefits.conftest import comparison, line_input

    lead, project = team()
    record = comparison(project)
    services.derive_line(lead, project, line_input(category="hard_savings"),
                         services.DeriveInput(record.id, D("1.20"), D("10000")))
    add_line(lead, project, category="hard_savings", quantity="100", unit_value="10.00")

    claims = rollup.year_figures(2026, project_ids=[project.id]).claims("hard_savings")

    assert (claims.lines, claims.backed_lines) == (2, 1)
    assert (claims.projected, claims.backed) == (3100000, 3000000)  # cents


def test_three_statements_whatever_the_number_of_projects(db: Any) -> None:
    lead, project = team()
    line = add_line(lead, project)
    services.set_month(lead, line, date(2025, 3, 1), D("10.00"), line.version)
    _db.session.flush()
    with counted() as few:
        rollup.year_figures(2025)
    _world(random.Random(3))
    with counted() as many:
        y = rollup.year_figures(2025, top=3)
        y.by_category(), y.total(), y.claims()

    assert len(few) == len(many) == 3
    assert len(y.top) == 3  # of the four projects


def test_filter_by_org_unit(db: Any) -> None:
    site, area = factories.site_and_area()
    lead = factories.user("belt")
    inside = factories.project(lead, org_unit_id=area.id)
    outside = factories.project(lead)
    add_line(lead, inside, quantity="10", unit_value="1.00")
    add_line(lead, outside, quantity="20", unit_value="1.00")

    y = rollup.year_figures(2026, org_unit_ids=[site.id, area.id])

    assert [p.id for p, _ in y.top] == [inside.id]
    assert [g.org_unit_id for g in y.groups] == [area.id]
    assert y.total().money("projected") == D("10.00")
