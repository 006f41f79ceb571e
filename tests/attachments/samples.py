"""Real files of every kind an attachment may be, and of kinds it must not be, built here
(Pillow, xlsxwriter, the zip layout of ECMA-376 Part 2) rather than shipped as binaries."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import xlsxwriter
from PIL import Image

# ECMA-376 Part 1, §11.3.10 / §13.3.6 / §12.3.23: the main part's content type of each.
MAIN = {
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main"
             "+xml"),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
}


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def png() -> bytes:
    return image("PNG")


def pdf() -> bytes:
    # The smallest well-formed PDF: header, catalog, pages, trailer (ISO 32000-1 §7.5).
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def xlsx() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet().write("A1", "defects")
    book.close()
    return out.getvalue()


def office(kind: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    part, content_type = MAIN[kind]
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
             'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
             'ContentType="application/xml"/>'
             f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(part, "<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    return out.getvalue()


def executable() -> bytes:
    """A real program: the system's ``true``."""
    return Path("/bin/true").read_bytes()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")
CSV = "time,value\n2026-01-05,12.5\n2026-01-06,11.9\nnote,température\n".encode()
