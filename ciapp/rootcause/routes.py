"""Root-cause pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rootcause", __name__, url_prefix="/projects")
