"""The bytes of attachments on disk, kept in step with the database rows.

An upload is copied to a temporary file in the attachment folder, counting and hashing as
it goes and stopping at the size limit; once its content is accepted it is moved to its
generated name. The session then remembers the new file: if the transaction ends without
a commit (a refusal, a failed flush, a failed commit), the file is removed, so no file is
left without its row. A deleted attachment's file is removed only after the commit, so a
rolled-back delete keeps it. Files whose rows went with their project, why, cause or
countermeasure (the database's cascade) are left to ``flask attachments sweep``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

CHUNK = 1 << 16
NEW_FILES = "attachments.new_files"
DOOMED_FILES = "attachments.doomed_files"
TEMP_PREFIX = ".upload-"
STORED_NAME = re.compile(r"[0-9a-f]{32}")


class TooLarge(Exception):
    """The upload went past ``limit`` bytes; nothing of it is kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(frozen=True)
class Received:
    path: Path
    size: int
    sha256: str


def folder_for(setting: str | None, instance_path: str) -> Path:
    """The attachment folder: the setting (relative to the instance folder), by default
    ``<instance>/attachments``."""
    return Path(instance_path, setting or "attachments")


def receive(stream: BinaryIO, folder: Path, max_bytes: int) -> Received:
    """Copy ``stream`` to a temporary file in ``folder``; TooLarge past ``max_bytes``."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Received(Path(name), size, digest.hexdigest())


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def path_of(folder: Path, stored_name: str) -> Path:
    # Two-character shards keep any one directory small.
    return folder / stored_name[:2] / stored_name


def keep(session: Session, received: Received, folder: Path) -> str:
    """Move the accepted upload to a new generated name; removed again unless the
    session's transaction commits."""
    stored_name = secrets.token_hex(16)
    target = path_of(folder, stored_name)
    target.parent.mkdir(exist_ok=True)
    os.replace(received.path, target)
    session.info.setdefault(NEW_FILES, []).append(target)
    return stored_name


def remove_after_commit(session: Session, folder: Path, stored_name: str) -> None:
    session.info.setdefault(DOOMED_FILES, []).append(path_of(folder, stored_name))


def _committed(session: Session) -> None:
    session.info.pop(NEW_FILES, None)
    for path in session.info.pop(DOOMED_FILES, []):
        path.unlink(missing_ok=True)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    # after_commit has already claimed the files of a committed transaction; whatever
    # is still listed when the outermost transaction ends was rolled back or abandoned.
    if transaction.parent is not None:
        return
    for path in session.info.pop(NEW_FILES, []):
        path.unlink(missing_ok=True)
    session.info.pop(DOOMED_FILES, None)


def listen() -> None:
    """Tie files to transactions on every session (idempotent)."""
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_transaction_end", _ended)


def stray_files(folder: Path, known: set[str], older_than: float) -> list[Path]:
    """Files ciapp wrote to ``folder`` that no row names (``known`` stored names), and
    uploads abandoned mid-way, last changed before ``older_than`` (a timestamp; uploads in
    flight are younger). Only names ciapp generates are considered, so a folder shared
    with other files loses none of them."""
    if not folder.is_dir():
        return []
    ours = [p for p in folder.glob(f"{TEMP_PREFIX}*.part")]
    ours += [p for p in folder.glob("??/*") if STORED_NAME.fullmatch(p.name)
             and p.parent.name == p.name[:2] and p.name not in known]
    return [p for p in ours if p.is_file() and p.stat().st_mtime < older_than]
