"""App-wide web wiring: sign-in loading, error pages, security headers, template helpers."""

from __future__ import annotations

import copy
import time
from functools import lru_cache
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..extensions import db, login_manager
from .access import PUBLIC, guard
from .errors import DomainError
from .htmx import wants_fragment
from .money import format_money

ERROR_TITLES = {
    400: "Bad request", 401: "Sign-in needed", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Too large", 422: "Invalid input",
    428: "Precondition required", 429: "Too many attempts", 500: "Server error",
}
STALE_MESSAGE = ("This record was changed by someone else while you were saving; nothing "
                 "was saved. Reload it and try again.")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str,
                   fields: dict[str, list[str]] | None = None) -> tuple[Any, int]:
    if wants_json():
        # "fields" is always there, empty when no input is at fault: one shape for clients.
        body: dict[str, Any] = {"error": ERROR_TITLES.get(status, "Error"), "message": message,
                                "fields": fields or {}}
        return jsonify(body), status
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    return render_template(template, status=status, title=ERROR_TITLES.get(status, "Error"),
                           message=message), status


# A session cookie's payload of these types is shared as it is between the requests that
# send the same cookie; any other (a list of flashed messages) is copied for each.
_IMMUTABLE = (str, int, float, bool, type(None))
VERIFIED_COOKIES = 4096


@lru_cache(maxsize=VERIFIED_COOKIES)
def _verified(serializer: URLSafeTimedSerializer, cookie: str) -> tuple[dict[str, Any], int, bool]:
    """The payload of ``cookie``, the time it was signed, and whether every value in it is
    immutable. Raises BadSignature for a cookie this serializer's keys did not sign:
    an exception is never kept, so only genuine cookies take a place here."""
    data, signed = serializer.loads(cookie, return_timestamp=True)
    return data, int(signed.timestamp()), all(isinstance(v, _IMMUTABLE) for v in data.values())


class PageSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with two savings on its every-request work.

    - Left unread on the API: the API signs in by bearer token only (``api/auth.py``), and
      verifying the cookie a browser sends along anyway cost each API call more than its
      token check. Nothing there can write to it either.
    - A cookie once verified is remembered (the last 4,096 cookies, with the keys that
      verified them), so a browser sending the same cookie page after page is not verified
      and decoded again: for a page, that cost as much as loading the signed-in user. Only
      the signature's work is saved; its age is checked on every request as before, and a
      cookie signed by other keys (after a key rotation) is verified afresh. Whether the
      session is still signed in is for the server's session row to say, read on every
      request (``auth/sessions.py``).
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def open_session(self, app: Flask, request: Any) -> SessionMixin | None:
        if request.path.startswith("/api/"):
            return self.null_session_class()
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            data, signed, immutable = _verified(serializer, cookie)
        except BadSignature:
            return self.session_class()
        # The age check Flask has itsdangerous make (signed in the future: refused too).
        max_age = int(app.permanent_session_lifetime.total_seconds())
        if not 0 <= int(time.time()) - signed <= max_age:
            return self.session_class()
        return self.session_class(data if immutable else copy.deepcopy(data))

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        # Flask builds a serializer for every request, and itsdangerous then serializes an
        # empty dict to learn what it writes. Kept per set of keys instead, so a changed
        # key (or fallback) still gets a new one.
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._serializers.get(keys)
        if cached is None:
            cached = self._serializers[keys] = super().get_signing_serializer(app)
        return cached


def register_web(app: Flask) -> None:
    app.session_interface = PageSessions()
    register_errors(app)
    register_headers(app)
    register_templates(app)
    register_root(app)


def register_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> tuple[Any, int]:
        db.session.rollback()
        return error_response(exc.status, exc.message, exc.fields)

    @app.errorhandler(StaleDataError)
    def stale(exc: StaleDataError) -> tuple[Any, int]:
        # The version check passed, but another request saved in between: a conflict like
        # any other, on pages as on the API, never a 500.
        db.session.rollback()
        return error_response(409, STALE_MESSAGE)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[Any, int]:
        return error_response(400, f"The form's security token is missing or invalid "
                                   f"({exc.description}). Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code == 401 and not wants_json():
            return sign_in_redirect()
        message = exc.description or ERROR_TITLES.get(exc.code or 500, "Error")
        if exc.code == 401:
            message = "Send a valid personal API token as 'Authorization: Bearer <token>'."
        body, status = error_response(exc.code or 500, message)
        return body, status, exception_headers(exc)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Any, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "Something went wrong on our side; nothing was saved.")


def exception_headers(exc: HTTPException) -> dict[str, str]:
    """The headers an HTTP error carries besides its body: ``Allow`` on a 405 (RFC 9110
    requires it), ``Retry-After`` on a 429 or 503."""
    return {name: value for name, value in exc.get_headers() if name.lower() != "content-type"}


def sign_in_redirect() -> Response:
    """To the sign-in page; an htmx fragment request (say, an inline edit after the session
    ran out) gets HX-Redirect, so the whole page goes there instead of the login form
    landing inside the fragment."""
    response: Response = login_manager.unauthorized()
    if wants_fragment():
        location = response.headers["Location"]
        response = Response(status=200)
        response.headers["HX-Redirect"] = location
    return response


def register_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def register_templates(app: Flask) -> None:
    """Filters every area's templates use. Labels and counters come from each area's own
    context processor (its ``register(app)``): core knows no area."""

    @app.template_filter("money")
    def money(value: Any) -> str:
        return format_money(value, app.config.get("CURRENCY", ""))

    @app.template_filter("when")
    def when(value: Any) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def register_root(app: Flask) -> None:
    # "/" is the start page, served by the home area's blueprint.
    @app.route("/healthz")
    @guard(PUBLIC)
    def healthz() -> tuple[Any, int]:
        db.session.execute(text("SELECT 1"))
        return jsonify(status="ok"), 200
