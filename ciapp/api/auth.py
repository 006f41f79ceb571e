"""Bearer tokens: the API's only way in. The session cookie is never consulted, which is
why the blueprint can be exempt from CSRF checks."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ..auth import tokens
from ..extensions import db
from .errors import BEARER_CHALLENGE, Unauthorized


def is_public_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    policy = getattr(view, "access", None)
    return bool(policy is not None and policy.public)


def load_api_user() -> None:
    """Set ``g.api_user`` from the Authorization header, or refuse with 401."""
    if request.endpoint is None or is_public_endpoint():
        return
    auth = request.authorization
    if auth is None or auth.type != "bearer" or not auth.token:
        raise Unauthorized("Send a personal API token as 'Authorization: Bearer ciapp_…'.")
    row = tokens.find_token(auth.token)
    if row is None:
        raise Unauthorized("The API token is unknown, expired, revoked, or belongs to a "
                           "disabled account.",
                           challenge=BEARER_CHALLENGE + ', error="invalid_token"')
    if tokens.touch(row):
        # Committed on its own, so the last use is kept even when the request fails later;
        # most reads skip this (see tokens.TOUCH_INTERVAL) and so write nothing.
        db.session.commit()
    g.api_user = row.user


def register(bp: Blueprint) -> None:
    bp.before_request(load_api_user)
