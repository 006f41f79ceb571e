"""Hostile input on the API: a 4xx in the error shape, naming what was wrong, and nothing
saved; ``If-Match: *`` overwrites on purpose, even when another save lands in between."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from ciapp.api import inputs
from ciapp.extensions import db as _db
from ciapp.projects.models import Project
from tests import factories

TOO_BIG = "That number is too large; enter a smaller one."


def project_count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


@pytest.fixture
def editable(api_as: Any, db: Any) -> tuple[Any, Project]:
    api = api_as("belt")
    project = factories.project(api.user, title="Before", usl=10.0,
                                target_date=None)
    db.session.commit()
    return api, project


def unchanged(db: Any, project: Project) -> bool:
    db.session.refresh(project)
    return project.title == "Before" and project.usl == 10.0 and project.version == 1


@pytest.mark.parametrize("url", ["/api/v1/reviews/2147483648",
                                 "/api/v1/reviews/9223372036854775808",
                                 "/api/v1/reviews/100000000000000000000000000000",
                                 "/api/v1/reviews/%C2%B2", "/api/v1/reviews/%D9%A3",
                                 "/api/v1/reviews/9223372036854775808/decision"])
def test_ids_beyond_the_id_column_are_404(api_as: Any, url: str) -> None:
    api = api_as("council")
    method = "POST" if url.endswith("decision") else "GET"
    response = api.call(method, url, {"decision": "approve"} if method == "POST" else None)
    assert response.status_code == 404
    assert "not found" in response.get_json()["message"].lower()


@pytest.mark.parametrize(("query", "field"), [
    ("page=10000000000000000000", "page"), ("page=²", "page"), ("page=0", "page"),
    ("per_page=²", "per_page"), ("per_page=٣", "per_page"), ("per_page=1e2", "per_page"),
    ("per_page=10000000000000000000", "per_page"), ("lead_id=٣", "lead_id"),
    ("org_unit_id=99999999999999999999", "org_unit_id"), ("lead_id=2147483648", "lead_id"),
    ("phase=launch", "phase"),
])
def test_bad_numbers_and_values_in_the_query_are_422(api_as: Any, query: str,
                                                     field: str) -> None:
    response = api_as("viewer").get(f"/api/v1/projects?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_empty_filters_are_ignored_as_the_document_says(api_as: Any, db: Any) -> None:
    api = api_as("viewer")
    factories.project(methodology="kaizen")
    db.session.commit()
    everything = api.get("/api/v1/projects").get_json()
    empty = api.get("/api/v1/projects?q=&methodology=&phase=&status=&org_unit_id=&lead_id="
                    "&page=&per_page=")
    assert empty.status_code == 200
    assert empty.get_json()["items"] == everything["items"]
    document = api.get("/api/v1/openapi.json").get_json()
    parameters = document["paths"]["/api/v1/projects"]["get"]["parameters"]
    assert all(p["allowEmptyValue"] and "empty" in p["description"].lower()
               for p in parameters)


@pytest.mark.parametrize("if_match", ['""', '"²"', '"٣"', 'W/"1"', '"1", "2"', '"0"',
                                      '"-1"', '"abc"', '"100000000000000000000000000"'])
def test_malformed_if_match_is_400_and_saves_nothing(editable: Any, db: Any,
                                                     if_match: str) -> None:
    api, project = editable
    response = api.patch(f"/api/v1/projects/{project.key}", {"title": "After"},
                         headers={"If-Match": if_match})
    assert response.status_code == 400
    assert "If-Match must hold one project version" in response.get_json()["message"]
    assert unchanged(db, project)


@pytest.mark.parametrize("version", [0, -1, 2**31, 2**63, 10**30, "1", 1.0, True])
def test_malformed_version_field_is_422(editable: Any, db: Any, version: Any) -> None:
    api, project = editable
    response = api.patch(f"/api/v1/projects/{project.key}",
                         {"title": "After", "version": version})
    assert response.status_code == 422 and "version" in response.get_json()["fields"]
    assert unchanged(db, project)


def test_if_match_star_overwrites_a_newer_version(editable: Any, db: Any) -> None:
    api, project = editable
    project.title = "Changed by someone else"
    db.session.commit()  # now version 2
    response = api.patch(f"/api/v1/projects/{project.key}", {"title": "After"},
                         headers={"If-Match": "*"})
    assert response.status_code == 200
    assert response.get_json()["title"] == "After" and response.headers["ETag"] == '"3"'


def test_if_match_star_overwrites_even_when_a_save_lands_in_between(
        editable: Any, db: Any, monkeypatch: Any) -> None:
    """Another server saves between our read of the project and our UPDATE; the version
    column then makes our UPDATE match no row (StaleDataError), which used to be a 409."""
    api, project = editable
    real = inputs.project_changes
    raced = []

    def racing(target: Project, data: dict[str, Any]) -> dict[str, Any]:
        changes = real(target, data)
        if not raced:
            raced.append(True)
            # What a concurrent request does to the row, behind the ORM's back.
            _db.session.execute(update(Project).where(Project.id == target.id)
                                .values(version=Project.version + 1, goal="Racing save"))
        return changes

    monkeypatch.setattr(inputs, "project_changes", racing)
    response = api.patch(f"/api/v1/projects/{project.key}", {"title": "After"},
                         headers={"If-Match": "*"})
    assert raced and response.status_code == 200
    assert response.get_json()["title"] == "After"


def test_a_version_that_loses_the_race_is_still_409(editable: Any, db: Any,
                                                     monkeypatch: Any) -> None:
    api, project = editable
    real = inputs.project_changes

    def racing(target: Project, data: dict[str, Any]) -> dict[str, Any]:
        changes = real(target, data)
        _db.session.execute(update(Project).where(Project.id == target.id)
                            .values(version=Project.version + 1))
        return changes

    monkeypatch.setattr(inputs, "project_changes", racing)
    response = api.patch(f"/api/v1/projects/{project.key}", {"title": "After"},
                         headers={"If-Match": '"1"'})
    assert response.status_code == 409
    assert unchanged(db, project)


@pytest.mark.parametrize(("body", "message"), [
    ('{"title": "After", "usl": 1e309}', TOO_BIG),
    ('{"title": "After", "usl": -1e400}', TOO_BIG),
    ('{"title": "After", "usl": NaN}', "not valid JSON"),
    ('{"title": "After", "usl": Infinity}', "not valid JSON"),
])
def test_infinite_numbers_are_refused(editable: Any, db: Any, body: str,
                                      message: str) -> None:
    api, project = editable
    response = api.call("PATCH", f"/api/v1/projects/{project.key}", data=body,
                        headers={"If-Match": '"1"', "Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert message in response.get_json()["message"]
    assert unchanged(db, project)
    read = api.get(f"/api/v1/projects/{project.key}")
    assert read.status_code == 200 and read.get_json()["usl"] == 10.0


@pytest.mark.parametrize("value", ["", " ", "2026-1-5", "2026-01-5", "05/01/2026",
                                   "2026-02-30", "2026-01-05T00:00:00", "٢٠٢٦-٠١-٠٥",
                                   "+2026-01-05", "20260105"])
def test_dates_must_be_iso(editable: Any, db: Any, value: str) -> None:
    api, project = editable
    response = api.patch(f"/api/v1/projects/{project.key}", {"target_date": value},
                         headers={"If-Match": '"1"'})
    assert response.status_code == 422
    assert "target_date" in response.get_json()["fields"]
    db.session.refresh(project)
    assert project.target_date is None and project.version == 1


def test_a_date_is_cleared_with_null(editable: Any, db: Any) -> None:
    api, project = editable
    set_ = api.patch(f"/api/v1/projects/{project.key}", {"target_date": "2026-01-05"},
                     headers={"If-Match": '"1"'})
    assert set_.status_code == 200 and set_.get_json()["target_date"] == "2026-01-05"
    cleared = api.patch(f"/api/v1/projects/{project.key}", {"target_date": None},
                        headers={"If-Match": '"2"'})
    assert cleared.status_code == 200 and cleared.get_json()["target_date"] is None


def test_create_with_a_bad_date_saves_nothing(api_as: Any, db: Any) -> None:
    response = api_as("belt").post("/api/v1/projects", {"title": "New", "target_date": ""})
    assert response.status_code == 422 and "target_date" in response.get_json()["fields"]
    assert project_count(db) == 0


@pytest.mark.parametrize("url", ["/api/v1/projects?q=%00", "/api/v1/projects?q%00=x",
                                 "/api/v1/projects/CI-2026-0001%00"])
def test_nul_in_the_address_is_400(api_as: Any, url: str) -> None:
    response = api_as("viewer").get(url)
    assert response.status_code == 400
    assert "NUL character" in response.get_json()["message"]


def test_nul_in_a_json_field_is_422_and_saves_nothing(editable: Any, db: Any) -> None:
    api, project = editable
    response = api.patch(f"/api/v1/projects/{project.key}", {"title": "After\x00"},
                         headers={"If-Match": '"1"'})
    assert response.status_code == 422
    assert response.get_json()["fields"]["title"] == ["Must not contain NUL characters."]
    assert unchanged(db, project)


def test_if_match_star_from_parallel_clients_all_overwrite(app: Any, committing_db: Any) -> None:
    """Eight clients overwrite one project at once, as app servers would: each must get 200
    (the README promises that ``*`` overwrites), none a 409, and every save must count."""
    import threading

    from ciapp.auth.services import issue_token

    lead = factories.user("belt")
    project = factories.project(lead)
    token = issue_token(lead)
    committing_db.session.commit()
    key, writers = project.key, 8
    start, statuses = threading.Barrier(writers), []

    def overwrite(i: int) -> None:
        client = app.test_client()
        start.wait(timeout=30)
        with app.app_context():  # the test client tidies the session in one afterwards
            response = client.patch(f"/api/v1/projects/{key}", json={"goal": f"Writer {i}"},
                                    headers={"Authorization": f"Bearer {token}",
                                             "If-Match": "*"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=overwrite, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * writers
    committing_db.session.expire_all()
    saved = committing_db.session.get(Project, project.id)
    assert saved.version == 1 + writers and saved.goal.startswith("Writer ")
