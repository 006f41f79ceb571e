"""The data set API as a script feeding data from another system uses it: create from JSON
rows or a file, preview without saving, append, read back paged and as CSV; refusals are
422 naming row and column, and every answer matches the OpenAPI document."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.datasets import building, services, storage
from ciapp.datasets.models import Dataset
from tests import factories
from tests.api.conftest import check_schema


@pytest.fixture
def lead(api_as: Any) -> Any:
    api = api_as("belt")
    api.project = factories.project(api.user, complete=True)
    return api


def count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Dataset))


ROWS = [{"value": 12.1, "stage": "baseline", "time": "2026-01-05"},
        {"value": 11.8, "stage": "baseline", "time": "2026-01-06", "note": "new operator"},
        {"value": 9.9, "stage": "after", "time": "2026-02-02"}]


def test_json_rows_make_a_data_set_whose_hash_is_of_those_rows(lead: Any, db: Any) -> None:
    response = lead.post(f"/api/v1/projects/{lead.project.key}/datasets",
                         {"name": "Lead time", "kind": "continuous", "rows": ROWS})

    assert response.status_code == 201
    body = response.get_json()
    check_schema("Dataset", body)
    expected = storage.content_hash(building.from_records(ROWS, "continuous"))
    assert (body["version"], body["rows"], body["hash"]) == (1, 3, expected)
    assert response.headers["Location"].endswith(f"/api/v1/datasets/{body['id']}")
    again = lead.get(f"/api/v1/datasets/{body['id']}").get_json()
    assert again["hash"] == expected and again["kind"] == "continuous"


def test_a_bad_row_is_422_naming_the_row_and_column_and_saves_nothing(lead: Any,
                                                                      db: Any) -> None:
    rows = [{"value": 3, "n": 50}, {"value": 7, "n": 5}]
    response = lead.post(f"/api/v1/projects/{lead.project.key}/datasets",
                         {"name": "Scrap", "kind": "defectives", "rows": rows})

    assert response.status_code == 422
    body = response.get_json()
    assert body["message"].startswith("rows[1]: 7 defectives is more than the sample size 5")
    assert "value" in body["fields"]
    assert count(db) == 0


def test_a_file_with_a_map_is_read_as_the_pages_read_it(lead: Any, db: Any) -> None:
    data = "Datum;Wert;Schicht\n05.01.2026;12,5;A\n06.01.2026;13,25;B\n".encode("cp1252")
    url = f"/api/v1/projects/{lead.project.key}/datasets"
    form = {"file": (io.BytesIO(data), "lab.csv"), "name": "Lab", "kind": "continuous",
            "map": '{"value": "Wert", "time": "Datum", "subgroup": "Schicht"}'}

    preview = lead.client.post(url + "?preview=true", data=dict(form, file=(
        io.BytesIO(data), "lab.csv")), headers={"Authorization": f"Bearer {lead.token}"})
    assert preview.status_code == 200
    assert preview.get_json()["separator"] == "semicolon"
    assert preview.get_json()["ready"] is True and count(db) == 0

    response = lead.client.post(url, data=form,
                                headers={"Authorization": f"Bearer {lead.token}"})
    assert response.status_code == 201, response.get_json()
    dataset = db.session.get(Dataset, response.get_json()["id"])
    table = services.load(dataset)
    assert table.column("value").to_pylist() == [12.5, 13.25]
    assert table.column("subgroup").to_pylist() == ["A", "B"]
    assert dataset.source == "lab.csv"


def test_a_bad_file_names_the_spreadsheet_row(lead: Any, db: Any) -> None:
    data = b"value\n1.5\n2.5\nNaN\n"
    response = lead.client.post(
        f"/api/v1/projects/{lead.project.key}/datasets",
        data={"file": (io.BytesIO(data), "x.csv"), "name": "X", "kind": "continuous"},
        headers={"Authorization": f"Bearer {lead.token}"})

    assert response.status_code == 422
    assert response.get_json()["message"] == \
        "Row 4, column 'value': 'NaN' is not a finite number."
    assert count(db) == 0


def test_appending_reading_paged_and_the_csv(lead: Any, db: Any) -> None:
    ds = factories.dataset(lead.project, [{"value": i, "note": "=1+1" if i == 2 else ""}
                                          for i in range(1, 6)])
    db.session.commit()

    appended = lead.post(f"/api/v1/datasets/{ds.id}/rows", {"rows": [{"value": 6}]},
                         headers={"If-Match": '"1"'})
    assert appended.status_code == 201 and appended.get_json()["version"] == 2
    stale = lead.post(f"/api/v1/datasets/{ds.id}/rows", {"rows": [{"value": 7}]},
                      headers={"If-Match": '"1"'})
    assert stale.status_code == 409

    page = lead.get(f"/api/v1/datasets/{ds.id}/rows?page=2&per_page=4").get_json()
    check_schema("DatasetRowPage", page)
    assert [r["point"] for r in page["items"]] == [5, 6]
    assert [r["value"] for r in page["items"]] == [5, 6]
    assert page["meta"]["total"] == 6 and page["links"]["next"] is None
    old = lead.get(f"/api/v1/datasets/{ds.id}/rows?version=1").get_json()
    assert old["meta"]["total"] == 5

    csv = lead.get(f"/api/v1/datasets/{ds.id}/rows.csv").get_data(as_text=True)
    assert "\"'=1+1\"" in csv and "=1+1\"" not in csv.replace("'=1+1", "")


def test_only_people_on_the_project_add_data(api_as: Any, db: Any) -> None:
    project = factories.project(complete=True)
    ds = factories.dataset(project)
    db.session.commit()
    outsider = api_as("belt")

    refused = outsider.post(f"/api/v1/projects/{project.key}/datasets",
                            {"name": "Mine", "kind": "continuous", "rows": [{"value": 1}]})
    assert refused.status_code == 403
    assert outsider.post(f"/api/v1/datasets/{ds.id}/rows",
                         {"rows": [{"value": 1}]}).status_code == 403
    assert outsider.get(f"/api/v1/datasets/{ds.id}").status_code == 200


def test_an_idempotency_key_imports_once(lead: Any, db: Any) -> None:
    url = f"/api/v1/projects/{lead.project.key}/datasets"
    body = {"name": "Once", "kind": "continuous", "rows": ROWS}

    first = lead.post(url, body, headers={"Idempotency-Key": "feed-2026-01-06"})
    second = lead.post(url, body, headers={"Idempotency-Key": "feed-2026-01-06"})

    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == second.get_json()["id"] and count(db) == 1


def test_unknown_fields_and_kinds_are_named(lead: Any, db: Any) -> None:
    url = f"/api/v1/projects/{lead.project.key}/datasets"

    kind = lead.post(url, {"name": "A", "kind": "weights", "rows": [{"value": 1}]})
    field = lead.post(url, {"name": "A", "kind": "continuous", "rows": [{"valu": 1}]})

    assert kind.status_code == 422 and "kind" in kind.get_json()["fields"]
    assert field.status_code == 422
    assert "rows[0] has an unknown field 'valu'" in field.get_json()["message"]


def test_a_file_above_the_limit_is_413_in_json(app: Any, lead: Any, db: Any) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = lead.client.post(
            f"/api/v1/projects/{lead.project.key}/datasets",
            data={"file": (io.BytesIO(b"value\n" + b"1.5\n" * 2000), "big.csv"),
                  "name": "Big", "kind": "continuous"},
            headers={"Authorization": f"Bearer {lead.token}"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit

    assert response.status_code == 413
    check_schema("Error", response.get_json())
    assert count(db) == 0
