"""Gate criteria: what each gate expects, and the functions that compute them, registered on
purpose by the area that owns the data.

``EXPECTED`` says which criteria each gate has (the table in the design). An area makes one
of them computable from its own ``register(app)``::

    def register(app):
        criteria_of(app).add(Phase.BASELINE, "baseline_points", _baseline_points)

so nothing is registered by importing a module, and a second app in the same process (the
tests build several) has a registry of its own. A criterion the gate expects but that no
area has registered yet is shown as "not available yet" and does not count as met: a gate
cannot pass because the code that would check it has not been written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

from ..projects.phases import Phase

if TYPE_CHECKING:
    from flask import Flask

    from ..projects.models import Project

EXTENSION = "ciapp.gate_criteria"


@dataclass(frozen=True)
class Outcome:
    met: bool
    detail: str = ""


Evaluate = Callable[["Project"], Outcome]


@dataclass(frozen=True)
class Criterion:
    phase: Phase
    key: str
    label: str
    evaluate: Evaluate | None  # None: expected, but no area computes it yet

    @property
    def available(self) -> bool:
        return self.evaluate is not None


# The criteria each gate (named by the phase it leaves) is judged on, computed from the data.
EXPECTED: dict[Phase, dict[str, str]] = {
    Phase.SCOPE: {
        "problem": "Problem statement filled in",
        "goal": "Goal filled in",
        "in_scope": "In scope filled in",
        "sponsor": "Sponsor named",
        "lead": "Project lead named",
        "primary_metric": "Primary metric with unit and better direction",
        "team": "At least one team member besides the lead and the sponsor",
    },
    Phase.BASELINE: {
        "baseline_points": "Baseline data set on the primary metric with 20 or more points "
                           "or subgroups",
        "baseline_chart": "Control chart of the baseline computed",
        "baseline_capability": "Capability computed (where specification limits exist)",
    },
    Phase.ROOT_CAUSE: {
        "verified_root_cause": "At least one root cause verified, with evidence",
    },
    Phase.COUNTERMEASURES: {
        "countermeasure_per_cause": "Every verified root cause has a countermeasure",
        "countermeasures_done": "All countermeasures done",
        "after_data": "An after-change data set",
        "before_after_better": "Before/after test shows a change in the better direction",
    },
    Phase.SUSTAIN: {
        "control_plan": "A control plan",
        "sustain_stable": "No rule 1 signal in the last 20 sustain points",
        "benefits_realized": "Realized benefits entered",
        "savings_validated": "Hard savings validated by finance",
    },
}

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


class CriteriaRegistry:
    """The computable criteria of one app, by phase, in the order the gate lists them."""

    def __init__(self) -> None:
        self._registered: dict[Phase, dict[str, Criterion]] = {phase: {} for phase in Phase}

    def add(self, phase: Phase, key: str, evaluate: Evaluate, label: str | None = None,
            ) -> None:
        """Make criterion ``key`` of the ``phase`` gate computable. A key the gate does not
        expect needs a ``label``; registering a key twice is a mistake and raises."""
        phase = Phase(phase)
        if key in self._registered[phase]:
            raise ValueError(f"gate criterion {phase}/{key} registered twice")
        label = label or EXPECTED[phase].get(key)
        if label is None:
            raise ValueError(f"gate criterion {phase}/{key} is not expected; give it a label")
        self._registered[phase][key] = Criterion(phase, key, label, evaluate)

    def for_phase(self, phase: Phase | str) -> list[Criterion]:
        """Expected criteria first, in the design's order (unregistered ones without an
        ``evaluate``), then any extra ones an area added."""
        phase = Phase(phase)
        registered = self._registered[phase]
        expected = [registered.get(key) or Criterion(phase, key, label, None)
                    for key, label in EXPECTED[phase].items()]
        extra = [c for key, c in registered.items() if key not in EXPECTED[phase]]
        return expected + extra


def criteria_of(app: Flask) -> CriteriaRegistry:
    """The app's registry, made on first use."""
    return app.extensions.setdefault(EXTENSION, CriteriaRegistry())


def current_criteria() -> CriteriaRegistry:
    return criteria_of(current_app._get_current_object())  # type: ignore[attr-defined]
