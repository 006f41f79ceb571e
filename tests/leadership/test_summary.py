"""The leadership summary against sums worked out by hand in this file: the year, its months
(which add up to the year to the cent), sites, categories, methodologies, belts, the share
backed by data, and the lines behind each figure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ciapp.leadership import lines as line_filters
from ciapp.leadership import summary as figures
from tests import factories
from tests.leadership.conftest import TODAY, D, add_line


def test_the_year_and_its_parts_match_sums_worked_out_by_hand(programme: Any) -> None:
    s = figures.build(2026, TODAY)
    assert s.total.money("projected") == D("2333.34")  # 1200.00 + 833.34 + 300.00
    assert s.total.money("projected_validated") == D("1200.00")
    assert s.total.money("realized") == D("350.49")  # 90.00 + 110.50 + 99.99 + 50.00
    assert s.total.money("realized_validated") == D("90.00")
    march = s.months[2]
    assert march.figures.money("projected") == D("233.34")  # 100.00 + 83.34 + 50.00
    assert march.cumulative.money("realized") == D("300.49")
    for name in figures.NAMES:  # the months add up to the year, to the cent
        assert sum(m.figures.money(name) for m in s.months) == s.total.money(name)
        assert s.months[-1].cumulative == s.total
    sites = {row.label: row.figures for row in s.by_site}
    assert sites[programme["north"].name].money("projected") == D("1200.00")
    assert sites[programme["south"].name].money("realized") == D("50.00")
    assert sites["(no site)"].money("projected") == D("300.00")
    categories = {row.label: row.figures.money("projected") for row in s.by_category}
    assert categories == {"Hard savings": D("1200.00"), "Cost avoidance": D("833.34"),
                          "Soft savings": D("300.00")}
    methodologies = {row.label: row.figures.money("projected") for row in s.by_methodology}
    assert methodologies == {"DMAIC project": D("1500.00"), "Kaizen event": D("833.34")}
    belts = {row.label: row.figures.money("projected") for row in s.by_belt}
    assert belts == {"Black belt": D("1200.00"), "Green belt": D("1133.34")}
    assert [p.key for p in s.top][:2] == [programme["p1"].key, programme["p2"].key]


def test_year_to_date_counts_the_months_that_have_happened(programme: Any) -> None:
    s = figures.build(2026, date(2026, 4, 15))
    assert s.to_date.money("projected") == D("766.68")  # Jan-Apr: 400 + 2 x 83.34 + 200
    assert figures.build(2025, TODAY).to_date.money("projected") == D("300.00")  # Jul-Dec


def test_the_share_backed_by_data(programme: Any) -> None:
    s = figures.build(2026, TODAY)
    # annual claims of the lines running in 2026: 1200 (backed) of 1200 + 1000 + 600
    assert s.claims.backed_lines == 1 and s.claims.lines == 3
    assert s.backed_share == pytest.approx(1200 / 2800)


def test_a_site_counts_only_its_own_projects(programme: Any) -> None:
    s = figures.build(2026, TODAY, programme["north"].id)
    assert s.total.money("projected") == D("1200.00")
    assert [row.label for row in s.by_area] == [programme["assembly"].label]


def test_a_figure_opens_the_lines_it_sums(programme: Any) -> None:
    s = figures.build(2026, TODAY)
    for row in s.by_category + s.by_site + s.by_belt + s.by_methodology:
        found = line_filters.lines(line_filters.parse(
            {"year": "2026", **{k: str(v) for k, v in row.lines.items()}}, TODAY))
        assert sum(r.projected_in_period for r in found) == row.figures.money("projected")
        assert sum(r.realized_in_period for r in found) == row.figures.money("realized")
    march = line_filters.lines(line_filters.parse({"year": "2026", "month": "3"}, TODAY))
    assert sum(r.projected_in_period for r in march) == D("233.34")
    assert {r.project_key for r in march} == {programme[p].key for p in ("p1", "p2", "p3")}


@pytest.mark.parametrize(("args", "field"), [
    ({"year": "20x6"}, "year"), ({"month": "13"}, "month"), ({"category": "magic"}, "category"),
    ({"belt": "purple"}, "belt"), ({"site": "-1"}, "site")])
def test_bad_filters_name_the_field(args: dict[str, str], field: str) -> None:
    from ciapp.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        line_filters.parse(args, TODAY)
    assert field in caught.value.fields


def test_the_summary_runs_the_same_statements_for_three_projects_or_thirty(
        programme: Any, db: Any) -> None:
    """Aggregates in SQL: no statement per project, line or month (ciapp.benefits.rollup)."""
    from tests.projects.test_query_counts import statements

    with statements() as few:
        figures.build(2026, TODAY)
    for n in range(27):
        project = factories.project(org_unit_id=programme["assembly"].id)
        add_line(project, "hard_savings", str(n + 1), "10", date(2026, 1, 1),
                 {1: "5.00", 2: "6.00"})
    db.session.flush()
    with statements() as many:
        s = figures.build(2026, TODAY)
    assert len(many) == len(few) <= 4  # the org units, then the roll-up's three
    assert len(s.top) == figures.TOP
