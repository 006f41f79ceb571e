"""Every API error as JSON ``{"error", "message", "fields"}`` with its HTTP status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..core.errors import BadRequest, DomainError, PreconditionRequired
from ..core.web import ERROR_TITLES, exception_headers
from ..extensions import db

TITLES = ERROR_TITLES | {415: "Unsupported media type", 428: "Precondition required"}
BEARER_CHALLENGE = 'Bearer realm="ciapp"'
__all__ = ["BadRequest", "PreconditionRequired", "Unauthorized", "UnsupportedMediaType",
           "api_error", "register"]


class Unauthorized(DomainError):
    """No usable token; ``challenge`` goes into the WWW-Authenticate header (RFC 6750)."""

    status = 401

    def __init__(self, message: str, *, challenge: str = BEARER_CHALLENGE) -> None:
        super().__init__(message)
        self.challenge = challenge


class UnsupportedMediaType(DomainError):
    status = 415


def api_error(status: int, message: str, fields: dict[str, list[str]] | None = None,
              challenge: str | None = None) -> Response:
    # Keys as text: a field named by the client (a nameless multipart part) may be None.
    response = jsonify({"error": TITLES.get(status, "Error"), "message": message,
                        "fields": {str(k): v for k, v in (fields or {}).items()}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = challenge or BEARER_CHALLENGE
    return response


def register(bp: Blueprint) -> None:
    """Handlers for errors raised inside the API; they win over the app's HTML ones."""

    @bp.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Response:
        db.session.rollback()
        return api_error(exc.status, exc.message, exc.fields, getattr(exc, "challenge", None))

    @bp.errorhandler(StaleDataError)
    def stale(exc: StaleDataError) -> Response:
        # The version check passed, but another request saved in between: same answer.
        db.session.rollback()
        return api_error(409, "The project was changed by someone else while saving. "
                              "Reload it and try again.")

    @bp.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        db.session.rollback()
        status = exc.code or 500
        message = exc.description or TITLES.get(status, "Error")
        if status == 401:
            message = "Send a personal API token as 'Authorization: Bearer ciapp_…'."
        response = api_error(status, message)
        response.headers.update(exception_headers(exc))
        return response
