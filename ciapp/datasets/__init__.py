"""Data sets of a project: importing measurement data, versions, and analyses on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    from . import models  # noqa: F401  the tables, for the session and the migrations
