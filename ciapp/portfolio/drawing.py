"""The council's ideas handed to the PICK chart, which knows nothing of the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from ..charts.pick import GID, IdeaPoint, pick_figure
from ..charts.svg import to_png, to_svg, with_point_titles
from .models import Idea


def _points(ideas: Sequence[Idea], link: Callable[[Idea], str] | None
            ) -> tuple[IdeaPoint, ...]:
    return tuple(IdeaPoint(i.id, i.title, i.effort, i.impact, link(i) if link else None)
                 for i in ideas if i.effort is not None and i.impact is not None)


@lru_cache(maxsize=32)
def _svg(points: tuple[IdeaPoint, ...]) -> str:
    # Keyed by the points themselves (numbers, titles, scores, links): the ideas page draws
    # the chart on every view, and it changes only when an idea is scored or decided.
    fig, drawn = pick_figure(points)
    return with_point_titles(to_svg(fig), GID, [m.title for m in drawn],
                             [m.link for m in drawn])


def pick_svg(ideas: Sequence[Idea], link: Callable[[Idea], str] | None = None) -> str:
    """The chart as SVG to embed, each marker with a tooltip naming its ideas and, for a
    single idea, a link to it."""
    return _svg(_points(ideas, link))


def pick_png(ideas: Sequence[Idea]) -> bytes:
    fig, _ = pick_figure(_points(ideas, None))
    return to_png(fig)
