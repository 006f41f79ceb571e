"""Figures out as SVG or PNG, and the SVG made fit to embed in a page under a strict
content security policy.

Matplotlib writes ``style="fill: #0072b2; stroke: ..."`` attributes, which a page whose
policy says ``style-src 'self'`` refuses to apply to inline SVG. Every such declaration has
an SVG presentation attribute of the same name (``font`` is split into ``font-size`` and
``font-family``), so the styles are rewritten as attributes and the drawing looks the same.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

matplotlib.rcParams["svg.hashsalt"] = "ciapp"  # stable ids: the same chart, the same bytes
matplotlib.rcParams["svg.fonttype"] = "none"  # real text: smaller, searchable, accessible

MARK_RE = re.compile(r"<use [^>]*/>|<path d=\"[^\"]*\"[^>]*/>")
STYLE_RE = re.compile(r' style="([^"]*)"')
STYLE_ELEMENT_RE = re.compile(
    r'\s*<style type="text/css">\*\{stroke-linejoin: round; stroke-linecap: butt\}</style>')
FONT_RE = re.compile(r"^(?:(italic|oblique|normal) )?(?:(bold|normal|\d{3}) )?"
                     r"([\d.]+)px (.+)$")


def _attributes(match: re.Match[str]) -> str:
    out = []
    for declaration in match.group(1).split(";"):
        if ":" not in declaration:
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name == "font":
            font = FONT_RE.match(value)
            if font:
                style, weight, size, family = font.groups()
                out.append(f'font-size="{size}px" font-family="{html.escape(family)}"')
                if weight:
                    out.append(f'font-weight="{weight}"')
                if style:
                    out.append(f'font-style="{style}"')
            continue
        out.append(f'{name}="{html.escape(value)}"')
    return " " + " ".join(out) if out else ""


def without_style_element(svg: str) -> str:
    """``svg`` without the ``<style>`` element matplotlib writes into its defs (refused by
    ``style-src 'self'`` too); its rule, round joins and butt caps on every shape, becomes
    presentation attributes on the root, which every shape inherits."""
    match = STYLE_ELEMENT_RE.search(svg)
    if match is None:
        return svg
    svg = svg[:match.start()] + svg[match.end():]
    root = svg.index("<svg") + len("<svg")
    return svg[:root] + ' stroke-linejoin="round" stroke-linecap="butt"' + svg[root:]


def strict_svg(svg: str) -> str:
    """``svg`` with its style attributes turned into presentation attributes, without its
    style element, and without the XML prologue and doctype (it is embedded in HTML)."""
    svg = without_style_element(STYLE_RE.sub(_attributes, svg))
    return svg[svg.index("<svg"):]


def to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return strict_svg(buf.getvalue())


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def with_point_titles(svg: str, gid: str, titles: Sequence[str],
                      links: Sequence[str | None] | None = None) -> str:
    """Give each marker of the scatter drawn with ``gid`` its own tooltip (an SVG
    ``<title>``, shown on hover by every browser with no script) and, optionally, a link.

    Matplotlib writes a scatter's markers in the order of its points, inside the group whose
    id is ``gid``: as ``<use>`` elements of one shared marker, or, for a few points, as one
    ``<path>`` each.
    """
    start = svg.find(f'<g id="{gid}">')
    if start < 0:
        return svg
    indent = svg[svg.rfind("\n", 0, start) + 1:start]
    end = svg.find("\n" + indent + "</g>", start)
    end = len(svg) if end < 0 else end
    body_from = svg.find("</defs>", start, end)
    body_from = start if body_from < 0 else body_from
    marks = list(MARK_RE.finditer(svg, body_from, end))
    if len(marks) != len(titles):
        return svg
    pieces, cursor = [svg[:start]], start
    for k, mark in enumerate(marks):
        pieces.append(svg[cursor:mark.start()])
        element = (f'<g class="point"><title>{html.escape(titles[k])}</title>'
                   f"{mark.group(0)}</g>")
        link = links[k] if links else None
        if link:
            element = f'<a href="{html.escape(link)}" target="_top">{element}</a>'
        pieces.append(element)
        cursor = mark.end()
    pieces.append(svg[cursor:])
    return "".join(pieces)
