"""Keeping, refusing and removing attachments: the row and the file on disk always agree,
whatever way the transaction ends."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import func, select

from ciapp.attachments import services, storage
from ciapp.attachments.models import Attachment
from ciapp.audit.models import AuditEvent
from ciapp.core.errors import NotFound
from ciapp.rootcause import services as rootcause
from tests import factories
from tests.attachments import samples
from tests.attachments.conftest import files_in

LIMIT = 20 * 2**20


def attach(user: Any, project: Any, data: bytes, name: str, folder: Path,
           owner: services.Owner | None = None, limit: int = LIMIT) -> Attachment:
    return services.add(user, project, owner or services.Owner("project"), io.BytesIO(data),
                        name, folder=folder, max_bytes=limit)


def count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def test_a_kept_file_is_on_disk_with_its_hash_type_and_an_audit_line(db: Any,
                                                                     folder: Path) -> None:
    project = factories.project(complete=True)
    data = samples.png()
    row = attach(project.lead, project, data, "line 3 jam.png", folder)
    db.session.commit()

    path = storage.path_of(folder, row.stored_name)
    assert path.read_bytes() == data
    assert (row.filename, row.content_type, row.size) == ("line 3 jam.png", "image/png",
                                                          len(data))
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.stored_name not in row.filename and "line" not in str(path)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "attachment")).one()
    assert event.summary.startswith("Attached line 3 jam.png (")
    assert event.summary.endswith(") to the project") and event.project_id == project.id


@pytest.mark.parametrize(("data", "name", "status", "words"), [
    (samples.executable(), "photo.png", 415, "an executable program (ELF)"),
    (samples.HTML, "notes.txt", 415, "HTML, XML or SVG markup"),
    (samples.png(), "photo.pdf", 415, "its name says a PDF document"),
    (b"", "empty.txt", 422, "is empty"),
    (b"x" * 1001, "big.txt", 413, "larger than 1000 bytes"),
])
def test_a_refused_file_leaves_no_row_and_no_file(db: Any, folder: Path, data: bytes,
                                                  name: str, status: int, words: str) -> None:
    project = factories.project(complete=True)
    before = files_in(folder)
    with pytest.raises(services.DomainError) as caught:
        attach(project.lead, project, data, name, folder, limit=1000 if status == 413 else LIMIT)
    assert caught.value.status == status and words in caught.value.message
    assert name in caught.value.message and "file" in caught.value.fields
    assert files_in(folder) == before and count(db) == 0


def test_exactly_at_the_limit_is_kept(db: Any, folder: Path) -> None:
    project = factories.project(complete=True)
    assert attach(project.lead, project, b"a" * 1000, "a.txt", folder, limit=1000).size == 1000


def test_a_rolled_back_upload_takes_its_file_with_it(db: Any, folder: Path) -> None:
    project = factories.project(complete=True)
    db.session.commit()
    before = files_in(folder)
    row = attach(project.lead, project, samples.pdf(), "8D report.pdf", folder)
    path = storage.path_of(folder, row.stored_name)
    assert path.exists()  # written before the row, so a commit never names a missing file
    db.session.rollback()
    assert not path.exists() and files_in(folder) == before


def test_a_removal_takes_the_file_only_when_it_commits(db: Any, folder: Path) -> None:
    project = factories.project(complete=True)
    row = attach(project.lead, project, samples.CSV, "readings.csv", folder)
    db.session.commit()
    path = storage.path_of(folder, row.stored_name)

    services.delete(project.lead, row, folder)
    db.session.rollback()
    assert path.exists() and count(db) == 1

    row = db.session.get(Attachment, row.id)
    services.delete(project.lead, row, folder)
    db.session.commit()
    assert not path.exists() and count(db) == 0
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "attachment", AuditEvent.action == "delete")).one()
    assert event.summary == "Removed the attachment readings.csv"


def test_an_owner_of_another_project_is_not_found(db: Any) -> None:
    a, b = factories.project(complete=True), factories.project(complete=True)
    chain = rootcause.create_chain(b.lead, b.id, "Late trucks")
    why = rootcause.add_why(b.lead, chain, "Loading starts late")
    with pytest.raises(NotFound, match=f"Why {why.id} was not found in {a.key}"):
        services.owner_of(a, "why", str(why.id))
    assert services.owner_of(b, "why", str(why.id)) == services.Owner(
        "why", why.id, "Loading starts late")


@pytest.mark.parametrize(("kind", "ident", "words"), [
    ("photo", "1", "'photo' is none of them"), ("why", "", "say which why"),
    ("cause", "²", "say which cause")])
def test_a_bad_owner_is_refused(db: Any, kind: str, ident: str, words: str) -> None:
    project = factories.project()
    with pytest.raises(services.DomainError, match=words):
        services.owner_of(project, kind, ident)


def test_removing_a_why_removes_its_attachments_and_sweep_their_files(
        app: Any, db: Any, folder: Path) -> None:
    project = factories.project(complete=True)
    chain = rootcause.create_chain(project.lead, project.id, "Late trucks")
    why = rootcause.add_why(project.lead, chain, "Loading starts late")
    row = attach(project.lead, project, samples.png(), "dock.png", folder,
                 services.owner_of(project, "why", str(why.id)))
    kept = attach(project.lead, project, samples.pdf(), "charter.pdf", folder)
    db.session.commit()
    assert row.owner_kind == "why" and row.owner_id == why.id
    row_id, stray = row.id, storage.path_of(folder, row.stored_name)

    rootcause.delete_chain(project.lead, chain)  # the chain's whys go by the database cascade
    db.session.commit()
    assert db.session.get(Attachment, row_id) is None
    assert stray.exists()
    old = time.time() - 2 * 86400
    os.utime(stray, (old, old))
    result: Result = app.test_cli_runner().invoke(args=["attachments", "sweep"])
    assert result.exit_code == 0, result.output
    assert f"removed {stray}" in result.output
    assert not stray.exists() and storage.path_of(folder, kept.stored_name).exists()
