"""The attachment pages as people use them: attach a photo on the project page, a why, a
cause; download it safely; refusals are 4xx pages that say what was wrong and keep nothing;
only the project's editors attach and remove, and ids of another project are 404."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from ciapp.attachments import services
from ciapp.attachments.models import Attachment
from ciapp.improve import services as improve
from ciapp.rootcause import fishbone
from ciapp.rootcause import services as rootcause
from tests import factories
from tests.attachments import samples
from tests.attachments.conftest import files_in
from tests.conftest import sign_in


def post_file(client: Any, project: Any, data: bytes, name: str, **fields: str) -> Any:
    return client.post(f"/projects/{project.key}/attachments",
                       data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def said(response: Any) -> str:
    """The page's text as a person reads it (entities such as &#39; decoded)."""
    return html.unescape(response.text)


def count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def only(db: Any) -> Attachment:
    return db.session.scalars(select(Attachment)).one()


def test_a_photo_attached_on_the_project_page_shows_there_and_downloads(
        client: Any, db: Any, lead_project: Any) -> None:
    project, data = lead_project, samples.png()
    response = post_file(client, project, data, "jam at station 4.png")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/{project.key}#attachments")

    page = client.get(f"/projects/{project.key}").text
    row = only(db)
    href = f"/projects/{project.key}/attachments/{row.id}"
    assert "Attached jam at station 4.png." in page
    assert f'<a href="{href}" hx-boost="false" download>jam at station 4.png</a>' in page
    assert f'<img src="{href}?inline=1"' in page

    download = client.get(href)
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"] == \
        'attachment; filename="jam at station 4.png"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "default-src 'none'" in download.headers["Content-Security-Policy"]
    thumbnail = client.get(href + "?inline=1")
    assert thumbnail.headers["Content-Disposition"].startswith("inline;")


def test_only_images_are_ever_shown_inline(client: Any, db: Any, lead_project: Any) -> None:
    post_file(client, lead_project, samples.pdf(), "8D.pdf")
    post_file(client, lead_project, b"plain words\n", "notes.txt")
    for row in db.session.scalars(select(Attachment)):
        response = client.get(f"/projects/{lead_project.key}/attachments/{row.id}?inline=1")
        assert response.headers["Content-Disposition"].startswith("attachment;")
    text = db.session.scalars(select(Attachment).where(Attachment.filename == "notes.txt")).one()
    response = client.get(f"/projects/{lead_project.key}/attachments/{text.id}")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_an_executable_renamed_to_png_is_refused_with_a_clear_message(
        client: Any, db: Any, lead_project: Any, folder: Path) -> None:
    before = files_in(folder)
    response = post_file(client, lead_project, samples.executable(), "photo.png")
    assert response.status_code == 415
    assert ("'photo.png' was not saved: by its content it is an executable program (ELF), "
            "whatever its name says.") in said(response)
    assert 'role="alert"' in response.text and 'type="file"' in response.text
    assert count(db) == 0 and files_in(folder) == before


def test_a_file_above_the_size_limit_is_refused_and_nothing_is_saved(
        app: Flask, client: Any, db: Any, lead_project: Any, folder: Path) -> None:
    """With the default limit of 20 MiB: one byte more is refused."""
    assert app.config["ATTACHMENT_MAX_BYTES"] == 20 * 2**20
    before = files_in(folder)
    # Encoded here in memory: the test client spools a large body to a file it never closes.
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(b"a" * (20 * 2**20 + 1)), "log.txt")})
    response = client.post(f"/projects/{lead_project.key}/attachments", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "'log.txt' is larger than 20 MiB, the limit for one attachment." in said(response)
    assert count(db) == 0 and files_in(folder) == before


def test_a_lower_limit_set_in_the_settings_applies(app: Flask, client: Any, db: Any,
                                                   lead_project: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 2**10)
    assert post_file(client, lead_project, b"a" * 1025, "a.txt").status_code == 413
    assert post_file(client, lead_project, b"a" * 1024, "a.txt").status_code == 302


def test_a_request_above_the_upload_limit_is_a_413_page(app: Flask, client: Any, db: Any,
                                                        lead_project: Any,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2**10)
    response = post_file(client, lead_project, b"a" * 4096, "a.txt")
    assert response.status_code == 413
    assert "The upload is larger than 1 KiB" in response.text and count(db) == 0


@pytest.mark.parametrize(("data", "status", "message"), [
    (None, 422, "Choose a file to attach."),
    (samples.SVG, 415, "by its content it is HTML, XML or SVG markup"),
])
def test_missing_file_or_svg_is_a_4xx_page(client: Any, db: Any, lead_project: Any,
                                           data: bytes | None, status: int,
                                           message: str) -> None:
    if data is None:
        response = client.post(f"/projects/{lead_project.key}/attachments", data={})
    else:
        response = post_file(client, lead_project, data, "chart.svg")
    assert response.status_code == status and message in said(response)
    assert count(db) == 0


def test_a_file_in_a_folder_setting_of_its_own(app: Flask, client: Any, db: Any,
                                               lead_project: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "elsewhere"))
    post_file(client, lead_project, samples.pdf(), "report.pdf")
    stored = only(db).stored_name
    assert (tmp_path / "elsewhere" / stored[:2] / stored).read_bytes() == samples.pdf()


