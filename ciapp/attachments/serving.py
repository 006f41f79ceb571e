"""An attachment's bytes as an HTTP response, for the pages and the API alike.

Never shown as a page: the type is the one decided from the bytes at upload, browsers are
told not to guess another (nosniff), the response may not run anything or be framed (a
sandboxing CSP), and it is a download, except an image asked for inline (a thumbnail).
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import send_file
from werkzeug.wrappers import Response

from . import sniff
from .models import Attachment

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def file_response(attachment: Attachment, path: Path, *, inline: bool = False) -> Response:
    kind = sniff.BY_TYPE.get(attachment.content_type)
    show_inline = inline and kind is not None and kind.is_image
    # Read whole (at most ATTACHMENT_MAX_BYTES): the file is closed here rather than left
    # open until the server finishes sending. send_file adds "; charset=utf-8" to text.
    response = send_file(
        io.BytesIO(path.read_bytes()), mimetype=kind.content_type if kind else
        "application/octet-stream", as_attachment=not show_inline,
        download_name=attachment.filename, conditional=True, etag=attachment.sha256,
        max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Only for the person who may read the project: no shared cache keeps a copy.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
