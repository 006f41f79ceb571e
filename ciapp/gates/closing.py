"""What other areas do when a project closes (the sustain gate approved): each registers a
function from its own ``register(app)``, and the gate decision calls them in its own
transaction, after the project is marked closed. The A3 freezes its page this way; gates
knows nothing of who listens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from flask import Flask

    from ..projects.models import Project

EXTENSION = "ciapp.on_close"
OnClose = Callable[["Project"], Any]


def on_close(app: Flask, listener: OnClose) -> None:
    app.extensions.setdefault(EXTENSION, []).append(listener)


def project_closed(project: Project) -> None:
    for listener in current_app.extensions.get(EXTENSION, []):
        listener(project)
