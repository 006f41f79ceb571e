from __future__ import annotations

from flask import Blueprint, render_template

from ..core.access import SIGNED_IN, acting_user, guard
from . import services

bp = Blueprint("home", __name__)


@bp.get("/")
@guard(SIGNED_IN)
def index() -> str:
    return render_template("home/index.html", start=services.start_page(acting_user()))
