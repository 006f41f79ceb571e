"""Pages run the same number of SQL statements whatever their size: each row of the list
brings its lead and site / area with it, and the project page loads its people at once.

A listener on the engine's ``before_cursor_execute`` counts every statement sent to the
database, whether the ORM or anything else issues it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from ciapp.auth.services import issue_token
from ciapp.extensions import db as _db
from ciapp.projects import services
from tests import factories

# Sign-in, notifications badge, count, page, and the filter form's two choice lists, with
# room for a session check or two; a per-row load at 50 rows would blow far past it.
MOST_FOR_A_PAGE = 12


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count(request: Callable[[], Any]) -> tuple[int, Any]:
    request()  # the first request may fill caches; the second is what every later one costs
    with statements() as seen:
        response = request()
    assert response.status_code == 200, response.text[:500]
    return len(seen), response


@pytest.fixture
def listed(db: Any) -> list[str]:
    """60 projects over 3 sites, 6 areas and 12 leads; keys newest first."""
    units = []
    for n in range(3):
        site, area = factories.site_and_area(f"Plant {n}", f"Area {n}")
        units += [site, area]
    leads = [factories.user("belt") for _ in range(12)]
    keys = [factories.project(leads[i % 12], org_unit_id=units[i % 6].id).key
            for i in range(60)]
    _db.session.commit()
    return keys[::-1]


def shown(keys: list[str], text: str) -> int:
    return sum(key in text for key in keys)


def test_the_list_page_runs_as_many_statements_for_5_rows_as_for_50(
        app: Flask, client: FlaskClient, login_as: Any, listed: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    login_as("viewer")
    monkeypatch.setitem(app.config, "PROJECTS_PER_PAGE", 5)
    few, small = count(lambda: client.get("/projects/"))
    monkeypatch.setitem(app.config, "PROJECTS_PER_PAGE", 50)
    many, large = count(lambda: client.get("/projects/"))
    assert (shown(listed, small.text), shown(listed, large.text)) == (5, 50)
    assert "Plant 0" in large.text and "Area 2" in large.text  # the rows' sites and areas
    assert few == many <= MOST_FOR_A_PAGE


def test_the_htmx_list_and_a_search_stay_constant_too(
        app: Flask, client: FlaskClient, login_as: Any, listed: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    login_as("viewer")
    htmx = {"HX-Request": "true"}
    monkeypatch.setitem(app.config, "PROJECTS_PER_PAGE", 5)
    few, _ = count(lambda: client.get("/projects/?q=scrap", headers=htmx))
    monkeypatch.setitem(app.config, "PROJECTS_PER_PAGE", 50)
    many, page = count(lambda: client.get("/projects/?q=scrap", headers=htmx))
    assert shown(listed, page.text) == 50
    assert few == many <= MOST_FOR_A_PAGE


def test_the_api_list_runs_as_many_statements_for_5_items_as_for_50(
        client: FlaskClient, db: Any, listed: list[str]) -> None:
    token = issue_token(factories.user("viewer"))
    _db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}

    def page(size: int) -> tuple[int, Any]:
        return count(lambda: client.get(f"/api/v1/projects?per_page={size}", headers=headers))

    (few, small), (many, large) = page(5), page(50)
    assert [p["key"] for p in small.get_json()["items"]] == listed[:5]
    assert [p["key"] for p in large.get_json()["items"]] == listed[:50]
    assert few == many <= MOST_FOR_A_PAGE


def staffed_project(team_size: int) -> Any:
    site, area = factories.site_and_area()
    sponsor, lead = factories.user("council"), factories.user("belt")
    project = factories.project(lead, complete=True, sponsor=sponsor, org_unit_id=area.id)
    for _ in range(team_size - 1):  # complete=True brings one member already
        services.add_member(lead, project, factories.user("member").id, "Operator")
    _db.session.commit()
    return project


def test_the_project_page_loads_its_people_at_once(client: FlaskClient, login_as: Any,
                                                    db: Any) -> None:
    login_as("viewer")
    small, large = staffed_project(1), staffed_project(6)
    few, _ = count(lambda: client.get(f"/projects/{small.key}"))
    many, page = count(lambda: client.get(f"/projects/{large.key}"))
    names = [m.user.name for m in large.team] + [large.lead.name, large.sponsor.name]
    assert len(large.team) == 6 and all(name in page.text for name in names)
    assert few == many


@pytest.mark.parametrize(("filters", "index"), [
    ({}, "ix_projects_created_at_id"),
    ({"phase": "baseline"}, "ix_projects_phase_created_at_id"),
    ({"status": "active"}, "ix_projects_status_created_at_id"),
])
def test_a_page_is_read_in_index_order(db: Any, filters: dict[str, str], index: str) -> None:
    """The database walks an index in the list's order and stops after a page, instead of
    sorting every matching project first."""
    stmt = services.project_query(services.ProjectFilters(**filters)).limit(50)
    sql = str(stmt.compile(_db.engine, compile_kwargs={"literal_binds": True}))
    if _db.engine.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in _db.session.execute(
            _db.text(f"EXPLAIN QUERY PLAN {sql}")))
        assert index in plan and "TEMP B-TREE" not in plan, plan
    else:
        # A near-empty table makes any plan cheap (with rows left by other tests the planner
        # may sort a handful instead): forbid the sequential scan and the sort, so the plan
        # shows whether an index can serve the list's order at all.
        _db.session.execute(_db.text("SET LOCAL enable_seqscan = off"))
        _db.session.execute(_db.text("SET LOCAL enable_sort = off"))
        plan = " ".join(row[0] for row in _db.session.execute(_db.text(f"EXPLAIN {sql}")))
        # With a few rows either ordered index is as cheap (the general one filtered by
        # status, or the status one): what matters is an index in the list's order, no sort.
        assert re.search(r"Index Scan Backward using ix_projects_\w*created_at_id", plan), plan
        assert "Sort  (" not in plan, plan


@pytest.mark.parametrize("filters", [{}, {"phase": "baseline"}])
def test_the_list_and_its_total_in_one_statement_still_walk_the_index(
        db: Any, filters: dict[str, str]) -> None:
    """The total rides on the page's statement as a subquery; the page's rows must still
    come from an index in the list's order, not from a sort of every match."""
    from ciapp.projects import listing

    where = listing.conditions(services.ProjectFilters(**filters))
    stmt = listing.with_total(listing._ROWS, where).limit(50)
    sql = str(stmt.compile(_db.engine, compile_kwargs={"literal_binds": True}))
    if _db.engine.dialect.name == "sqlite":
        plan = " ".join(str(row[-1]) for row in _db.session.execute(
            _db.text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "ix_projects_" in plan and "TEMP B-TREE" not in plan, plan
        assert "CORRELATED" not in plan, plan  # counted once, not once per row
    else:
        _db.session.execute(_db.text("SET LOCAL enable_seqscan = off"))
        _db.session.execute(_db.text("SET LOCAL enable_sort = off"))
        plan = " ".join(row[0] for row in _db.session.execute(_db.text(f"EXPLAIN {sql}")))
        assert re.search(r"Index Scan Backward using ix_projects_\w*created_at_id", plan), plan
        assert "Sort  (" not in plan and "SubPlan" not in plan, plan  # InitPlan: once


def test_the_total_counts_every_match_on_any_page(client: FlaskClient, login_as: Any,
                                                  listed: list[str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  app: Flask) -> None:
    login_as("viewer")
    monkeypatch.setitem(app.config, "PROJECTS_PER_PAGE", 25)
    for page in (1, 3):
        text = client.get(f"/projects/?page={page}").text
        assert "60 projects" in text and f"Page {page} of 3" in text
