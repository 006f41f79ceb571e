"""The scope gate's criteria: the charter's fields and the team, computed from the project."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..projects.phases import Phase
from .criteria import CriteriaRegistry, Outcome

if TYPE_CHECKING:
    from ..projects.models import Project

TEXT_FIELDS = {"problem": "Problem statement", "goal": "Goal", "in_scope": "In scope"}


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _text(field: str, label: str) -> Callable[[Project], Outcome]:
    def evaluate(project: Project) -> Outcome:
        ok = _filled(getattr(project, field))
        return Outcome(ok, "" if ok else f"{label} is empty")

    return evaluate


def sponsor(project: Project) -> Outcome:
    return Outcome(project.sponsor_id is not None, "" if project.sponsor_id else "No sponsor")


def lead(project: Project) -> Outcome:
    return Outcome(project.lead_id is not None, "" if project.lead_id else "No lead")


def primary_metric(project: Project) -> Outcome:
    missing = [name for name, ok in (("name", _filled(project.metric_name)),
                                     ("unit", _filled(project.metric_unit)),
                                     ("better direction", bool(project.metric_better)))
               if not ok]
    return Outcome(not missing, "Missing metric " + ", ".join(missing) if missing else "")


def team(project: Project) -> Outcome:
    # The same people the team card lists under the lead and the sponsor.
    n = len(project.team_members)
    return Outcome(n > 0, f"{n} team member{'s' if n != 1 else ''} besides the lead and "
                          "the sponsor")


def register(registry: CriteriaRegistry) -> None:
    for field, label in TEXT_FIELDS.items():
        registry.add(Phase.SCOPE, field, _text(field, label))
    registry.add(Phase.SCOPE, "sponsor", sponsor)
    registry.add(Phase.SCOPE, "lead", lead)
    registry.add(Phase.SCOPE, "primary_metric", primary_metric)
    registry.add(Phase.SCOPE, "team", team)
