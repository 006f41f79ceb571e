"""What other areas do when a project closes (the sustain gate approved), or enters its next
phase through a gate: each registers a function from its own ``register(app)``, and the gate
decision calls them in its own transaction, after the project is marked closed (or moved).
The A3 freezes its page this way, and a KPI-linked project stages its KPI data set anew;
gates knows nothing of who listens."""

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


PHASE_EXTENSION = "ciapp.on_phase"


def on_phase(app: Flask, listener: OnClose) -> None:
    app.extensions.setdefault(PHASE_EXTENSION, []).append(listener)


def phase_entered(project: Project) -> None:
    for listener in current_app.extensions.get(PHASE_EXTENSION, []):
        listener(project)
