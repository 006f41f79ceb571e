"""A gunicorn worker killed (SIGKILL) in the middle of a write leaves the database
consistent: nothing of that request is saved, nothing is locked, the master starts a new
worker, and the same write then succeeds. Against a real gunicorn on 127.0.0.1, on the
test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.auth.services import issue_token
from ciapp.datasets.models import Dataset, DatasetVersion
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(port: int, method: str, path: str, body: Any = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body) if body is not None else None
        connection.request(method, path, body=payload, headers={
            "Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def gunicorn(app: Any, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port, stall = free_port(), tmp_path / "stalled"
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CIAPP_SECRET_KEY": "worker-kill-test", "CIAPP_TEST_STALL_FILE": str(stall)}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--timeout", "120", "--preload",
         "--graceful-timeout", "5",
         "--bind", f"127.0.0.1:{port}", "tests.ops.stalling_wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if call(port, "GET", "/readyz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not get ready"
            time.sleep(0.2)
        yield port, stall
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def counts(db: Any) -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count()).select_from(model))  # type: ignore[return-value]
                 for model in (Dataset, DatasetVersion, AuditEvent))


def test_a_worker_killed_mid_write_leaves_the_database_consistent(
        committing_db: Any, gunicorn: tuple[int, Path]) -> None:
    db = committing_db
    port, stall = gunicorn
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    token = issue_token(lead)
    db.session.commit()
    path = f"/api/v1/projects/{project.key}/datasets"
    body = {"name": "Fill weight", "kind": "continuous",
            "rows": [{"value": 500 + n / 10} for n in range(50)]}
    auth = {"Authorization": f"Bearer {token}"}
    call(port, "GET", "/api/v1/projects", headers=auth)  # the token's first use, noted apart
    before = counts(db)

    outcome: list[Any] = []

    def write() -> None:
        try:
            outcome.append(call(port, "POST", path, body, {**auth, "X-Test-Stall": "1"}))
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 30
    while not (stall.exists() and stall.read_text()):
        assert time.monotonic() < deadline, "the write never reached its first flush"
        time.sleep(0.05)
    os.kill(int(stall.read_text()), signal.SIGKILL)  # rows flushed, nothing committed
    writer.join(30)
    stall.unlink()

    assert not isinstance(outcome[0], tuple), f"the killed request was answered: {outcome}"
    assert counts(db) == before  # nothing of the killed request is saved
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []

    # Nothing is left locked: the same write goes through (on whichever worker, the new
    # one the master started included), and is saved whole.
    status, answer = call(port, "POST", path, body, auth)
    assert status == 201, answer
    created = json.loads(answer)
    assert created["rows"] == 50 and created["version"] == 1
    datasets, versions, events = counts(db)
    assert (datasets, versions) == (before[0] + 1, before[1] + 1) and events > before[2]
    assert call(port, "GET", "/readyz")[0] == 200
