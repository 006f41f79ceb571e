"""What a file is, from its bytes: the kinds kept, and refusals that name what the bytes
really are, whatever the file is called."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ciapp.attachments import sniff
from tests.attachments import samples


def detect(tmp_path: Path, data: bytes) -> sniff.Kind:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return sniff.detect(path)


def refusal(tmp_path: Path, data: bytes) -> str:
    with pytest.raises(sniff.Refused) as caught:
        detect(tmp_path, data)
    return caught.value.what


@pytest.mark.parametrize(("make", "kind"), [
    (samples.png, sniff.PNG),
    (lambda: samples.image("JPEG"), sniff.JPEG),
    (lambda: samples.image("GIF"), sniff.GIF),
    (lambda: samples.image("WEBP"), sniff.WEBP),
    (samples.pdf, sniff.PDF),
    (samples.xlsx, sniff.XLSX),
    (lambda: samples.office("docx"), sniff.DOCX),
    (lambda: samples.office("pptx"), sniff.PPTX),
    (lambda: samples.CSV, sniff.TEXT),
    (lambda: codecs.BOM_UTF8 + "Ölwechsel: 5 Min.\n".encode(), sniff.TEXT),
    (lambda: b"MZ Corp supplier audit, notes\n", sniff.TEXT),
])
def test_kinds_kept(tmp_path: Path, make: object, kind: sniff.Kind) -> None:
    assert detect(tmp_path, make()) is kind  # type: ignore[operator]


def test_an_executable_is_named_as_one(tmp_path: Path) -> None:
    assert refusal(tmp_path, samples.executable()) == "an executable program (ELF)"


@pytest.mark.parametrize(("data", "words"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "Windows program"),
    (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "macOS program"),
    (b"#!/bin/sh\nrm -rf ~\n", "script"),
    (samples.HTML, "HTML, XML or SVG"),
    (b"\n  \t" + samples.HTML, "HTML, XML or SVG"),
    (codecs.BOM_UTF8 + samples.HTML, "HTML, XML or SVG"),
    (samples.SVG, "HTML, XML or SVG"),
    (samples.office("xlsm"), "with macros"),
    (samples.office("docx", extra={"word/vbaProject.bin": b"\x00"}), "with macros"),
    (samples.plain_zip(), "a ZIP archive"),
    (b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-format Office"),
    ("Scrap".encode("utf-16"), "UTF-16"),
    ("Température 25°C".encode("latin-1"), "UTF-8"),
    (b"value\n1.5\x00\n", "binary"),
    (b"\x1f\x8b\x08\x00", "gzip"),
])
def test_refused_kinds_say_what_they_are(tmp_path: Path, data: bytes, words: str) -> None:
    assert words in refusal(tmp_path, data)


def test_a_png_signature_alone_is_not_a_png(tmp_path: Path) -> None:
    """The eight signature bytes, then an HTML page: the first chunk must be IHDR."""
    assert "HTML" not in refusal(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\x00" * 8 + samples.HTML)


@pytest.mark.parametrize(("typed", "kept"), [
    ("photo.png", "photo.png"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\ana\\Desktop\\line 3.jpg", "line 3.jpg"),
    (".htaccess", "htaccess"),
    ("report\r\n\t2026.pdf", "report 2026.pdf"),
    ("<b>line 3</b>.png", "b_.png"),  # "/" ends a folder name
    ("<b>line 3<b>.png", "_b_line 3_b_.png"),
    ("a\u202egnp.exe", "a gnp.exe"),  # the right-to-left override is a control character
    ("...", ""),
    ("x" * 300 + ".xlsx", "x" * 195 + ".xlsx"),
])
def test_file_names_are_made_safe(typed: str, kept: str) -> None:
    assert sniff.clean_name(typed) == kept


@pytest.mark.parametrize(("name", "kind", "result"), [
    ("scan.pdf", sniff.PDF, "scan.pdf"),
    ("scan", sniff.PDF, "scan.pdf"),
    ("photo.JPEG", sniff.JPEG, "photo.JPEG"),
    ("notes.html", sniff.TEXT, "notes.html.txt"),
    ("readings.csv", sniff.CSV, "readings.csv"),
    ("photo.jpg", sniff.PNG, sniff.JPEG),
    ("notes.txt", sniff.PDF, sniff.TEXT),
    ("plan.docx", sniff.XLSX, sniff.DOCX),
])
def test_a_name_that_claims_another_kind_is_caught(name: str, kind: sniff.Kind,
                                                    result: object) -> None:
    assert sniff.named_for(name, kind) == result
