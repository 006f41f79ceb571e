"""Backup and restore of the embedded SQLite database and the instance folder's stored files.

One ``.tar.gz`` archive holds ``manifest.json`` (format, revision, row count of every table,
size and SHA-256 of every file), ``database.sqlite`` (a copy made with SQLite's online backup
API, consistent while the app keeps serving) and ``files/<folder>/...``: every subfolder of
the instance folder (attachments and whatever else is stored there), plus the attachments
folder when ``ATTACHMENTS_DIR`` puts it elsewhere. The instance folder's own files (the
database, ``secret_key``) are not copied as files: the secret key is a secret, and a new one
only signs everybody out.

Plain functions on paths: no Flask, no SQLAlchemy session. PostgreSQL is backed up with
``pg_dump`` (see the README), not here.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.sqlite"
FILES = "files"
SKIPPED_FOLDERS = frozenset({"backups"})  # never archive earlier archives


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    revision: str | None
    tables: dict[str, int]
    files: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class FileStores:
    """Where each folder of stored files lives: its archive name and its path."""

    folders: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def of(cls, instance_path: str | os.PathLike[str],
           attachments_dir: str | os.PathLike[str] | None) -> FileStores:
        folders: dict[str, Path] = {}
        instance = Path(instance_path)
        if instance.is_dir():
            for child in sorted(instance.iterdir()):
                if (child.is_dir() and not child.name.startswith(".")
                        and child.name not in SKIPPED_FOLDERS):
                    folders[child.name] = child
        if attachments_dir:  # as the attachments area reads it: relative to the instance
            folders["attachments"] = instance / attachments_dir
        return cls(folders)

    def path_for(self, name: str, instance_path: str | os.PathLike[str]) -> Path:
        return self.folders.get(name, Path(instance_path) / name)


def default_archive_name(now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    return Path(f"ciapp-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    # The names come from sqlite_master itself, quoted: no outside text reaches the SQL.
    query = 'SELECT count(*) FROM "{}"'
    return {name: connection.execute(query.format(name)).fetchone()[0] for name in names}


def revision_of(connection: sqlite3.Connection) -> str | None:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return None
    return ", ".join(sorted(row[0] for row in rows)) or None


def _check_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} fails SQLite's integrity check: {result}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stored_files(stores: FileStores, skip: Path) -> Iterator[tuple[str, Path]]:
    for name, folder in stores.folders.items():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            # Dot files are uploads still being written (attachments' ".upload-*.part").
            if (path.is_file() and not path.is_symlink() and not path.name.startswith(".")
                    and path.resolve() != skip):
                yield f"{FILES}/{name}/{path.relative_to(folder).as_posix()}", path


def backup(database: Path, stores: FileStores, archive: Path) -> Summary:
    """Write ``archive`` from the live database and the stored files.

    SQLite's backup API copies the pages inside one read transaction, so the copy is the
    database as it was at one instant, while writers go on (WAL mode). The archive is
    written beside its final name and renamed at the end: a failed backup leaves no
    half-written archive under the name.
    """
    if not database.is_file():
        raise BackupError(f"there is no database at {database}: nothing to back up")
    archive = archive.resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".ciapp-backup-") as work:
        copy = Path(work) / DATABASE
        with closing(_connect_readonly(database)) as source, \
                closing(sqlite3.connect(copy)) as target:
            source.backup(target)
            # One self-contained file, whatever journal mode the live database uses.
            target.execute("PRAGMA journal_mode=DELETE")
            _check_integrity(target, "the copy of the database")
            tables = table_counts(target)
            revision = revision_of(target)
        files = [(name, path, path.stat().st_size, _sha256(path))
                 for name, path in _stored_files(stores, skip=archive)]
        manifest = {
            "format": FORMAT, "app": "ciapp",
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"dialect": "sqlite", "revision": revision, "tables": tables},
            "files": [{"name": name, "size": size, "sha256": digest}
                      for name, _path, size, digest in files],
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(copy, arcname=DATABASE)
            for name, path, _size, _digest in files:
                tar.add(path, arcname=name)
        partial.chmod(0o600)  # it holds password hashes
        os.replace(partial, archive)
    return Summary(archive, revision, tables, len(files))


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
        manifest = json.load(handle) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("app") != "ciapp":
        raise BackupError("this is not a ciapp backup (no readable manifest.json)")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"this backup has format {manifest.get('format')!r}; this version "
                          f"of ciapp reads format {FORMAT}")
    return manifest


def _members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """Every member, checked: regular files with plain relative names, nothing else."""
    members: dict[str, tarfile.TarInfo] = {}
    for info in tar.getmembers():
        parts = PurePosixPath(info.name).parts
        if (not info.isfile() or info.name.startswith("/") or ".." in parts
                or (info.name not in (MANIFEST, DATABASE)
                    and (len(parts) < 3 or parts[0] != FILES))):
            raise BackupError(f"the archive holds an unexpected entry {info.name!r}; "
                              "it was not written by 'flask backup'")
        members[info.name] = info
    if DATABASE not in members:
        raise BackupError("the archive holds no database.sqlite")
    return members


def rows_in(database: Path) -> dict[str, int]:
    """Row counts of the tables that hold data (not the migration bookkeeping)."""
    if not database.is_file() or database.stat().st_size == 0:
        return {}
    with closing(_connect_readonly(database)) as connection:
        counts = table_counts(connection)
    counts.pop("alembic_version", None)
    return {name: count for name, count in counts.items() if count}


def _copy_out(handle: IO[bytes], destination: Path, sha256: str | None = None) -> None:
    """Stream ``handle`` into ``destination``, checking its SHA-256 when one is given."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with destination.open("wb") as out:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    if sha256 is not None and digest.hexdigest() != sha256:
        raise BackupError(f"{destination.name} does not match the archive's manifest; "
                          "the archive is damaged")


