"""The A3 as a PDF: the same sheet and stylesheet as the printed page, through
``core.pdf`` (WeasyPrint)."""

from __future__ import annotations

import os

from flask import current_app, make_response, render_template, request
from werkzeug.wrappers import Response

from ..core.pdf import html_to_pdf
from ..extensions import db
from ..projects.models import Project
from . import services


def stylesheet_path() -> str:
    return os.path.join(current_app.static_folder or "", "css", "a3.css")


def render_pdf(sheet_html: str, title: str, base_url: str | None = None) -> bytes:
    document = render_template("a3/print.html", sheet=sheet_html, title=title)
    return html_to_pdf(document, [stylesheet_path()], base_url)


def download(project: Project, live: bool) -> Response:
    """The A3's PDF as a download: the frozen sheet of a closed project unless ``live``.
    A helper of the page's route and the API's (it commits, as a route does)."""
    sheet = services.sheet(project, live=live)
    db.session.commit()  # the charts drawn join the shared chart cache
    body = render_pdf(sheet.html, f"A3 {project.key} {project.title}", request.host_url)
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    suffix = "-closed" if sheet.frozen is not None else ""
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{project.key}-A3{suffix}.pdf"'
    return response
