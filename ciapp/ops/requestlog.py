"""One JSON line per request on standard error, with a request id sent back as a header.

A line holds what an operator needs to follow a request and nothing a log reader should
not see: method, path (never the query string, where tokens and e-mails travel), status,
duration, the acting user's id (never an e-mail or name) and the request id. No header,
cookie, form field or body is logged.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Flask, g, request
from werkzeug.wrappers import Response

LOGGER_NAME = "ciapp.requests"
HEADER = "X-Request-ID"
# A proxy's or client's id is kept when it is short and plain (a UUID, a trace id); anything
# else, which could smuggle text or newlines into the log, is replaced by our own.
SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

logger = logging.getLogger(LOGGER_NAME)


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        # orjson: the standard library's encoder was a fifth of the line's cost.
        return orjson.dumps(line, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (gunicorn and pytest replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logger() -> None:
    """Our own handler, not propagated: Flask's handler on the ``ciapp`` logger would print
    each line a second time in its own format."""
    if not logger.handlers:
        handler = StderrHandler()
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def request_id_from(incoming: str | None) -> str:
    if incoming and SANE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def acting_user_id() -> int | None:
    """The id of whoever the request ran as, if the request already loaded them. Read from
    ``g`` rather than ``current_user``, which would load a user (a query) on requests that
    never needed one, such as static files."""
    user = g.get("api_user") or g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def start_request() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request_id_from(request.headers.get(HEADER))


def finish_request(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[HEADER] = request_id
    started = g.get("request_started")
    duration = (time.perf_counter() - started) * 1000 if started is not None else None
    if logger.isEnabledFor(logging.INFO):
        # The record is made here rather than by ``logger.info``, which walks the stack to
        # find its caller's file and line: a third of the line's cost, on every request,
        # for two fields this log never shows.
        record = logger.makeRecord(LOGGER_NAME, logging.INFO, __file__, 0, "request", (),
                                   None, extra={"fields": {
                                       "method": request.method,
                                       "path": request.path,
                                       "status": response.status_code,
                                       "duration_ms": round(duration, 1)
                                       if duration is not None else None,
                                       "user_id": acting_user_id(),
                                       "request_id": request_id,
                                   }})
        logger.handle(record)
    return response


def register(app: Flask) -> None:
    configure_logger()
    # First of all before-request functions, so a request refused by another one (a NUL
    # character, a bad token) still gets its id and its duration.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(finish_request)
