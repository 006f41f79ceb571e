from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..extensions import db
from . import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@guard(SIGNED_IN)
def index() -> str:
    return render_template("notifications/index.html",
                           notifications=services.for_user(acting_user()))


@bp.post("/read")
@guard(SIGNED_IN)
def read_all() -> Response:
    services.mark_read(acting_user())
    db.session.commit()
    return redirect(url_for(".index"))


@bp.post("/<int:notification_id>/read")
@guard(SIGNED_IN)
def read(notification_id: int) -> Response:
    services.mark_read(acting_user(), notification_id)
    db.session.commit()
    return redirect(url_for(".index"))
