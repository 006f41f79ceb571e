"""Browser tests: Debian's Chromium driven by Playwright against the app served from a thread.

Playwright cannot download its own browser here, so it launches ``/usr/bin/chromium`` (or
``CIAPP_CHROMIUM``). Where that is missing every test in this folder is skipped, with the
reason printed in pytest's summary; ``scripts/ensure-chromium.sh`` installs it as root.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CIAPP_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# kind of machine refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.access(CHROMIUM, os.X_OK):
        return
    reason = (f"browser test skipped: no Chromium at {CHROMIUM} "
              "(run scripts/ensure-chromium.sh as root, or set CIAPP_CHROMIUM)")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A laptop screen, so screenshots show the layout people will see.
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def db(committing_db: Any) -> Any:
    """Real commits: the live server's threads read through connections of their own."""
    return committing_db


@pytest.fixture
def live_server(app: Flask, db: Any, csrf_enabled: None) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, on the test database, with CSRF checks on."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: CIAPP_SCREENSHOT_DIR if set (to look at them), else tmp_path."""
    folder = Path(os.environ.get("CIAPP_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
