"""The layout's kept links (ciapp/core/layout.py) follow where the app is mounted."""

from __future__ import annotations

from typing import Any

from ciapp import create_app


def test_the_top_bar_links_follow_the_script_root_of_each_request(
        client: Any, login_as: Any, db: Any) -> None:
    login_as("admin")
    plain = client.get("/projects/").text
    assert 'href="/projects/new"' in plain and 'href="/static/css/app.css"' in plain
    mounted = client.get("/projects/", environ_overrides={"SCRIPT_NAME": "/ci"}).text
    assert 'href="/ci/projects/new"' in mounted and 'href="/ci/static/css/app.css"' in mounted
    assert 'action="/ci/auth/logout"' in mounted and 'href="/projects/new"' not in mounted
    again = client.get("/projects/").text
    assert 'href="/projects/new"' in again and "/ci/" not in again


def test_the_page_carries_one_form_token_in_all_three_places(
        client: Any, login_as: Any, db: Any, csrf_enabled: None) -> None:
    login_as("belt")
    page = client.get("/projects/").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert token and page.count(f'"X-CSRFToken": "{token}"') == 2


def test_with_url_defaults_every_link_is_built_for_its_request() -> None:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    calls: list[str] = []

    @app.url_defaults
    def note(endpoint: str, values: dict[str, Any]) -> None:
        calls.append(endpoint)

    links, url = app.jinja_env.globals["layout_links"], app.jinja_env.globals["layout_url"]
    for _ in range(2):
        with app.test_request_context("/"):
            assert links()["projects.index"] == "/projects/"
            assert url("static", filename="css/app.css") == "/static/css/app.css"
    assert calls == ["projects.index", "static"] * 2


def header_token(page: str) -> str:
    return page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]


def test_the_kept_form_token_works_on_every_page_and_only_for_its_session(
        app: Any, db: Any, csrf_enabled: None) -> None:
    # The token is signed once per session token and kept (ciapp/core/layout.py): what
    # htmx sends from any page of the session passes, another session's does not.
    from tests import factories
    from tests.conftest import sign_in

    belt = factories.user("belt")
    db.session.commit()
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, belt)
    sign_in(theirs, belt)
    first = header_token(mine.get("/projects/").text)
    assert header_token(mine.get("/notifications/").text) == first
    other = header_token(theirs.get("/projects/").text)
    assert other != first

    refused = theirs.post("/notifications/read", headers={"X-CSRFToken": first})
    assert refused.status_code == 400 and "security token" in refused.text
    assert mine.post("/notifications/read", headers={"X-CSRFToken": first}).status_code == 302
    assert theirs.post("/notifications/read", headers={"X-CSRFToken": other}).status_code == 302
