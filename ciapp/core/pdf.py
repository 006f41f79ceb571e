"""HTML to PDF through WeasyPrint, for the pages that offer a PDF (the A3, the leadership
summary): the same HTML and print stylesheet as the printed page.

WeasyPrint is imported when a PDF is asked for, not with the app: it takes a while to load,
and a machine without Pango (``scripts/ensure-pango.sh``) still serves every other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import DomainError


class PdfUnavailable(DomainError):
    status = 503


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    # The documents are self-contained (charts inline as SVG, stylesheets passed by path):
    # an address in them is a link, never something to fetch from the server's network.
    raise ValueError(f"the PDF fetches nothing: {url}")


def html_to_pdf(document: str, stylesheets: Sequence[str], base_url: str | None = None
                ) -> bytes:
    """``document`` as a PDF, styled by the CSS files at ``stylesheets``."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # without Pango, WeasyPrint fails on import
        raise PdfUnavailable("The PDF cannot be made on this server: WeasyPrint or its "
                             f"system libraries (Pango) are missing ({exc}).") from None
    html = HTML(string=document, base_url=base_url, url_fetcher=_refuse)
    return html.write_pdf(stylesheets=[CSS(filename=path) for path in stylesheets])
