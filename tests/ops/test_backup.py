"""``flask backup`` and ``restore``: a demo database and its stored files round-trip whole;
restore never silently replaces data; a damaged or foreign archive changes nothing."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade

from ciapp import create_app
from ciapp.demo import data as demo_data
from ciapp.demo.data import DEMO_PASSWORD
from ciapp.demo.services import demo_logins, load_demo
from ciapp.extensions import db

ATTACHMENT = b"%PDF-1.4 pretend control plan\n" + bytes(range(256))


def make_app(folder: Path) -> Flask:
    app = create_app({"SECRET_KEY": "x", "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/ciapp.sqlite"})
    app.instance_path = str(folder)  # files stored "in the instance folder" go here
    return app


def every_row(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(path)) as connection:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(),
                             key=repr) for name in names}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A migrated database with the demo loaded, and two stored attachment files. Its first
    four projects only (the three with data sets among them), to keep the module quick."""
    folder = tmp_path_factory.mktemp("live")
    app = make_app(folder)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_data, "PROJECTS", demo_data.PROJECTS[:4])
        upgrade()
        load_demo()
        db.session.commit()
        db.engine.dispose()
    (folder / "attachments" / "ab").mkdir(parents=True)
    (folder / "attachments" / "ab" / "cd0123").write_bytes(ATTACHMENT)
    (folder / "attachments" / "readme.txt").write_text("kept")
    (folder / "attachments" / ".upload-x.part").write_bytes(b"half an upload")
    archive = folder.parent / "demo-backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    yield app, folder, archive, result.output
    with app.app_context():
        db.engine.dispose()


def test_round_trip_finds_every_row_of_every_table(demo: Any, tmp_path: Path) -> None:
    _app, live, archive, output = demo
    rows = every_row(live / "ciapp.sqlite")
    assert len(rows["projects"]) == 4 and len(rows["dataset_versions"]) >= 3
    assert len(rows["users"]) > 10 and len(rows["audit_events"]) > 20
    assert f"Backed up {sum(len(v) for v in rows.values())} rows" in output
    assert "2 stored files" in output  # the half-written upload is not one of them

    target = make_app(tmp_path)
    result = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output

    assert every_row(tmp_path / "ciapp.sqlite") == rows
    assert (tmp_path / "attachments" / "ab" / "cd0123").read_bytes() == ATTACHMENT
    assert (tmp_path / "attachments" / "readme.txt").read_text() == "kept"
    assert not (tmp_path / "attachments" / ".upload-x.part").exists()
    # The restored copy is a working ciapp: ready, and a demo user signs in.
    client = target.test_client()
    assert client.get("/readyz").status_code == 200
    email = next(login.email for login in _logins(target))
    signed_in = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    with target.app_context():
        db.engine.dispose()


def _logins(app: Flask) -> Any:
    with app.app_context():
        return demo_logins()


def test_restore_refuses_a_database_with_data_unless_forced(demo: Any,
                                                            tmp_path: Path) -> None:
    _app, live, archive, _output = demo
    target = make_app(tmp_path)
    assert target.test_cli_runner().invoke(args=["restore", str(archive)]).exit_code == 0
    database = tmp_path / "ciapp.sqlite"
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("UPDATE projects SET title = 'changed after the backup'")
        connection.commit()
    changed = every_row(database)

    refused = target.test_cli_runner().invoke(args=["restore", str(archive)])
    assert refused.exit_code == 1
    assert "is not empty" in refused.output and "--force" in refused.output
    assert every_row(database) == changed

    forced = target.test_cli_runner().invoke(args=["restore", "--force", str(archive)])
    assert forced.exit_code == 0, forced.output
    assert every_row(database) == every_row(live / "ciapp.sqlite")


def test_backup_while_another_connection_writes(demo: Any, tmp_path: Path) -> None:
    """SQLite's online backup: a write transaction open elsewhere neither blocks the backup
    nor leaks into it half-done."""
    app, live, _archive, _output = demo
    writer = sqlite3.connect(live / "ciapp.sqlite", check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE projects SET title = 'not committed yet'")
    try:
        archive = tmp_path / "during.tar.gz"
        done = threading.Event()
        result: list[Any] = []

        def run() -> None:
            result.append(app.test_cli_runner().invoke(args=["backup", "-o", str(archive)]))
            done.set()

        threading.Thread(target=run).start()
        assert done.wait(30), "the backup waited for the writer"
    finally:
        writer.rollback()
        writer.close()
    assert result[0].exit_code == 0, result[0].output
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite", tmp_path, filter="data")
    titles = every_row(tmp_path / "database.sqlite")["projects"]
    assert titles and not any("not committed yet" in repr(row) for row in titles)


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_foreign_or_damaged_archive_changes_nothing(demo: Any, tmp_path: Path) -> None:
    _app, _live, archive, _output = demo
    target = make_app(tmp_path / "target")
    (tmp_path / "target").mkdir()
    runner = target.test_cli_runner()

    not_gzip = tmp_path / "notes.tar.gz"
    not_gzip.write_text("just text")
    result = runner.invoke(args=["restore", str(not_gzip)])
    assert result.exit_code == 1 and "cannot read" in result.output

    manifest = json.dumps({"app": "ciapp", "format": 1,
                           "database": {"tables": {}}, "files": []}).encode()
    escaping = _archive(tmp_path / "evil.tar.gz", {
        "manifest.json": manifest, "database.sqlite": b"", "files/attachments/../../x": b"x"})
    result = runner.invoke(args=["restore", str(escaping)])
    assert result.exit_code == 1 and "unexpected entry" in result.output
    assert not (tmp_path / "x").exists()

    # A stored file altered inside a real archive: refused before the database is touched.
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    members["files/attachments/readme.txt"] = b"tampered"
    tampered = _archive(tmp_path / "tampered.tar.gz", members)
    result = runner.invoke(args=["restore", str(tampered)])
    assert result.exit_code == 1 and "damaged" in result.output
    assert every_row(tmp_path / "target" / "ciapp.sqlite") == {}
    assert not (tmp_path / "target" / "attachments").exists()


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    app = create_app({"SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:9/ciapp"})
    for args in (["backup"], ["restore", str(tmp_path / "a.tar.gz")]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1
        assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output


def test_an_attachments_folder_outside_the_instance_folder_is_kept_too(
        demo: Any, tmp_path: Path) -> None:
    app, _live, _archive, _output = demo
    elsewhere = tmp_path / "shared-attachments"
    (elsewhere / "7f").mkdir(parents=True)
    (elsewhere / "7f" / "a1b2").write_bytes(ATTACHMENT)
    app.config["ATTACHMENTS_DIR"] = str(elsewhere)  # absolute: used as it is
    archive = tmp_path / "with-shared.tar.gz"
    try:
        result = app.test_cli_runner().invoke(args=["backup", "-o", str(archive)])
    finally:
        app.config["ATTACHMENTS_DIR"] = None
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        assert "files/attachments/7f/a1b2" in tar.getnames()

    target = make_app(tmp_path / "restored")
    target.config["ATTACHMENTS_DIR"] = "files-here"  # relative to the instance folder
    assert target.test_cli_runner().invoke(args=["restore", str(archive)]).exit_code == 0
    assert (tmp_path / "restored" / "files-here" / "7f" / "a1b2").read_bytes() == ATTACHMENT
