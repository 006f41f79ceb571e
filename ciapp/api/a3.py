"""The A3 of a project as a PDF through the API: the same page the web app prints, frozen at
closing for a closed project unless ``live=true``. The route joins the API blueprint, so
its token check and JSON errors apply to it."""

from __future__ import annotations

from flask import request
from werkzeug.wrappers import Response

from ..a3 import pdf
from ..core.access import guard
from ..core.errors import DomainError
from ..projects.models import Project
from .access import VIEW
from .routes import bp

LIVE = {"true": True, "1": True, "false": False, "0": False}


def live_arg() -> bool:
    unknown = sorted(set(request.args) - {"live"})
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; the A3 takes only 'live'.",
                          field=unknown[0])
    value = request.args.get("live", "false").strip().lower()
    if value not in LIVE:
        raise DomainError(f"'live' is true or false, not '{value[:40]}'.", field="live")
    return LIVE[value]


@bp.get("/projects/<key>/a3.pdf")
@guard(VIEW)
def a3_pdf(project: Project) -> Response:
    return pdf.download(project, live_arg())
