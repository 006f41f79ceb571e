"""Accounts, sign-in sessions and API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Flask-Login's settings and the loader that checks the server-side session; role
    labels for the templates."""
    from flask import session

    from ..extensions import login_manager
    from . import sessions
    from .models import ROLE_LABELS, Role, User

    roles = {"ROLE_LABELS": ROLE_LABELS, "Role": Role}
    app.context_processor(lambda: roles)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return sessions.user_for(user_id, session.get(sessions.SESSION_KEY))
