"""A small programme whose figures the tests work out by hand: three projects on two sites
(and one on none), three categories, two methodologies, two belts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ciapp.benefits import services as benefits
from tests import factories

TODAY = date(2026, 11, 26)
D = Decimal


def add_line(project: Any, category: str, quantity: str, unit_value: str, start: date,
             realized: dict[int, str] | None = None, *, validated: bool = False,
             validated_months: tuple[int, ...] = (), backed: bool = False,
             description: str = "Less scrap") -> Any:
    line = benefits.create_line(project.lead, project, benefits.LineInput(
        category, description, "quantity x unit value", D(quantity), "units",
        D(unit_value), start))
    for month, amount in (realized or {}).items():
        benefits.set_month(project.lead, line, date(start.year if month >= start.month
                                                     else start.year + 1, month, 1),
                           D(amount), line.version)
    # finance's decisions written straight to the rows: the validation rules have their own
    # tests (tests/benefits); here only their effect on the sums matters
    if validated:
        line.projected_state = "approved"
    for m in line.months:
        if m.month.month in validated_months:
            m.state = "approved"
    line.backed = backed
    return line


@pytest.fixture
def programme(db: Any) -> dict[str, Any]:
    north, assembly = factories.site_and_area("North", "Assembly")
    south, paint = factories.site_and_area("South", "Paint")
    black = factories.user("belt", belt_level="black")
    green = factories.user("belt", belt_level="green")
    p1 = factories.project(black, org_unit_id=assembly.id, methodology="dmaic")
    p2 = factories.project(green, org_unit_id=paint.id, methodology="kaizen")
    p3 = factories.project(green, methodology="dmaic")
    # 1,000 x 1.20 = 1,200.00 a year from January: 100.00 a month
    add_line(p1, "hard_savings", "1000", "1.20", date(2026, 1, 1),
             {1: "90.00", 2: "110.50", 3: "99.99"}, validated=True, validated_months=(1,),
             backed=True)
    # 1,000.00 a year from March: 83.34 in Mar-Jun, 83.33 in Jul-Feb; 2026 holds
    # 4 x 83.34 + 6 x 83.33 = 833.34
    add_line(p2, "cost_avoidance", "1", "1000.00", date(2026, 3, 1), {4: "50.00"})
    # 600.00 a year from July 2025: 50.00 a month; 2026 holds January to June, 300.00
    add_line(p3, "soft_savings", "600", "1", date(2025, 7, 1), description="=cmd|' /C calc'!A0")
    db.session.flush()
    return {"north": north, "south": south, "assembly": assembly, "p1": p1, "p2": p2,
            "p3": p3}
