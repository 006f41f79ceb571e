"""A minimal XLSX writer for the fuzz tests: one sheet, cells as numbers, inline text,
booleans or error values, written straight into the Office Open XML parts (ECMA-376 Part 1,
the SpreadsheetML ``sheetData`` element), so a test can put a value in a cell that no
spreadsheet program would write (``1e400``, a number with junk after it)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
OOXML = "http://schemas.openxmlformats.org"
MAIN = f"{OOXML}/spreadsheetml/2006/main"
RELS = f"{OOXML}/package/2006/relationships"
DOC_RELS = f"{OOXML}/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_TYPE}.worksheet+xml"/></Types>')
ROOT_RELS = (f'{XML}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
             f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'{XML}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                 f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET = f'{XML}<worksheet xmlns="{MAIN}"><sheetData>{{rows}}</sheetData></worksheet>'

# Characters XML 1.0 cannot hold at all: a workbook never has them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cell = tuple[str, str]  # (kind, text): kind is "n" (number as written), "s", "b" or "e"


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, kind: str, text: str) -> str:
    text = escape(_NOT_XML.sub("", text))
    if kind == "s":
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    attr = "" if kind == "n" else f' t="{kind}"'
    return f'<c r="{ref}"{attr}><v>{text}</v></c>'


def workbook(rows: Sequence[Sequence[Cell]], sheet: str = "Data") -> bytes:
    xml_rows = "".join(
        f'<row r="{r + 1}">' + "".join(_cell(f"{_column(c)}{r + 1}", kind, text)
                                       for c, (kind, text) in enumerate(row)) + "</row>"
        for r, row in enumerate(rows))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(sheet, {'"': "&quot;"})))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", SHEET.format(rows=xml_rows))
    return out.getvalue()
