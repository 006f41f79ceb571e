"""Methodologies, phases with their canonical keys and labels, and project statuses."""

from __future__ import annotations

from enum import StrEnum


class Methodology(StrEnum):
    DMAIC = "dmaic"
    KAIZEN = "kaizen"


class Phase(StrEnum):
    SCOPE = "scope"
    BASELINE = "baseline"
    ROOT_CAUSE = "root_cause"
    COUNTERMEASURES = "countermeasures"
    SUSTAIN = "sustain"


class Status(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    CLOSED = "closed"


PHASES: tuple[Phase, ...] = tuple(Phase)

METHODOLOGY_LABELS = {Methodology.DMAIC: "DMAIC project", Methodology.KAIZEN: "Kaizen event"}

PHASE_LABELS: dict[Methodology, dict[Phase, str]] = {
    Methodology.DMAIC: {
        Phase.SCOPE: "Define",
        Phase.BASELINE: "Measure",
        Phase.ROOT_CAUSE: "Analyze",
        Phase.COUNTERMEASURES: "Improve",
        Phase.SUSTAIN: "Control",
    },
    Methodology.KAIZEN: {
        Phase.SCOPE: "Scope / charter",
        Phase.BASELINE: "Current state",
        Phase.ROOT_CAUSE: "Root cause",
        Phase.COUNTERMEASURES: "Countermeasures",
        Phase.SUSTAIN: "Sustain / follow-up",
    },
}

STATUS_LABELS = {
    Status.ACTIVE: "Active",
    Status.ON_HOLD: "On hold",
    Status.CANCELLED: "Cancelled",
    Status.CLOSED: "Closed",
}


# By plain (methodology, phase) text: the API list labels fifty projects per request, and
# building two enum members per label was a sixth of the list's serializing.
_LABELS = {(m.value, p.value): label for m, labels in PHASE_LABELS.items()
           for p, label in labels.items()}


def phase_label(methodology: str, phase: str) -> str:
    try:
        return _LABELS[methodology, phase]
    except KeyError:
        raise ValueError(f"no phase {phase!r} in a {methodology!r} project") from None


def next_phase(phase: str) -> Phase | None:
    """The phase after ``phase``, or None when leaving it closes the project."""
    index = PHASES.index(Phase(phase))
    return PHASES[index + 1] if index + 1 < len(PHASES) else None
