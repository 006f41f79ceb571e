"""In-app notifications: what the council and leads are told, and their unread count."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The top bar's count of unread notifications, counted with the other badges."""
    from ..core.topbar import Badge, add_badge
    from .services import UNREAD

    add_badge(app, Badge("unread_notifications", UNREAD, shows=lambda user: True))
