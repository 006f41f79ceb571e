"""Errors that services raise; the web and API layers turn them into responses."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user as it is.

    ``field`` names the input at fault where there is one; ``status`` is the HTTP status the
    web layer answers with.
    """

    status = 422

    def __init__(self, message: str, *, field: str | None = None,
                 fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, [message])


class BadRequest(DomainError):
    """The request itself is malformed (not a rule about the data it carries)."""

    status = 400


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The record changed since the user loaded it, or the action clashes with its state."""

    status = 409


class PreconditionRequired(DomainError):
    """An edit came without the version it was made on (HTTP 428)."""

    status = 428
