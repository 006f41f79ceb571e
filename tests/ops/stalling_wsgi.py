"""The app the worker-kill test serves with gunicorn: ``wsgi.py``'s app, plus a hook that
holds a request marked ``X-Test-Stall: 1`` inside its transaction, after its first flush
(rows written, nothing committed), and says so in a file, so the test can kill the worker
at exactly that moment. Never imported by the app itself."""

from __future__ import annotations

import os
import time
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from ciapp import create_app

app = create_app()
STALL_FILE = os.environ.get("CIAPP_TEST_STALL_FILE", "")


@event.listens_for(Session, "after_flush")
def _stall(_session: Session, _context: Any) -> None:
    if STALL_FILE and has_request_context() and request.headers.get("X-Test-Stall") == "1":
        with open(STALL_FILE, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(60)  # the test kills this worker long before
