"""The A3 page of a project and its PDF. A closed project's A3 is the one frozen at
closing; ``?live=1`` shows the one drawn from today's data."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from ..core.access import guard
from ..extensions import db
from ..projects.access import VIEW
from ..projects.models import Project
from . import pdf, services

bp = Blueprint("a3", __name__, url_prefix="/projects")


def wants_live() -> bool:
    return request.args.get("live", "").lower() in ("1", "true", "yes", "on")


@bp.get("/<key>/a3")
@guard(VIEW)
def show(project: Project) -> str:
    sheet = services.sheet(project, live=wants_live())
    db.session.commit()  # the charts drawn join the shared chart cache
    return render_template("a3/a3.html", project=project, sheet=sheet, live=wants_live())


@bp.get("/<key>/a3.pdf")
@guard(VIEW)
def download(project: Project) -> Response:
    return pdf.download(project, wants_live())

