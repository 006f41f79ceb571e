"""The registry of gate criteria and checklists.

A criterion is a function of a project that says whether one condition for leaving a phase
holds, computed live from the project's data. Each feature registers the criteria it can
evaluate next to the data it owns, with the ``criterion`` decorator::

    @criterion(Phase.BASELINE, "baseline_points", "Baseline data set with 20 or more points")
    def _baseline_points(project): ...

so adding a gate rule is a small, local change. The scope gate's criteria live here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..projects.models import Project
from ..projects.phases import Phase


@dataclass(frozen=True)
class Outcome:
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Criterion:
    phase: Phase
    key: str
    label: str
    evaluate: Callable[[Project], Outcome]


CRITERIA: dict[Phase, dict[str, Criterion]] = {phase: {} for phase in Phase}

# The manual checklist of each gate: things a person confirms that no data can show.
CHECKLISTS: dict[Phase, dict[str, str]] = {
    Phase.SCOPE: {
        "sponsor_agreed": "The sponsor has agreed the charter",
        "team_released": "Team members' managers have released their time",
    },
    Phase.BASELINE: {
        "msa_checked": "The measurement system was checked (Gage R&R or attribute agreement)",
        "data_plan": "The data collection plan was followed",
    },
    Phase.ROOT_CAUSE: {
        "causes_verified": "Root causes were verified with data or a trial, not opinion",
    },
    Phase.COUNTERMEASURES: {
        "owners_trained": "Process owners are trained in the new method",
        "risks_reviewed": "Risks of the change were reviewed (FMEA or equivalent)",
    },
    Phase.SUSTAIN: {
        "handover": "The process owner has accepted the control plan",
        "lessons": "Lessons learned are written down and shared",
    },
}


def criterion(phase: Phase, key: str, label: str
              ) -> Callable[[Callable[[Project], Outcome]], Callable[[Project], Outcome]]:
    def register(fn: Callable[[Project], Outcome]) -> Callable[[Project], Outcome]:
        if key in CRITERIA[phase]:
            raise ValueError(f"gate criterion {phase}/{key} registered twice")
        CRITERIA[phase][key] = Criterion(phase, key, label, fn)
        return fn

    return register


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _text_criterion(phase: Phase, field: str, label: str) -> None:
    def evaluate(project: Project) -> Outcome:
        ok = _filled(getattr(project, field))
        return Outcome(ok, "" if ok else f"{label} is empty")

    criterion(phase, field, f"{label} filled in")(evaluate)


for _field, _label in (("problem", "Problem statement"), ("goal", "Goal"),
                       ("in_scope", "In scope")):
    _text_criterion(Phase.SCOPE, _field, _label)


@criterion(Phase.SCOPE, "sponsor", "Sponsor named")
def _sponsor(project: Project) -> Outcome:
    return Outcome(project.sponsor_id is not None, "" if project.sponsor else "No sponsor")


@criterion(Phase.SCOPE, "lead", "Project lead named")
def _lead(project: Project) -> Outcome:
    return Outcome(project.lead_id is not None, "" if project.lead else "No lead")


@criterion(Phase.SCOPE, "primary_metric", "Primary metric with unit and better direction")
def _primary_metric(project: Project) -> Outcome:
    missing = [name for name, ok in (("name", _filled(project.metric_name)),
                                     ("unit", _filled(project.metric_unit)),
                                     ("better direction", bool(project.metric_better)))
               if not ok]
    return Outcome(not missing, "Missing metric " + ", ".join(missing) if missing else "")


@criterion(Phase.SCOPE, "team", "At least one team member")
def _team(project: Project) -> Outcome:
    n = len(project.team)
    return Outcome(n > 0, f"{n} team member{'s' if n != 1 else ''}")
