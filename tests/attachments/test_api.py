"""The attachment API as a script uses it: upload a file for a project or a why, list,
download, delete; refusals are JSON 4xx naming what was wrong, nothing is kept, and every
answer matches the OpenAPI document."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.attachments.models import Attachment
from ciapp.rootcause import services as rootcause
from tests import factories
from tests.api.conftest import check_schema
from tests.attachments import samples
from tests.attachments.conftest import files_in


@pytest.fixture
def lead(api_as: Any) -> Any:
    api = api_as("belt")
    api.project = factories.project(api.user, complete=True)
    api.url = f"/api/v1/projects/{api.project.key}/attachments"
    return api


def upload(api: Any, data: bytes, name: str, **fields: str) -> Any:
    return api.post(api.url, data={"file": (io.BytesIO(data), name), **fields},
                    content_type="multipart/form-data")


def count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def test_upload_list_download_delete(lead: Any, db: Any) -> None:
    data = samples.xlsx()
    created = upload(lead, data, "scrap by shift.xlsx")
    assert created.status_code == 201
    body = created.get_json()
    check_schema("Attachment", body)
    assert body["content_type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (body["filename"], body["size"]) == ("scrap by shift.xlsx", len(data))
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["owner"] == {"kind": "project", "id": lead.project.id}
    assert created.headers["Location"].endswith(f"{lead.url}/{body['id']}")

    listed = lead.get(lead.url).get_json()
    check_schema("AttachmentList", listed)
    assert [a["id"] for a in listed["items"]] == [body["id"]]

    download = lead.get(body["links"]["download"])
    assert download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    gone = lead.call("DELETE", body["links"]["download"])
    assert gone.status_code == 204 and count(db) == 0
    assert lead.get(body["links"]["download"]).status_code == 404


def test_a_file_for_a_why_is_listed_under_that_why(lead: Any, db: Any) -> None:
    chain = rootcause.create_chain(lead.user, lead.project.id, "Late trucks")
    why = rootcause.add_why(lead.user, chain, "Loading starts late")
    db.session.commit()
    made = upload(lead, samples.png(), "dock.png", owner="why", owner_id=str(why.id))
    upload(lead, samples.pdf(), "charter.pdf")
    assert made.get_json()["owner"] == {"kind": "why", "id": why.id}
    only_why = lead.get(f"{lead.url}?owner=why&owner_id={why.id}").get_json()["items"]
    only_project = lead.get(f"{lead.url}?owner=project").get_json()["items"]
    assert [a["filename"] for a in only_why] == ["dock.png"]
    assert [a["filename"] for a in only_project] == ["charter.pdf"]


@pytest.mark.parametrize(("data", "name", "status", "words"), [
    (samples.executable(), "photo.png", 415, "by its content it is an executable program"),
    (samples.HTML, "page.html", 415, "HTML, XML or SVG markup"),
    (samples.office("xlsm"), "costs.xlsx", 415, "with macros"),
    (b"", "empty.csv", 422, "is empty"),
])
def test_refused_files_are_4xx_and_keep_nothing(lead: Any, db: Any, folder: Path,
                                                data: bytes, name: str, status: int,
                                                words: str) -> None:
    before = files_in(folder)
    response = upload(lead, data, name)
    assert response.status_code == status
    assert words in response.get_json()["message"]
    assert "file" in response.get_json()["fields"]
    assert count(db) == 0 and files_in(folder) == before


def test_above_the_size_limit_is_413(app: Any, lead: Any, db: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 100)
    response = upload(lead, b"x" * 101, "notes.txt")
    assert response.status_code == 413
    assert response.get_json()["message"].startswith(
        "'notes.txt' is larger than 100 bytes, the limit for one attachment.")
    assert count(db) == 0


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"json": {"file": "aGVsbG8="}}, 415, "multipart/form-data"),
    ({"data": {"owner": "project"}, "content_type": "multipart/form-data"}, 422,
     "exactly one file"),
    ({"data": {"file": (io.BytesIO(b"a"), "a.txt"), "colour": "red"},
      "content_type": "multipart/form-data"}, 422, "Unknown field 'colour'"),
    ({"data": {"file": (io.BytesIO(b"a"), "a.txt"), "owner": "kpi"},
      "content_type": "multipart/form-data"}, 422, "'kpi' is none of them"),
])
def test_malformed_uploads_say_what_is_wrong(lead: Any, db: Any, kwargs: dict[str, Any],
                                             status: int, words: str) -> None:
    response = lead.call("POST", lead.url, **kwargs)
    assert response.status_code == status and words in response.get_json()["message"]
    assert count(db) == 0


def test_another_projects_attachment_is_404_and_readers_cannot_write(
        lead: Any, api_as: Any, db: Any) -> None:
    other = factories.project(complete=True)
    theirs = upload(lead, samples.pdf(), "mine.pdf").get_json()
    viewer = api_as("viewer")
    assert viewer.get(theirs["links"]["download"]).status_code == 200
    viewer.url = lead.url
    refused = upload(viewer, samples.pdf(), "x.pdf")
    assert refused.status_code == 403
    assert "attach or remove files" in refused.get_json()["message"]
    assert viewer.call("DELETE", theirs["links"]["download"]).status_code == 403

    elsewhere = f"/api/v1/projects/{other.key}/attachments/{theirs['id']}"
    lead_of_other = api_as(user=other.lead)
    assert lead_of_other.get(elsewhere).status_code == 404
    assert lead_of_other.call("DELETE", elsewhere).status_code == 404
    assert count(db) == 1
