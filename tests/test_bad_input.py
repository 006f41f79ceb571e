"""Hostile input on the HTML pages: every case is a 4xx that says what was wrong, and nothing
is saved. (The API's cases are in tests/api/test_bad_input.py.) Runs on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL, where NUL characters and 64-bit overflows used to be 500s."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import func, select

from ciapp.auth.services import issue_token
from ciapp.core.input_rules import IdConverter
from ciapp.projects.models import Project
from tests import factories

VALID = {"title": "Reduce scrap on line 3", "methodology": "dmaic", "metric_better": "lower",
         "alpha": "0.05", "sponsor_id": "None", "lead_id": "None", "org_unit_id": "None"}
TOO_BIG = "That number is too large; enter a smaller one."
NOT_A_NUMBER = "Enter a number, such as 12.5 or -3."
# 2**31 (one past the largest id PostgreSQL's INTEGER holds), 2**63 (SQLite's), far beyond,
# and digits that are not ASCII:
# superscript two ("²".isdigit() is True, int("²") raises) and Arabic-Indic three (int() = 3).
BAD_IDS = ("2147483648", "9223372036854775808", "1" + "0" * 30, "²", "٣", "1_0")


def project_count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def int_rules(app: Flask) -> list[tuple[str, str]]:
    """(rule, method) for every route with an integer in its path."""
    rules = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IdConverter) for c in rule._converters.values()):
            rules += [(rule.rule, m) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return rules


def fill(rule: str, int_value: str) -> str:
    """The rule's path with every <int:...> set to ``int_value`` and other parts sampled."""
    path = re.sub(r"<int:[^>]+>", quote(int_value), rule)
    return re.sub(r"<[^>]+>", "CI-2026-0001", path)


def test_int_urls_are_bounded_everywhere(app: Flask) -> None:
    assert app.url_map.converters["int"] is IdConverter
    assert len(int_rules(app)) >= 6  # admin, API, gates, notifications, team members


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_beyond_64_bits_or_in_other_digits_are_404(app: Flask, client: Any, login_as: Any,
                                                        db: Any, bad: str) -> None:
    admin = login_as("admin")
    token = issue_token(admin)
    db.session.commit()
    for rule, method in int_rules(app):
        headers = {"Authorization": f"Bearer {token}"} if rule.startswith("/api/") else {}
        response = client.open(fill(rule, bad), method=method, headers=headers)
        assert response.status_code == 404, f"{method} {rule} with {bad!r}"
        text = response.get_json()["message"] if rule.startswith("/api/") else response.text
        assert "not found" in text.lower()


def test_the_largest_id_is_an_ordinary_not_found(app: Flask, client: Any,
                                                        login_as: Any, db: Any) -> None:
    admin = login_as("admin")
    token = issue_token(admin)
    db.session.commit()
    for rule, method in int_rules(app):
        headers = {"Authorization": f"Bearer {token}"} if rule.startswith("/api/") else {}
        response = client.open(fill(rule, str(2**31 - 1)), method=method, headers=headers)
        assert 400 <= response.status_code < 500, f"{method} {rule}: {response.status_code}"


@pytest.mark.parametrize("query", ["page=10000000000000000000", "page=²", "page=٣",
                                   "page=1e3", "lead_id=٣", "lead_id=99999999999999999999"])
def test_list_page_refuses_bad_numbers_in_the_query(client: Any, login_as: Any, db: Any,
                                                    query: str) -> None:
    login_as("viewer")
    factories.project()
    db.session.commit()
    response = client.get(f"/projects/?{query}")
    assert response.status_code == 422
    assert 'id="project-list"' in response.text  # the list is still shown, unfiltered


def test_list_page_names_a_bad_page_number(client: Any, login_as: Any, db: Any) -> None:
    login_as("viewer")
    response = client.get("/projects/?page=10000000000000000000")
    assert "Page: Enter a whole number from 1 to 1000000." in response.text


@pytest.mark.parametrize("field", ["lsl", "usl", "target", "alpha"])
@pytest.mark.parametrize(("typed", "message"), [
    ("1e309", TOO_BIG), ("-1e309", TOO_BIG), ("inf", NOT_A_NUMBER), ("Infinity", NOT_A_NUMBER),
    ("nan", NOT_A_NUMBER), ("NaN", NOT_A_NUMBER), ("١٢", NOT_A_NUMBER), ("1_000", NOT_A_NUMBER),
    ("0x10", NOT_A_NUMBER), ("1,5", NOT_A_NUMBER),
])
def test_charter_form_refuses_infinite_nan_and_odd_numbers(
        client: Any, login_as: Any, db: Any, field: str, typed: str, message: str) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {field: typed})
    assert response.status_code == 422
    assert message in response.text
    assert project_count(db) == 0


