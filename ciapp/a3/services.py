"""The A3: one page that tells a project's story from its own data, box by box (background
and problem, current condition, goal, root-cause analysis, countermeasures, results,
follow-up, benefits), and the copy of it frozen when the project closes.

Every box shows what is missing instead of failing. Lists are cut to what fits the page,
saying how many more there are, so the page stays one page whatever the project holds.
Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from flask import current_app, has_request_context, render_template
from sqlalchemy import select

from ..analyses import criteria as data_criteria
from ..charts.fishbone import Bone, CauseDrawn, fishbone_figure
from ..charts.svg import to_svg
from ..core.errors import DomainError
from ..core.time import utcnow
from ..extensions import db
from ..improve import services as improve
from ..projects.models import Project
from ..projects.phases import METHODOLOGY_LABELS, STATUS_LABELS, Phase, Status
from ..rootcause import fishbone
from ..rootcause import services as rootcause
from ..stats import StatsInputError
from . import charts
from .models import A3Snapshot
from .sections import current_sections

T = TypeVar("T")
# What one A3 page holds; the rest is counted ("and 4 more") and lives on the project's pages.
LIMITS = {"chains": 2, "whys": 5, "roots": 5, "countermeasures": 5, "controls": 4,
          "actions": 5, "team": 8, "causes": 4}
CAUSE_CHARS = 60  # a cause's text on the A3's fishbone


@dataclass(frozen=True)
class Cut(Generic[T]):
    """The first items of a list, and how many were left out."""

    items: Sequence[T]
    more: int = 0

    def __bool__(self) -> bool:
        return bool(self.items)


def cut(items: Sequence[T], limit: int) -> Cut[T]:
    return Cut(list(items[:limit]), max(0, len(items) - limit))


@dataclass(frozen=True)
class Chain:
    problem: str
    nodes: Cut[rootcause.Node]


@dataclass(frozen=True)
class Sheet:
    """What the A3 page shows: the sheet's HTML, and the snapshot it came from (None: live)."""

    html: str
    frozen: A3Snapshot | None


def assemble(project: Project) -> dict[str, Any]:
    """Everything the sheet template needs, read from the project's data."""
    dataset = charts.primary(project)
    cms = improve.countermeasures(project.id)
    open_actions = sorted((a for cm in cms for a in cm.actions if a.status != "done"),
                          key=lambda a: (a.due_date, a.id))
    return {
        "project": project,
        "methodology": METHODOLOGY_LABELS.get(project.methodology, project.methodology),
        "status": STATUS_LABELS.get(project.status, project.status),
        "team": cut(project.team_members, LIMITS["team"]),
        "baseline": charts.baseline_chart(project, dataset),
        "capability": charts.capability(project, dataset),
        "fishbone_svg": _fishbone(project),
        "chains": cut([Chain(c.problem, cut(rootcause.tree(c), LIMITS["whys"]))
                       for c in rootcause.project_chains(project.id)], LIMITS["chains"]),
        "roots": cut(rootcause.project_root_causes(project.id), LIMITS["roots"]),
        "countermeasures": cut(cms, LIMITS["countermeasures"]),
        "staged": charts.staged_chart(project, dataset),
        "verdict": charts.verdict(project),
        "controls": cut(improve.control_rows(project.id), LIMITS["controls"]),
        "open_actions": cut(open_actions, LIMITS["actions"]),
        "today": improve.today(),
        "sustain": _sustain(project),
        "lessons": improve.lessons_of(project.id),
        "sections": current_sections().fill(project),
    }


def _fishbone(project: Project) -> str | None:
    """The fishbone with each bone's leading causes (by votes, as the fishbone page orders
    them): a page's corner cannot show a hundred causes legibly, and the rest are counted."""
    bone = fishbone.find(project.id)
    if bone is None or not any(c.causes for c in bone.categories):
        return None
    bones = []
    for category, causes in fishbone.layout(bone):
        shown = [CauseDrawn(cause.text if len(cause.text) <= CAUSE_CHARS
                            else cause.text[:CAUSE_CHARS - 1] + "…", cause.status, cause.votes)
                 for cause, _ in causes[:LIMITS["causes"]]]
        hidden = len(category.causes) - len(shown)
        if hidden:
            shown.append(CauseDrawn(f"… and {hidden} more"))
        bones.append(Bone(category.name, tuple(shown)))
    effect = bone.effect if len(bone.effect) <= CAUSE_CHARS else bone.effect[:CAUSE_CHARS] + "…"
    return charts.fit(to_svg(fishbone_figure(effect, bones)), "a3-fishbone")


def _sustain(project: Project) -> str:
    """The sustain check in words, once the project has reached the sustain phase."""
    if project.phase != Phase.SUSTAIN:
        return ""
    try:
        return data_criteria.sustain_stable(project).detail
    except (DomainError, StatsInputError) as exc:
        return f"The sustain stage cannot be checked: {exc}"


def render_sheet(project: Project) -> str:
    """The sheet's HTML. Outside a request (a CLI closing a project) a request context is
    made up, since the charts link their points with ``url_for``."""
    if has_request_context():
        return render_template("a3/_sheet.html", a3=assemble(project), made=date.today())
    with current_app.test_request_context():
        return render_template("a3/_sheet.html", a3=assemble(project), made=date.today())


def snapshot_of(project: Project) -> A3Snapshot | None:
    return db.session.scalar(select(A3Snapshot).where(A3Snapshot.project_id == project.id))


def freeze(project: Project) -> A3Snapshot:
    """Keep the A3 as it is now: called when the sustain gate closes the project."""
    html = render_sheet(project)
    snapshot = snapshot_of(project) or A3Snapshot(project_id=project.id)
    snapshot.html = html
    snapshot.taken_at = utcnow()
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def sheet(project: Project, live: bool = False) -> Sheet:
    """A closed project's frozen A3 (unless ``live``); otherwise the A3 drawn now."""
    if project.status == Status.CLOSED and not live:
        snapshot = snapshot_of(project)
        if snapshot is not None:
            return Sheet(snapshot.html, snapshot)
    return Sheet(render_sheet(project), None)
