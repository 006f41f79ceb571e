"""The project list's kept filter bar and rows (ciapp/projects/rendered.py): what a person
sees is always today's data, and exactly what drawing it afresh gives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from ciapp.projects.rendered import Memo
from tests import factories


def filter_bar(html: str) -> str:
    return html.split('<form class="filters"', 1)[1].split("</form>", 1)[0]


def rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_filter_bar_shows_a_renamed_person_and_a_new_unit_at_once(
        client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    lead = factories.user("belt", name="Ann Original")
    db.session.commit()
    assert "Ann Original" in filter_bar(client.get("/projects/").text)
    lead.name = "Bea Renamed"
    site, _area = factories.site_and_area("Plant North", "Packing")
    db.session.commit()
    bar = filter_bar(client.get("/projects/").text)
    assert "Bea Renamed" in bar and "Ann Original" not in bar
    assert f"{site.name} &gt; Packing" in bar


def test_a_filter_error_stays_shown_and_goes_when_the_filter_is_fixed(
        client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    for _ in range(2):  # the second view comes from what the first one kept
        response = client.get("/projects/?status=nope")
        assert response.status_code == 422
        bar = filter_bar(response.text)
        assert 'class="field has-error"' in bar and "Not a valid choice." in bar
        assert 'aria-invalid="true"' in bar
    fixed = filter_bar(client.get("/projects/?status=active").text)
    assert "has-error" not in fixed and "Not a valid choice." not in fixed
    assert '<option selected value="active">' in fixed


def test_each_search_shows_its_own_words(client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    assert 'value="paint"' in filter_bar(client.get("/projects/?q=paint").text)
    bar = filter_bar(client.get("/projects/?q=%3Cb%3Escrap").text)
    assert 'value="&lt;b&gt;scrap"' in bar and "paint" not in bar


def test_an_edited_project_and_a_renamed_lead_show_in_the_row_at_once(
        client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    lead = factories.user("belt", name="Cal Before")
    project = factories.project(lead, title="Paint line defects")
    db.session.commit()
    assert "Paint line defects" in rows(client.get("/projects/").text)
    project.title = "Paint shop rework"
    lead.name = "Dee After"
    db.session.commit()
    table = rows(client.get("/projects/").text)
    assert "Paint shop rework" in table and "Paint line defects" not in table
    assert "Dee After" in table and "Cal Before" not in table


def test_kept_html_is_what_drawing_afresh_gives(client: Any, login_as: Any, db: Any,
                                               app: Any) -> None:
    login_as("viewer")
    _site, area = factories.site_and_area()
    factories.project(title="Scrap <on> line & more", org_unit_id=area.id)
    factories.project(title="Invoice errors", methodology="kaizen")
    db.session.commit()
    urls = ["/projects/", "/projects/?status=nope&q=x", "/projects/?methodology=kaizen"]
    kept = [client.get(url).text for url in urls * 2][len(urls):]
    app.jinja_env.auto_reload = True
    try:
        fresh = [client.get(url).text for url in urls]
    finally:
        app.jinja_env.auto_reload = False
    assert kept == fresh
    assert "Scrap &lt;on&gt; line &amp; more" in kept[0]


def test_the_memo_forgets_the_least_recently_used() -> None:
    memo = Memo(2)
    memo.put("a", "<a>")
    memo.put("b", "<b>")
    assert memo.get_many(["a"]) == ["<a>"]  # "a" is now the most recently used
    memo.put("c", "<c>")
    assert memo.get_many(["a", "b", "c"]) == ["<a>", None, "<c>"]
    assert len(memo) == 2


def test_long_typed_input_is_shown_and_not_kept(client: Any, login_as: Any, db: Any,
                                                app: Any) -> None:
    login_as("viewer")
    kept = app.extensions["ciapp.projects.rendered"].bars
    long = "x" * 5000
    response = client.get(f"/projects/?q={long}")
    assert response.status_code == 422
    assert f'value="{long}"' in filter_bar(response.text)
    assert "Field cannot be longer than 100 characters." in filter_bar(response.text)
    assert not [key for key in kept._items if long in repr(key)]


def test_a_kept_filter_form_still_checks_a_chosen_lead_every_time(
        client: Any, login_as: Any, db: Any) -> None:
    # A filter form is kept per query string, but not one choosing a lead or a unit: that
    # choice is checked against the database on every view.
    login_as("viewer")
    lead = factories.user("belt", name="Hal Leaving")
    factories.project(lead, title="Kitting errors")
    db.session.commit()
    for _ in range(2):
        assert "Kitting errors" in rows(client.get(f"/projects/?lead_id={lead.id}").text)
    # Deactivated through another app server: nothing here forgets the kept menus.
    db.session.execute(text("UPDATE users SET active = :no WHERE id = :id"),
                       {"no": False, "id": lead.id})
    db.session.commit()
    response = client.get(f"/projects/?lead_id={lead.id}")
    assert response.status_code == 422
    assert "Not a valid choice." in filter_bar(response.text)


def test_a_kept_filter_form_shows_each_page_its_own_state(client: Any, login_as: Any,
                                                         db: Any) -> None:
    login_as("viewer")
    for _ in range(3):
        factories.project()
    db.session.commit()
    first, bad = client.get("/projects/?status=active"), client.get("/projects/?page=x")
    for _ in range(2):  # the second round comes from the kept forms
        again = client.get("/projects/?status=active")
        assert again.status_code == 200 and again.text == first.text
        assert '<option selected value="active">' in filter_bar(again.text)
        page = client.get("/projects/?page=x")
        assert page.status_code == 422 and page.text == bad.text
        assert "Page: Enter a whole number." in page.text