def test_charter_form_reads_plain_decimal_numbers(client: Any, login_as: Any, db: Any) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {"lsl": " -1.5 ", "usl": "2E3",
                                                          "target": ".5", "alpha": "0.05"})
    assert response.status_code == 302
    project = db.session.scalars(select(Project)).one()
    assert (project.lsl, project.usl, project.target) == (-1.5, 2000.0, 0.5)


def test_inline_edit_refuses_an_infinite_number(client: Any, login_as: Any, db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead, usl=10.0)
    db.session.commit()
    response = client.post(f"/projects/{project.key}/charter/usl",
                           data={"usl": "1e309", "version": str(project.version)})
    assert response.status_code == 422 and TOO_BIG in response.text
    db.session.refresh(project)
    assert project.usl == 10.0 and project.version == 1


@pytest.mark.parametrize("typed", ["2026-1-5", "05/01/2026", "2026-02-30", "٢٠٢٦-01-05",
                                   "2026-01-05T00:00"])
def test_charter_form_takes_iso_dates_only(client: Any, login_as: Any, db: Any,
                                           typed: str) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {"target_date": typed})
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text or "not a date on the calendar" in response.text
    assert project_count(db) == 0


@pytest.mark.parametrize("version", ["²", "٣", "-1", "0", "1.0", "99999999999999999999999"])
def test_a_malformed_version_is_400_and_saves_nothing(client: Any, login_as: Any, db: Any,
                                                      version: str) -> None:
    lead = login_as("belt")
    project = factories.project(lead, title="Before")
    db.session.commit()
    edit = client.post(f"/projects/{project.key}/edit",
                       data=VALID | {"title": "After", "version": version})
    inline = client.post(f"/projects/{project.key}/charter/title",
                         data={"title": "After", "version": version})
    for response in (edit, inline):
        assert response.status_code == 400
        assert "version must be a whole number" in response.text
    db.session.refresh(project)
    assert project.title == "Before" and project.version == 1


def test_nul_in_a_form_field_is_400_and_saves_nothing(client: Any, login_as: Any,
                                                      db: Any) -> None:
    login_as("belt")
    response = client.post("/projects/new", data=VALID | {"title": "Scrap\x00 on line 3"})
    assert response.status_code == 400
    assert "NUL character (\\0) in the form, field title;" in response.text
    assert project_count(db) == 0


def test_nul_in_an_inline_edit_is_400_and_saves_nothing(client: Any, login_as: Any,
                                                        db: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead, goal="Before")
    db.session.commit()
    response = client.post(f"/projects/{project.key}/charter/goal",
                           data={"goal": "After\x00", "version": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 400 and "NUL character" in response.text
    db.session.refresh(project)
    assert project.goal == "Before"


@pytest.mark.parametrize("url", ["/projects/?q=scrap%00", "/projects/?q%00=scrap",
                                 "/projects/CI-2026-0001%00", "/admin/users?x=%00"])
def test_nul_in_the_address_is_400(client: Any, login_as: Any, db: Any, url: str) -> None:
    login_as("admin")
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.text


def test_nul_in_an_uploaded_file_name_is_400(client: Any, login_as: Any, db: Any) -> None:
    import io

    login_as("belt")
    response = client.post("/projects/new", data=VALID | {
        "attachment": (io.BytesIO(b"x"), "data\x00.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400 and "uploaded file" in response.text
    assert project_count(db) == 0


@pytest.mark.parametrize("typed", ["²", "٣", "2147483648", "0", "-1", "1_0"])
def test_improve_pages_refuse_odd_ids_with_400(typed: str) -> None:
    from ciapp.core.errors import BadRequest
    from ciapp.improve.forms import whole

    with pytest.raises(BadRequest, match="is not a valid action"):
        whole(typed, "action")


@pytest.mark.parametrize("typed", ["2026-1-5", "20260105", "2026-W01-1"])
def test_improve_pages_take_iso_dates_only(typed: str) -> None:
    from ciapp.core.errors import BadRequest
    from ciapp.improve.forms import a_date

    with pytest.raises(BadRequest, match="YYYY-MM-DD"):
        a_date(typed, "due")
