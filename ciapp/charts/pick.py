"""The PICK chart: ideas placed by the council's effort (across) and impact (up) scores,
the four quadrants named (Possible, Implement, Challenge, Kill). Ideas with the same scores
share one marker whose tooltip lists them all, so none hides behind another. Knows nothing
of the database: it gets plain points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from .style import INK, LIGHT, PALETTE, figure

LOW, HIGH = 1, 10
SPLIT = 5.5  # scores 1-5 low, 6-10 high: no idea sits on a dividing line
GID = "pick-ideas"
QUADRANTS = (  # (x, y, name, how to read it) in data coordinates
    (LOW - 0.3, HIGH + 0.3, "Implement", "high impact, low effort"),
    (HIGH + 0.3, HIGH + 0.3, "Challenge", "high impact, high effort"),
    (LOW - 0.3, LOW - 0.3, "Possible", "low impact, low effort"),
    (HIGH + 0.3, LOW - 0.3, "Kill", "low impact, high effort"),
)


@dataclass(frozen=True)
class IdeaPoint:
    number: int
    title: str
    effort: int
    impact: int
    link: str | None = None


@dataclass(frozen=True)
class Marker:
    """One marker: every idea scored (effort, impact)."""

    effort: int
    impact: int
    ideas: tuple[IdeaPoint, ...]

    @property
    def label(self) -> str:
        return ", ".join(f"#{i.number}" for i in self.ideas)

    @property
    def title(self) -> str:
        head = f"effort {self.effort}, impact {self.impact}"
        return head + "\n" + "\n".join(f"#{i.number} {i.title}" for i in self.ideas)

    @property
    def link(self) -> str | None:
        return self.ideas[0].link if len(self.ideas) == 1 else None


def markers(points: Sequence[IdeaPoint]) -> list[Marker]:
    """Points grouped by their scores, in the order of the scores."""
    groups: dict[tuple[int, int], list[IdeaPoint]] = {}
    for point in points:
        groups.setdefault((point.effort, point.impact), []).append(point)
    return [Marker(e, i, tuple(sorted(g, key=lambda p: p.number)))
            for (e, i), g in sorted(groups.items())]


def pick_figure(points: Sequence[IdeaPoint]) -> tuple[Figure, list[Marker]]:
    """The chart, and its markers in the order they are drawn (for tooltips and links)."""
    fig, ax = figure(6.4, 5.2)
    ax.set_xlim(LOW - 0.6, HIGH + 0.6)
    ax.set_ylim(LOW - 0.6, HIGH + 0.6)
    ax.set_xticks(range(LOW, HIGH + 1))
    ax.set_yticks(range(LOW, HIGH + 1))
    ax.set_xlabel("Effort (1 = hours, 10 = months)")
    ax.set_ylabel("Impact (1 = small, 10 = large)")
    ax.axvline(SPLIT, color=LIGHT, linewidth=1)
    ax.axhline(SPLIT, color=LIGHT, linewidth=1)
    for x, y, name, words in QUADRANTS:
        ax.annotate(f"{name}\n{words}", xy=(x, y), fontsize=7.5, color=INK,
                    ha="left" if x < SPLIT else "right", va="top" if y > SPLIT else "bottom")
    drawn = markers(points)
    if drawn:
        ax.scatter([m.effort for m in drawn], [m.impact for m in drawn], s=70,
                   color=PALETTE["point"], edgecolors=INK, linewidths=0.5, zorder=3, gid=GID)
        for m in drawn:
            ax.annotate(m.label, xy=(m.effort, m.impact), xytext=(6, 4),
                        textcoords="offset points", fontsize=7.5, color=INK)
    else:
        ax.annotate("No idea is scored yet.", xy=(SPLIT, SPLIT), ha="center", va="center",
                    fontsize=9, color=LIGHT)
    fig.tight_layout()
    return fig, drawn
