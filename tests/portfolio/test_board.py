"""The pipeline board and table: columns by phase, the filters (kept in the URL), sorting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from ciapp.projects.models import Project
from tests import factories
from tests.portfolio.conftest import health, overdue_action, project


def keys(html: str) -> list[str]:
    return re.findall(r">(CI-\d{4}-\d{4})</a>", html)


def test_the_board_shows_each_phase_with_its_count_and_cards(client, login_as) -> None:
    login_as("viewer")
    measure = project(phase="baseline")
    analyze = project(phase="root_cause")
    held = project(phase="baseline", status="on_hold")
    closed = project(phase="sustain", status="closed")
    factories.db.session.commit()

    page = client.get("/portfolio/").get_data(as_text=True)

    assert "Measure / Current state <span class=\"count\">(2)</span>" in page
    assert "Analyze / Root cause <span class=\"count\">(1)</span>" in page
    assert {measure.key, analyze.key, held.key} <= set(keys(page))
    assert closed.key not in keys(page)  # open projects unless asked
    everything = client.get("/portfolio/?status=all").get_data(as_text=True)
    assert "Closed <span class=\"count\">(1)</span>" in everything
    assert closed.key in keys(everything)


def test_a_full_column_lists_its_first_cards_and_links_to_the_rest(app, db) -> None:
    from ciapp.portfolio import board

    made = [project(phase="countermeasures", days_old=10 + i) for i in range(5)]
    columns = {c.key: c for c in board.board(board.PortfolioFilters(),
                                             board.clock_for(60), per_column=3)}

    improve = columns["countermeasures"]
    assert improve.count == 5 and improve.more == 2
    # The longest in the phase first.
    assert [r.key for r in improve.rows] == [p.key for p in reversed(made)][:3]


def test_site_filter_takes_in_its_areas_and_area_filter_only_that_area(client, login_as
                                                                       ) -> None:
    login_as("council")
    site, area = factories.site_and_area()
    other_site, other_area = factories.site_and_area("Plant B", "Paint")
    at_site = project(org_unit_id=site.id)
    in_area = project(org_unit_id=area.id)
    elsewhere = project(org_unit_id=other_area.id)
    factories.db.session.commit()

    by_site = keys(client.get(f"/portfolio/table?site_id={site.id}").get_data(as_text=True))
    by_area = keys(client.get(f"/portfolio/table?area_id={area.id}").get_data(as_text=True))

    assert sorted(by_site) == sorted([at_site.key, in_area.key])
    assert by_area == [in_area.key]
    assert elsewhere.key not in by_site + by_area
    assert other_site.id  # a second site exists, and is left out


def test_methodology_lead_status_and_year_filters(client, login_as, db) -> None:
    login_as("viewer")
    lead = factories.user("belt")
    kaizen = project(methodology="kaizen")
    led = project(lead)
    held = project(status="on_hold")
    old = project(days_old=1)
    db.session.execute(update(Project).where(Project.id == old.id).values(
        created_at=datetime(2019, 6, 1, tzinfo=UTC)))
    db.session.commit()

    def table(query: str) -> list[str]:
        return keys(client.get(f"/portfolio/table?{query}").get_data(as_text=True))

    assert table("methodology=kaizen") == [kaizen.key]
    assert table(f"lead_id={lead.id}") == [led.key]
    assert held.key in table("status=on_hold") and kaizen.key not in table("status=on_hold")
    assert table("year=2019") == [old.key]
    assert old.key not in table(f"year={datetime.now(UTC).year}")


def test_filters_stay_in_the_address_of_every_link(client, login_as, db) -> None:
    login_as("council")
    site, _ = factories.site_and_area()
    for i in range(3):
        project(org_unit_id=site.id, days_old=i + 1)
    db.session.commit()

    page = client.get(f"/portfolio/table?site_id={site.id}&methodology=dmaic"
                      ).get_data(as_text=True)

    sort_links = re.findall(r'href="(/portfolio/table\?[^"]*sort=[^"]*)"', page)
    assert sort_links and all(f"site_id={site.id}" in link and "methodology=dmaic" in link
                              for link in sort_links)
    board_link = re.search(r'href="(/portfolio/\?[^"]*)"', page)
    assert board_link and f"site_id={site.id}" in board_link.group(1)
    # The form shows the filter chosen.
    assert re.search(rf'<option selected value="{site.id}">', page)


def test_the_table_sorts_by_the_column_asked_for(client, login_as, db) -> None:
    login_as("viewer")
    calm, busy, busiest = project(), project(), project()
    overdue_action(busy, 2)
    for _ in range(3):
        overdue_action(busiest, 5)
    health(calm, "off_track", "Supplier went bust.")
    db.session.commit()

    by_overdue = keys(client.get("/portfolio/table?sort=overdue").get_data(as_text=True))
    by_key = keys(client.get("/portfolio/table?sort=key&dir=asc").get_data(as_text=True))
    by_health = keys(client.get("/portfolio/table?sort=health").get_data(as_text=True))

    assert by_overdue[:2] == [busiest.key, busy.key]  # most overdue first by default
    assert by_key == sorted(by_key)
    assert by_health[0] == calm.key  # off track first


def test_the_table_pages_with_the_total(app, db) -> None:
    from ciapp.portfolio import board, table

    for i in range(7):
        project(days_old=i + 1)
    clock = board.clock_for(60)

    first = table.table(board.PortfolioFilters(), clock, per_page=5)
    second = table.table(board.PortfolioFilters(), clock, page=2, per_page=5)
    beyond = table.table(board.PortfolioFilters(), clock, page=9, per_page=5)

    assert (first.total, first.pages, len(first.rows)) == (7, 2, 5)
    assert len(second.rows) == 2 and second.total == 7
    assert beyond.rows == [] and beyond.total == 7


def test_a_bad_filter_is_refused_by_name_and_the_page_still_shows(client, login_as) -> None:
    login_as("viewer")
    project()
    factories.db.session.commit()

    response = client.get("/portfolio/?year=twenty&status=sleeping")
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert re.search(r'id="year-error" role="alert">Enter a whole number', page)
    assert re.search(r'id="status-error" role="alert">Not a valid choice', page)
    assert "Define / Scope / charter" in page  # the board itself, unfiltered


def test_days_in_phase_count_from_the_last_gate_passed(app, db) -> None:
    from ciapp.portfolio import board
    from tests.portfolio.conftest import passed_gate

    p = project(phase="root_cause", days_old=200)
    passed_gate(p, 120, "scope")
    passed_gate(p, 30, "baseline")

    row = board.project_row(p.id, board.clock_for(60))

    assert row is not None and row.days_in_phase == 30
    assert row.phase_since < datetime.now(UTC) - timedelta(days=29)


