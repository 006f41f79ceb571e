"""Attaching a file to a project or to one of its whys, fishbone causes or
countermeasures; listing and removing attachments. Services flush, never commit; the file
on disk follows the transaction (see ``storage``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError, NotFound
from ..core.records import child_or_404
from ..core.validators import parse_whole
from ..extensions import db
from ..improve.models import Countermeasure
from ..projects.models import Project
from ..rootcause.models import Cause, Why
from . import sniff, storage
from .models import OWNER_COLUMNS, OWNER_KINDS, OWNER_LABELS, Attachment

OWNER_MODELS: dict[str, tuple[type, str]] = {
    "why": (Why, "Why"), "cause": (Cause, "Cause"),
    "countermeasure": (Countermeasure, "Countermeasure")}


class TooLarge(DomainError):
    status = 413


class NotAllowed(DomainError):
    status = 415


@dataclass(frozen=True)
class Owner:
    """What an attachment belongs to: ``kind`` and, except for the project, the row's id."""

    kind: str
    id: int | None = None
    title: str = ""

    def columns(self) -> dict[str, int]:
        return {OWNER_COLUMNS[self.kind]: self.id} if self.id is not None else {}

    @property
    def label(self) -> str:
        return OWNER_LABELS[self.kind] + (f": {self.title[:60]}" if self.title else "")


def owner_of(project: Project, kind: Any, ident: Any) -> Owner:
    """The owner named by a form or request, checked to be of ``project``: the id of
    another project's why is 404, as a missing one."""
    kind = "project" if kind is None else kind
    if kind not in OWNER_KINDS:
        raise DomainError(f"An attachment belongs to {', '.join(OWNER_KINDS)}; "
                          f"'{str(kind)[:40]}' is none of them.", field="owner")
    if kind == "project":
        if ident is not None:
            raise DomainError("owner_id names a why, a cause or a countermeasure; leave it "
                              "out for the project itself.", field="owner_id")
        return Owner("project")
    model, what = OWNER_MODELS[kind]
    try:
        number = parse_whole(str(ident if ident is not None else ""), minimum=1)
    except ValueError as exc:
        raise DomainError(f"owner_id: say which {kind} the file is for. {exc}",
                          field="owner_id") from None
    row = child_or_404(model, number, project.id, what=what, within=f" in {project.key}")
    return Owner(kind, row.id, getattr(row, "text", None) or getattr(row, "title", ""))


def size_text(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MiB".replace(".0 ", " ")
    if size >= 2**10:
        return f"{size / 2**10:.0f} KiB"
    return f"{size} bytes"


def add(user: User, project: Project, owner: Owner, stream: BinaryIO | None,
        filename: str | None, *, folder: Path, max_bytes: int) -> Attachment:
    """Keep the uploaded file if its bytes are a kind ciapp keeps and it is within
    ``max_bytes``; otherwise refuse it (413, 415, 422) and keep nothing."""
    name = sniff.clean_name(filename or "")
    if stream is None or not name:
        raise DomainError("Choose a file to attach.", field="file")
    try:
        received = storage.receive(stream, folder, max_bytes)
    except storage.TooLarge:
        raise TooLarge(f"'{name}' is larger than {size_text(max_bytes)}, the limit for one "
                       "attachment. Nothing was saved: make it smaller (a photo at a lower "
                       "resolution, a PDF without its scans) or split it.",
                       field="file") from None
    try:
        kind, name = _accepted(received, name)
    except DomainError:
        storage.discard(received)
        raise
    row = Attachment(project_id=project.id, filename=name, content_type=kind.content_type,
                     size=received.size, sha256=received.sha256,
                     stored_name=storage.keep(db.session, received, folder),
                     uploaded_by_id=user.id, **owner.columns())
    db.session.add(row)
    db.session.flush()
    audit.record(user, "add", "attachment", row.id, project_id=project.id,
                 summary=f"Attached {name} ({size_text(row.size)}) to {owner.label}")
    return row


def _accepted(received: storage.Received, name: str) -> tuple[sniff.Kind, str]:
    if received.size == 0:
        raise DomainError(f"'{name}' is empty; nothing was saved.", field="file")
    try:
        kind = sniff.detect(received.path)
    except sniff.Refused as refused:
        raise NotAllowed(f"'{name}' was not saved: by its content it is {refused.what}, "
                         f"whatever its name says. Attach {sniff.ALLOWED}.",
                         field="file") from None
    if kind is sniff.TEXT:
        kind = sniff.text_kind(name)
    named = sniff.named_for(name, kind)
    if isinstance(named, sniff.Kind):
        raise NotAllowed(f"'{name}' was not saved: by its content it is {kind.label}, but "
                         f"its name says {named.label}. Rename it to end in "
                         f"{kind.extensions[0]} if that is what it is.", field="file")
    return kind, named


def delete(user: User, attachment: Attachment, folder: Path) -> None:
    """Remove the attachment; its file goes once the transaction commits."""
    storage.remove_after_commit(db.session, folder, attachment.stored_name)
    audit.record(user, "delete", "attachment", attachment.id,
                 project_id=attachment.project_id,
                 summary=f"Removed the attachment {attachment.filename}",
                 changes={"filename": [attachment.filename, None],
                          "sha256": [attachment.sha256, None]})
    db.session.delete(attachment)
    db.session.flush()


def project_attachments(project_id: int, owner: Owner | None = None) -> list[Attachment]:
    """Newest first; only ``owner``'s when given."""
    stmt = (select(Attachment).where(Attachment.project_id == project_id)
            .options(selectinload(Attachment.uploaded_by))
            .order_by(Attachment.created_at.desc(), Attachment.id.desc()))
    if owner is not None:
        for kind, column in OWNER_COLUMNS.items():
            value = owner.id if kind == owner.kind else None
            stmt = stmt.where(getattr(Attachment, column).is_(None) if value is None
                              else getattr(Attachment, column) == value)
    return list(db.session.scalars(stmt))


def by_owner(project_id: int) -> dict[tuple[str, int], list[Attachment]]:
    """Every attachment of the project, by (owner kind, owner id): one query for a page
    that shows the attachments of many whys."""
    grouped: dict[tuple[str, int], list[Attachment]] = defaultdict(list)
    for row in project_attachments(project_id):
        grouped[(row.owner_kind, row.owner_id)].append(row)
    return grouped


def file_of(attachment: Attachment, folder: Path) -> Path:
    path = storage.path_of(folder, attachment.stored_name)
    if not path.is_file():
        raise NotFound(f"The file of attachment {attachment.id} ({attachment.filename}) is "
                       "missing from the attachment folder; an administrator can restore it "
                       "from a backup.")
    return path
