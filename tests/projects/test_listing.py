"""The project list as a user meets it: search, pages, and the filters' choices."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import request
from flask.testing import FlaskClient
from sqlalchemy import event

from ciapp.auth.models import User
from ciapp.auth.services import issue_token
from ciapp.extensions import db as _db
from ciapp.projects import listing
from ciapp.projects.forms import FilterForm
from tests import factories


def found(**filters: Any) -> set[str]:
    page = listing.list_projects(listing.ProjectFilters(**filters), per_page=100)
    return {row.key for row in page.items}


def test_a_key_or_its_start_finds_projects_by_key(db: Any) -> None:
    first, second = factories.project(), factories.project()
    # The other project's key in a text field does not make it a match for that key.
    noisy = factories.project(problem=f"Same defect as {first.key}")
    year_prefix = first.key[:7]  # "CI-2026"
    assert found(q=first.key) == {first.key}
    assert found(q=first.key.lower()) == {first.key}
    assert found(q=year_prefix.lower()) == {first.key, second.key, noisy.key}
    assert found(q=first.key[:-1]) >= {first.key}  # "CI-2026-000" finds 0001 to 0009


def test_a_bare_number_finds_the_project_with_that_number(db: Any) -> None:
    projects = [factories.project(title="Faster invoicing") for _ in range(3)]
    number = str(int(projects[1].key.rsplit("-", 1)[1]))  # "CI-2026-0002" -> "2"
    assert projects[1].key in found(q=number)
    assert projects[0].key not in found(q=number)


def test_words_match_title_problem_or_goal_in_any_case(db: Any) -> None:
    by_title = factories.project(title="Paint booth changeover")
    by_problem = factories.project(title="Line 3", problem="Too much PAINT wasted")
    by_goal = factories.project(title="Line 4", goal="Half the paint used")
    factories.project(title="Faster invoicing")
    assert found(q="paint") == {by_title.key, by_problem.key, by_goal.key}


def test_percent_and_underscore_are_searched_as_typed(db: Any) -> None:
    percent = factories.project(title="Cut scrap by 50%")
    factories.project(title="Cut scrap on 500 parts")
    underscore = factories.project(title="Rename part_no field")
    factories.project(title="Rename partXno field")
    assert found(q="50%") == {percent.key}
    assert found(q="part_no") == {underscore.key}


def test_a_page_counts_and_links_like_a_pager_needs(db: Any) -> None:
    keys = [factories.project().key for _ in range(5)][::-1]  # newest first
    first = listing.list_projects(listing.ProjectFilters(), page=1, per_page=2)
    last = listing.list_projects(listing.ProjectFilters(), page=3, per_page=2)
    beyond = listing.list_projects(listing.ProjectFilters(), page=4, per_page=2)
    assert [row.key for row in first.items] == keys[:2]
    assert (first.total, first.pages, first.prev_num, first.next_num) == (5, 3, None, 2)
    assert [row.key for row in last.items] == keys[4:]
    assert (last.has_next, last.prev_num) == (False, 2)
    assert beyond.items == [] and beyond.total == 5
    empty = listing.list_projects(listing.ProjectFilters(q="no such thing"))
    assert (empty.total, empty.pages, empty.has_next) == (0, 0, False)


def test_rows_carry_their_lead_and_site_and_area(db: Any) -> None:
    site, area = factories.site_and_area("Plant North", "Paint shop")
    lead = factories.user("belt", name="Ada Lovelace")
    factories.project(lead, org_unit_id=area.id)
    factories.project(lead, org_unit_id=site.id)
    rows = listing.list_projects(listing.ProjectFilters()).items
    assert [row.org_unit.label for row in rows] == [site.name, f"{site.name} > Paint shop"]
    assert {row.lead.name for row in rows} == {"Ada Lovelace"}


def test_the_filters_offer_active_people_and_every_unit_and_keep_the_choice(
        client: FlaskClient, login_as: Any, db: Any) -> None:
    site, area = factories.site_and_area("Plant South", "Moulding")
    chosen = factories.user("belt", name="Grace Hopper")
    factories.user("belt", name="Gone Person", active=False)
    login_as("viewer")
    page = client.get(f"/projects/?lead_id={chosen.id}&org_unit_id={area.id}").text
    assert f'<option selected value="{chosen.id}">Grace Hopper</option>' in page
    assert f'<option selected value="{area.id}">{site.name} &gt; Moulding</option>' in page
    assert f'<option value="{site.id}">{site.name}</option>' in page
    assert "Gone Person" not in page
    assert '<option value="">Any</option>' in page


def test_a_lead_or_unit_that_does_not_exist_is_not_a_valid_choice(app: Any, db: Any) -> None:
    gone = factories.user("belt", active=False)
    for args in ({"lead_id": str(gone.id)}, {"lead_id": "99999"}, {"org_unit_id": "99999"}):
        with app.test_request_context("/projects/", query_string=args):
            form = FilterForm(request.args)
            assert not form.validate()
            assert form.errors == {next(iter(args)): ["Not a valid choice."]}


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)


def test_requests_that_never_draw_the_filters_do_not_load_everyone(
        client: FlaskClient, login_as: Any, db: Any) -> None:
    lead = factories.user("belt")
    factories.project(lead)
    token = issue_token(factories.user("viewer"))
    _db.session.commit()
    login_as("viewer")
    with statements() as seen:
        fragment = client.get(f"/projects/?lead_id={lead.id}", headers={"HX-Request": "true"})
        unchosen = client.get("/projects/?phase=baseline", headers={"HX-Request": "true"})
        api = client.get(f"/api/v1/projects?lead_id={lead.id}",
                         headers={"Authorization": f"Bearer {token}"})
    assert fragment.status_code == unchosen.status_code == api.status_code == 200
    def everyone(seen: list[str]) -> list[str]:
        return [s for s in seen if "ORDER BY users.name" in s and "users.id IN" not in s]

    assert everyone(seen) == []
    with statements() as seen:
        assert client.get("/projects/").status_code == 200
    assert len(everyone(seen)) == 1  # the full page draws them


def test_inactive_users_are_not_offered_as_a_lead(db: Any) -> None:
    active = factories.user("belt")
    inactive = factories.user("belt", active=False)
    ids = {id_ for id_, _ in listing.person_choices()}
    assert active.id in ids and inactive.id not in ids
    assert _db.session.get(User, inactive.id) is not None
