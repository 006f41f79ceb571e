"""The A3 as a PDF: the same sheet and stylesheet as the printed page, through WeasyPrint
(which needs Pango from Debian: ``libpango-1.0-0 libpangoft2-1.0-0``, installed by
``scripts/ensure-pango.sh``).

WeasyPrint is imported when a PDF is asked for, not with the app: it takes a while to load,
and a machine without Pango still serves every page but this one.
"""

from __future__ import annotations

import os
from typing import Any

from flask import current_app, make_response, render_template, request
from werkzeug.wrappers import Response

from ..core.errors import DomainError
from ..extensions import db
from ..projects.models import Project
from . import services


class PdfUnavailable(DomainError):
    status = 503


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    # The sheet is self-contained (charts inline as SVG, the stylesheet passed below): any
    # address in it is a link, never something to fetch.
    raise ValueError(f"the A3 fetches nothing: {url}")


def stylesheet_path() -> str:
    return os.path.join(current_app.static_folder or "", "css", "a3.css")


def render_pdf(sheet_html: str, title: str, base_url: str | None = None) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # without Pango, WeasyPrint fails on import
        raise PdfUnavailable("The PDF cannot be made on this server: WeasyPrint or its "
                             f"system libraries (Pango) are missing ({exc}).") from None
    document = render_template("a3/print.html", sheet=sheet_html, title=title)
    html = HTML(string=document, base_url=base_url, url_fetcher=_refuse)
    return html.write_pdf(stylesheets=[CSS(filename=stylesheet_path())])


def download(project: Project, live: bool) -> Response:
    """The A3's PDF as a download: the frozen sheet of a closed project unless ``live``.
    Shared by the page's route and the API's."""
    sheet = services.sheet(project, live=live)
    db.session.commit()  # the charts drawn join the shared chart cache
    body = render_pdf(sheet.html, f"A3 {project.key} {project.title}", request.host_url)
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    suffix = "-closed" if sheet.frozen is not None else ""
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{project.key}-A3{suffix}.pdf"'
    return response
