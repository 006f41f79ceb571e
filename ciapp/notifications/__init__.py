"""In-app notifications: what the council and leads are told, and their unread count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The top bar's count of unread notifications."""
    from flask_login import current_user

    from .services import unread_count

    @app.context_processor
    def unread_notifications() -> dict[str, Any]:
        # A function, called by the top bar only: fragments (htmx updates) and pages
        # without the signed-in top bar do not run the count.
        def count() -> int:
            return unread_count(current_user) if current_user.is_authenticated else 0

        return {"unread_notifications": count}
