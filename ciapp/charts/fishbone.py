"""A fishbone (Ishikawa) diagram: the effect in a box at the head, a spine, one diagonal
bone per category (alternately above and below the spine), and the causes as ribs.

Readable at any size because nothing is placed by guesswork: the axes are laid out in
inches (one data unit = one inch), every cause gets its own rows of a fixed height in its
category's column, and texts are wrapped to the column's width in characters, measured
with a conservative width per character. So texts never overlap however many causes or
however long they are; the figure grows instead. Knows nothing of the database.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .style import INK, LIGHT, PALETTE

FONT = 7.5  # points
LINE = 0.155  # inches per text line at FONT
CHAR = 0.062  # inches per character at FONT: wider than the average glyph, on purpose
COLUMN = 2.7  # inches per category column
RIB_ROOM = 0.55  # inches between a column's texts and its bone
HEAD = 2.3  # inches for the effect box
MARGIN = 0.3
INDENT = 0.18  # a sub-cause's indent
STATUS_COLOURS = {"suspected": INK, "verified": PALETTE["spec"], "ruled_out": LIGHT}


@dataclass(frozen=True)
class CauseDrawn:
    text: str
    status: str = "suspected"
    votes: int = 0
    subs: Sequence[CauseDrawn] = field(default_factory=tuple)


@dataclass(frozen=True)
class Bone:
    name: str
    causes: Sequence[CauseDrawn] = field(default_factory=tuple)


def _label(cause: CauseDrawn) -> str:
    text = cause.text
    if cause.votes:
        text = f"{text} ({cause.votes} vote{'s' if cause.votes != 1 else ''})"
    if cause.status == "verified":
        text += " ✓ verified"
    elif cause.status == "ruled_out":
        text += " (ruled out)"
    return text


def _wrap(text: str, width_in: float) -> list[str]:
    chars = max(8, int(width_in / CHAR))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=True) or [""]


@dataclass(frozen=True)
class _Row:
    text: str
    indent: int
    colour: str
    first: bool  # the first line of a cause: its rib starts here


def _rows(bone: Bone) -> list[_Row]:
    width = COLUMN - RIB_ROOM
    rows: list[_Row] = []

    def add(cause: CauseDrawn, depth: int) -> None:
        lines = _wrap(_label(cause), width - depth * INDENT)
        colour = STATUS_COLOURS.get(cause.status, INK)
        rows.extend(_Row(line, depth, colour, i == 0) for i, line in enumerate(lines))
        for sub in cause.subs:
            add(sub, depth + 1)

    for cause in bone.causes:
        add(cause, 0)
    return rows


def fishbone_figure(effect: str, bones: Sequence[Bone]) -> Figure:
    """The whole diagram; an empty effect or no bones still draws (a spine and a head)."""
    top, bottom = list(bones[0::2]), list(bones[1::2])
    columns = max(1, math.ceil(len(bones) / 2))
    rows = {id(b): _rows(b) for b in bones}
    name_lines = {id(b): _wrap(b.name, COLUMN - RIB_ROOM) for b in bones}

    def half_height(half: list[Bone]) -> float:
        need = [(len(rows[id(b)]) + len(name_lines[id(b)]) + 1) * LINE for b in half]
        return max([1.0, *need]) + 0.2

    effect_lines = _wrap(effect or "(no effect written yet)", HEAD - 0.7)  # bold, larger
    up, down = half_height(top), half_height(bottom)
    spine_y = down + MARGIN
    height = max(up + down + 2 * MARGIN, len(effect_lines) * LINE + 2 * MARGIN + 0.4)
    width = MARGIN + columns * COLUMN + HEAD + MARGIN
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    head_x = MARGIN + columns * COLUMN
    ax.plot([MARGIN, head_x], [spine_y, spine_y], color=INK, linewidth=2)
    _head(ax, head_x, spine_y, effect_lines)
    for i, bone in enumerate(top):
        _bone(ax, bone, rows[id(bone)], name_lines[id(bone)], MARGIN + i * COLUMN, spine_y,
              spine_y + up, above=True)
    for i, bone in enumerate(bottom):
        _bone(ax, bone, rows[id(bone)], name_lines[id(bone)], MARGIN + i * COLUMN, spine_y,
              spine_y - down, above=False)
    return fig


def _head(ax: object, x: float, y: float, lines: list[str]) -> None:
    box_h = len(lines) * LINE + 0.3
    ax.add_patch(FancyBboxPatch((x + 0.1, y - box_h / 2), HEAD - 0.2, box_h,  # type: ignore[attr-defined]
                                boxstyle="round,pad=0.02", facecolor="#F3F3F3",
                                edgecolor=INK, linewidth=1.2))
    for i, line in enumerate(lines):
        ax.text(x + 0.25, y + box_h / 2 - 0.15 - (i + 0.5) * LINE, line,  # type: ignore[attr-defined]
                fontsize=FONT + 0.5, va="center", ha="left", color=INK, fontweight="bold")


def _bone(ax: object, bone: Bone, rows: list[_Row], name: list[str], x0: float,
          spine_y: float, end_y: float, *, above: bool) -> None:
    """A category's bone from its label at ``end_y`` to the spine; the causes listed from
    the label towards the spine, each rib running from its text to the bone."""
    bone_top_x, bone_spine_x = x0 + COLUMN - RIB_ROOM + 0.1, x0 + COLUMN - 0.05

    def bone_x(y: float) -> float:
        t = (y - end_y) / (spine_y - end_y)
        return bone_top_x + t * (bone_spine_x - bone_top_x)

    ax.plot([bone_top_x, bone_spine_x], [end_y, spine_y], color=INK, linewidth=1.2)  # type: ignore[attr-defined]
    # Texts always read downwards: above the spine the name comes first, then the causes;
    # below it the causes start under the spine and the name closes the bone.
    y = end_y if above else end_y + len(name) * LINE
    for line in name:  # the category's name, bold, at the far end of its bone
        ax.text(x0, y - 0.5 * LINE, line, fontsize=FONT + 1, fontweight="bold",  # type: ignore[attr-defined]
                va="center", ha="left", color=PALETTE["point"])
        y -= LINE
    y = y - 0.5 * LINE if above else spine_y - 0.5 * LINE
    for row in rows:
        centre = y - 0.5 * LINE
        ax.text(x0 + row.indent * INDENT, centre, row.text, fontsize=FONT, va="center",  # type: ignore[attr-defined]
                ha="left", color=row.colour)
        if row.first:
            ax.plot([x0 + COLUMN - RIB_ROOM, bone_x(centre)], [centre, centre],  # type: ignore[attr-defined]
                    color=LIGHT if row.indent else INK, linewidth=0.6)
        y -= LINE