def test_whys_causes_and_countermeasures_each_show_their_own(client: Any, db: Any,
                                                             lead_project: Any) -> None:
    project, lead = lead_project, lead_project.lead
    chain = rootcause.create_chain(lead, project.id, "Late trucks")
    why = rootcause.add_why(lead, chain, "Loading starts late")
    bone = fishbone.get_or_create(project.id)
    cause = fishbone.add_cause(lead, bone, bone.categories[0].id, "Worn fixture")
    cm = improve.create_countermeasure(lead, project, "Fixed loading slots", [])
    db.session.commit()

    owners = {"why": (why.id, f"/projects/{project.key}/whys/{chain.id}#why-{why.id}"),
              "cause": (cause.id, f"/projects/{project.key}/fishbone#cause-{cause.id}"),
              "countermeasure": (cm.id, f"/projects/{project.key}/improve"
                                        f"#countermeasure-{cm.id}")}
    for kind, (ident, back) in owners.items():
        response = post_file(client, project, samples.png(), f"{kind}.png", owner=kind,
                             owner_id=str(ident))
        assert response.status_code == 302 and response.headers["Location"].endswith(back)

    pages = {"why": f"/projects/{project.key}/whys/{chain.id}",
             "cause": f"/projects/{project.key}/fishbone",
             "countermeasure": f"/projects/{project.key}/improve"}
    for kind, url in pages.items():
        text = client.get(url).text
        assert f">{kind}.png</a>" in text, kind
        assert {f">{k}.png</a>" in text for k in owners if k != kind} == {False}, kind
    assert ">why.png</a>" not in client.get(f"/projects/{project.key}").text
    listing = client.get(f"/projects/{project.key}/attachments").text
    assert "Why: Loading starts late" in listing and "Countermeasure: Fixed loading" in listing


def test_a_refused_upload_for_a_why_offers_the_form_for_that_why_again(
        client: Any, db: Any, lead_project: Any) -> None:
    chain = rootcause.create_chain(lead_project.lead, lead_project.id, "Late trucks")
    why = rootcause.add_why(lead_project.lead, chain, "Loading starts late")
    db.session.commit()
    response = post_file(client, lead_project, samples.HTML, "notes.txt", owner="why",
                         owner_id=str(why.id))
    assert response.status_code == 415
    assert "Attach to a why: Loading starts late" in said(response)
    assert f'name="owner_id" value="{why.id}"' in response.text


def test_an_editor_removes_an_attachment_and_its_file(client: Any, db: Any, lead_project: Any,
                                                      folder: Path) -> None:
    post_file(client, lead_project, samples.pdf(), "old plan.pdf")
    row = only(db)
    path = folder / row.stored_name[:2] / row.stored_name
    response = client.post(f"/projects/{lead_project.key}/attachments/{row.id}/delete")
    assert response.status_code == 302 and count(db) == 0 and not path.exists()
    assert "Removed the attachment old plan.pdf" in client.get(
        f"/projects/{lead_project.key}").text  # the project's history


def test_readers_download_but_neither_attach_nor_remove(app: Flask, db: Any,
                                                        folder: Path) -> None:
    project = factories.project(complete=True)
    row = services.add(project.lead, project, services.Owner("project"),
                       io.BytesIO(samples.pdf()), "plan.pdf", folder=folder,
                       max_bytes=2**20)
    viewer = factories.user("viewer")
    db.session.commit()
    client = app.test_client()
    sign_in(client, viewer)
    url = f"/projects/{project.key}/attachments/{row.id}"
    assert client.get(url).data == samples.pdf()
    assert 'type="file"' not in client.get(f"/projects/{project.key}").text
    assert post_file(client, project, samples.pdf(), "x.pdf").status_code == 403
    assert client.post(url + "/delete").status_code == 403
    assert count(db) == 1
    assert app.test_client().get(url).status_code == 302  # signed out: to the sign-in page


def test_a_member_of_project_a_gets_404_for_project_bs_attachments(
        client: Any, db: Any, lead_project: Any, folder: Path) -> None:
    other = factories.project(complete=True)
    theirs = services.add(other.lead, other, services.Owner("project"),
                          io.BytesIO(samples.pdf()), "secret.pdf", folder=folder,
                          max_bytes=2**20)
    chain = rootcause.create_chain(other.lead, other.id, "Their problem")
    their_why = rootcause.add_why(other.lead, chain, "Their why")
    db.session.commit()
    mine = f"/projects/{lead_project.key}/attachments/{theirs.id}"

    download = client.get(mine)
    assert download.status_code == 404
    assert f"Attachment {theirs.id} was not found in {lead_project.key}" in download.text
    assert client.post(mine + "/delete").status_code == 404
    assert db.session.get(Attachment, theirs.id) is not None
    upload = post_file(client, lead_project, samples.png(), "x.png", owner="why",
                       owner_id=str(their_why.id))
    assert upload.status_code == 404 and count(db) == 1


def test_an_upload_without_the_csrf_token_is_refused(client: Any, db: Any, lead_project: Any,
                                                     csrf_enabled: None) -> None:
    response = post_file(client, lead_project, samples.png(), "a.png")
    assert response.status_code == 400 and "security token" in response.text
    assert count(db) == 0


def test_a_name_beyond_ascii_downloads_under_its_own_name(client: Any, db: Any,
                                                          lead_project: Any) -> None:
    post_file(client, lead_project, samples.pdf(), "Prüfbericht Linie 3.pdf")
    response = client.get(f"/projects/{lead_project.key}/attachments/{only(db).id}")
    # RFC 6266 / RFC 5987: an ASCII fallback, and the exact name in UTF-8.
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Prufbericht Linie 3.pdf\"; "
        "filename*=UTF-8''Pr%C3%BCfbericht%20Linie%203.pdf")
