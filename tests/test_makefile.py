"""The Makefile's vendor step: `npm ci` runs when the lock file changed, not on every `make`.

Run in a scratch folder with a stand-in `npm` on PATH that only records that it ran, so
the test needs make but neither npm nor the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAKE_NPM = """#!/bin/sh
echo "$@" >> npm-calls.log
mkdir -p static/vendor && echo "htmx" > static/vendor/htmx.min.js
"""

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ("Makefile", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(0o755)
    return tmp_path


def npm_runs(folder: Path) -> int:
    env = {**os.environ, "PATH": f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["make", "--no-print-directory", "vendor"], cwd=folder, env=env,
                   check=True, capture_output=True)
    log = folder / "npm-calls.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def edit(lock: Path, folder: Path) -> None:
    """The lock file changes after the last install: the install's stamp is now older
    (set back in time, since file times can be coarser than this test is quick)."""
    lock.write_text(lock.read_text() + "\n")
    for made in (folder / "static/vendor").iterdir():
        past = lock.stat().st_mtime - 10
        os.utime(made, (past, past))


def test_npm_ci_runs_only_when_the_lock_file_changed(checkout: Path) -> None:
    assert npm_runs(checkout) == 1
    assert (checkout / "static/vendor/htmx.min.js").exists()
    assert npm_runs(checkout) == 1  # nothing changed: no second install
    edit(checkout / "package-lock.json", checkout)
    assert npm_runs(checkout) == 2
    assert npm_runs(checkout) == 2
    shutil.rmtree(checkout / "static/vendor")  # what `make clean` removes
    assert npm_runs(checkout) == 3
