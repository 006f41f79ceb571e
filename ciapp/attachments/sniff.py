"""What a file is, decided from its bytes, never from its name or the type the browser sent.

Pure: no Flask, no database. Only kinds a browser will not run as a page are kept: raster
images, PDF, the Office Open XML formats without macros, and UTF-8 text that does not start
like markup. Everything else is refused with a sentence saying what the bytes look like, so
an executable renamed to ``.png`` is named as an executable. SVG is refused too: it is XML
that may carry script.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD = 4096
CHUNK = 1 << 16
# [Content_Types].xml of a real document is a few KiB; a huge one is a zip bomb's bait.
CONTENT_TYPES_MAX = 1 << 20


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    extensions: tuple[str, ...]  # the first is the one a name gets when it has none of them

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PNG = Kind("image/png", "a PNG image", (".png",))
JPEG = Kind("image/jpeg", "a JPEG image", (".jpg", ".jpeg", ".jpe", ".jfif"))
GIF = Kind("image/gif", "a GIF image", (".gif",))
WEBP = Kind("image/webp", "a WebP image", (".webp",))
PDF = Kind("application/pdf", "a PDF document", (".pdf",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "an Excel workbook", (".xlsx",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "a Word document", (".docx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "a PowerPoint presentation", (".pptx",))
CSV = Kind("text/csv", "a CSV file", (".csv",))
TEXT = Kind("text/plain", "a text file", (".txt", ".text", ".log", ".md", ".tsv"))
KINDS = (PNG, JPEG, GIF, WEBP, PDF, XLSX, DOCX, PPTX, CSV, TEXT)
BY_TYPE = {k.content_type: k for k in KINDS}
ALLOWED = ("PNG, JPEG, GIF or WebP images, PDF, Word (.docx), Excel (.xlsx), PowerPoint "
           "(.pptx), CSV or plain text in UTF-8")

OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
CONTENT_TYPE_RE = re.compile(rb'ContentType\s*=\s*"([^"]+)"')

# Signatures of things refused, so the message can say what the file really is.
REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an executable program (ELF)"),
    (b"MZ", "a Windows program or library (EXE/DLL)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS program or Java class file"),
    (b"#!", "a script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old-format Office file (.doc, .xls, .ppt), which may carry macros: save it as "
     ".docx, .xlsx or .pptx"),
    (b"\x1f\x8b", "a compressed archive (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed archive (7-Zip)"),
    (b"Rar!", "a compressed archive (RAR)"),
    (b"\xff\xfe", "text in UTF-16: save it as UTF-8"),
    (b"\xfe\xff", "text in UTF-16: save it as UTF-8"),
)


class Refused(Exception):
    """The bytes are not a kind ciapp keeps; ``what`` says what they look like."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def detect(path: Path) -> Kind:
    """The kind of the file at ``path``, or Refused naming what it looks like."""
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    for signature, what in REFUSED_SIGNATURES:
        # "MZ" starts text too ("MZ Corp audit notes"); a program has NULs in its header.
        if head.startswith(signature) and (signature != b"MZ" or b"\x00" in head):
            raise Refused(what)
    _check_text(path, head)
    return TEXT


def _office(path: Path) -> Kind:
    """A .docx, .xlsx or .pptx: a zip whose [Content_Types].xml names the main part."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                raise Refused("a ZIP archive") from None
            if info.file_size > CONTENT_TYPES_MAX:
                raise Refused("a ZIP archive that is not a plain Office document")
            declared = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError):
        raise Refused("a damaged ZIP or Office file") from None
    types = {t.decode("ascii", "replace") for t in CONTENT_TYPE_RE.findall(declared)}
    if any("macroenabled" in t.lower() for t in types) or any(
            n.lower().endswith("vbaproject.bin") for n in names):
        raise Refused("an Office file with macros (.docm, .xlsm, .pptm): save it without "
                      "macros")
    found = {OOXML_MAIN[t] for t in types if t in OOXML_MAIN}
    if len(found) != 1:
        raise Refused("a ZIP archive that is not a Word, Excel or PowerPoint document")
    return found.pop()


def _check_text(path: Path, head: bytes) -> None:
    """UTF-8 without NUL characters, not starting like HTML, XML or SVG."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if b"\x00" in chunk:
                raise Refused("a binary file of a kind ciapp does not recognise")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise Refused("neither a known document nor text in UTF-8") from None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Refused("neither a known document nor text in UTF-8") from None
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if start.startswith(b"<"):
        raise Refused("HTML, XML or SVG markup, which a browser could run as a page")


FORBIDDEN_CHARACTERS = re.compile(r'[<>:"/\\|?*]')
NAME_MAX = 200


def clean_name(filename: str) -> str:
    """The user's file name made safe to show and to offer as a download name: the last
    path part, no control or reserved characters, no leading dots, at most 200 characters
    with the extension kept. Empty when nothing is left."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in name)
    name = FORBIDDEN_CHARACTERS.sub("_", " ".join(name.split())).lstrip(". ").rstrip(". ")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if dot and len(ext) <= 10 else ""
        name = (stem if ext else name)[:NAME_MAX - len(ext)].rstrip(". ") + ext
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def named_for(name: str, kind: Kind) -> Kind | str:
    """The kind a name's extension claims, when it claims another kept kind than ``kind``
    (a mismatch to refuse); else the name to keep, with ``kind``'s extension added when
    it has none of them (``notes.html`` that is plain text is kept as ``notes.html.txt``,
    so nothing downloaded opens as a page)."""
    ext = extension(name)
    if kind in (CSV, TEXT) and ext in CSV.extensions + TEXT.extensions:
        return name
    if ext in kind.extensions:
        return name
    for other in KINDS:
        if ext in other.extensions:
            return other
    return name + kind.extensions[0]


def text_kind(name: str) -> Kind:
    """Text is CSV when its name says so: the bytes cannot tell a CSV from other text."""
    return CSV if extension(name) == ".csv" else TEXT
