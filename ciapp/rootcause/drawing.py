"""A project's fishbone handed to the chart, which knows nothing of the database."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..charts.fishbone import Bone, CauseDrawn, fishbone_figure
from . import fishbone
from .models import SIX_MS, Cause, Fishbone


def _drawn(cause: Cause, subs: list[Cause] = ()) -> CauseDrawn:  # type: ignore[assignment]
    return CauseDrawn(cause.text, cause.status, cause.votes, tuple(_drawn(s) for s in subs))


def figure_of(bone: Fishbone | None) -> Figure:
    """The diagram; a project without a fishbone yet gets the empty 6 Ms."""
    if bone is None:
        return fishbone_figure("", [Bone(name) for name in SIX_MS])
    return fishbone_figure(bone.effect, [
        Bone(category.name, tuple(_drawn(cause, subs) for cause, subs in causes))
        for category, causes in fishbone.layout(bone)])
