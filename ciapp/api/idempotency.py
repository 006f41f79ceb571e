"""``Idempotency-Key`` on creating requests: a client that lost the answer (a crash, a
dropped connection) sends the same request with the same key again and gets the first
answer back instead of a second project.

The key is stored per user with a hash of the request (method, path, JSON body) and the
answer, in the same transaction as what the request created: either both are saved or
neither is, so a retry never finds a half-done first attempt. The same key with another
request is refused (422); keys are forgotten after 24 hours. A second request with a key
that is still being worked on waits on the unique index and then gets the stored answer.

Usage, for any creating endpoint, under its ``guard``::

    @bp.post("/things")
    @guard(policy)
    @idempotent
    def create_thing() -> Response: ...   # returns its answer; does not commit

The decorated view must not commit: the decorator commits, once, with the key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import request
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.wrappers import Response

from ..auth.models import User
from ..core.access import acting_user
from ..core.errors import Conflict, DomainError
from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from .errors import BadRequest

HEADER = "Idempotency-Key"
LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,255}")  # printable ASCII, as HTTP header values are
REPLAYED_HEADERS = ("Location", "ETag")


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column()
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def request_hash() -> str:
    """Method, path and body; a JSON body in canonical form, so that whitespace and the
    order of its fields do not make a retry look like another request."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        body = raw
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(body)
    return digest.hexdigest()


def read_key() -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    value = value.strip()
    if not KEY_PATTERN.fullmatch(value):
        raise BadRequest(f"The {HEADER} header must be 1 to 255 printable ASCII characters, "
                         "e.g. a UUID.", field=HEADER)
    return value


def _find(user: User, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user.id, IdempotencyKey.key == key,
        IdempotencyKey.created_at > utcnow() - LIFETIME))


def _replay(row: IdempotencyKey, digest: str) -> Response:
    if row.request_hash != digest:
        raise DomainError(f"This {HEADER} was already used for a different request (another "
                          "body or address) in the last 24 hours; send a new key for a new "
                          "request.", field=HEADER)
    if row.status is None:  # cannot happen: the answer is saved with the key
        raise Conflict(f"The request with this {HEADER} has not finished; retry shortly.")
    response = Response(row.body, status=row.status, mimetype="application/json")
    response.headers.update(row.headers or {})
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _claim(user: User, key: str, digest: str) -> IdempotencyKey | Response:
    """Insert the key, or answer from the earlier request that holds it."""
    earlier = _find(user, key)
    if earlier is not None:
        return _replay(earlier, digest)
    # Expired keys go, so that one can be used again and the table stays small.
    db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.created_at <= utcnow() - LIFETIME))
    row = IdempotencyKey(user_id=user.id, key=key, request_hash=digest)
    db.session.add(row)
    try:
        # A parallel request with the same key waits here for the first one's commit
        # (PostgreSQL's unique index, SQLite's write lock), then fails on the index.
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = _find(user, key)
        if earlier is None:
            raise Conflict(f"Another request with this {HEADER} failed just now; "
                           "retry it.") from None
        return _replay(earlier, digest)
    return row


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view)
    def wrapped(**kwargs: Any) -> Response:
        key = read_key()
        user = acting_user()
        if key is None or user is None:
            response = view(**kwargs)
            db.session.commit()
            return response
        claimed = _claim(user, key, request_hash())
        if isinstance(claimed, Response):
            return claimed
        response = view(**kwargs)
        if 200 <= response.status_code < 300:
            claimed.status = response.status_code
            claimed.body = response.get_data(as_text=True)
            claimed.headers = {name: response.headers[name] for name in REPLAYED_HEADERS
                               if name in response.headers}
        else:
            db.session.delete(claimed)  # only a success is replayed; a failure may be retried
        db.session.commit()
        return response

    return wrapped