def restore(archive: Path, database: Path, stores: FileStores, instance_path: Path,
            *, force: bool = False) -> Summary:
    """Put the archive's database and files back.

    Refuses to replace a database that holds rows unless ``force``. The database is written
    with the backup API into the existing file (not by swapping files), so its WAL and any
    open connection stay coherent; files are written beside their place and renamed.
    """
    if not archive.is_file():
        raise BackupError(f"there is no archive at {archive}")
    existing = rows_in(database)
    if existing and not force:
        raise BackupError(
            f"the database {database} is not empty ({sum(existing.values())} rows in "
            f"{len(existing)} tables); restoring replaces all of it: add --force to do so")
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory(
                prefix=".ciapp-restore-", dir=database.parent) as work:
            revision, tables, files = _restore_from(tar, Path(work), database, stores,
                                                    instance_path)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"cannot read {archive} as a ciapp backup ({exc})") from None
    return Summary(archive, revision, tables, files)


def _restore_from(tar: tarfile.TarFile, work: Path, database: Path, stores: FileStores,
                  instance_path: Path) -> tuple[str | None, dict[str, int], int]:
    manifest = _manifest(tar)
    members = _members(tar)
    copy = work / DATABASE
    _copy_out(_open(tar, members[DATABASE]), copy)
    with closing(sqlite3.connect(copy)) as source:
        _check_integrity(source, "the archive's database")
        tables = table_counts(source)
        if tables != manifest["database"]["tables"]:
            raise BackupError("the archive's database does not hold the rows its manifest "
                              "lists; the archive is damaged")
        revision = revision_of(source)
    expected = {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    # Every file is read and checked before anything is replaced, so a damaged archive
    # changes nothing.
    stored = [(name, info) for name, info in members.items() if name.startswith(FILES + "/")]
    staged = [(_staged_file(tar, info, expected, work / "staged" / str(number)),
               _destination(name, stores, instance_path))
              for number, (name, info) in enumerate(stored)]
    with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(database)) as target:
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise BackupError(f"could not write {database} ({exc}); stop the app servers "
                              "and try again") from None
    for source_path, destination in staged:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source_path, destination)
    return revision, tables, len(staged)


def _open(tar: tarfile.TarFile, info: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(info)
    if handle is None:
        raise BackupError(f"cannot read {info.name} from the archive")
    return handle


def _staged_file(tar: tarfile.TarFile, info: tarfile.TarInfo, expected: dict[str, str],
                 staged: Path) -> Path:
    if info.name not in expected:
        raise BackupError(f"{info.name} is not in the archive's manifest; the archive is "
                          "damaged")
    _copy_out(_open(tar, info), staged, expected[info.name])
    return staged


def _destination(name: str, stores: FileStores, instance_path: Path) -> Path:
    _files, folder_name, *rest = PurePosixPath(name).parts
    root = stores.path_for(folder_name, instance_path).resolve()
    destination = root.joinpath(*rest).resolve()
    if not destination.is_relative_to(root):
        raise BackupError(f"the archive entry {name!r} points outside its folder")
    return destination
