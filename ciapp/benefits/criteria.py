"""The sustain gate's benefit criteria (DESIGN.md's gate table): realized benefits
entered, and hard savings validated by finance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..gates.criteria import CriteriaRegistry, Outcome
from ..projects.phases import Phase
from . import services

if TYPE_CHECKING:
    from ..projects.models import Project


def benefits_realized(project: Project) -> Outcome:
    lines = services.lines(project.id)
    months = sum(len(line.months) for line in lines)
    if not months:
        return Outcome(False, "No realized month entered yet" if lines
                       else "No benefit line yet")
    total = sum(line.realized for line in lines)
    return Outcome(True, f"{months} realized month(s) entered, {total} in all")


def savings_validated(project: Project) -> Outcome:
    """Every hard savings line: its projection and every realized month approved. A project
    that claims no hard savings has nothing for finance to sign off."""
    hard = [line for line in services.lines(project.id) if line.category == "hard_savings"]
    if not hard:
        return Outcome(True, "No hard savings claimed")
    open_ = [line for line in hard if line.projected_state != "approved"
             or any(m.state != "approved" for m in line.months)]
    if open_:
        return Outcome(False, f"{len(open_)} of {len(hard)} hard savings line(s) not fully "
                       "validated: " + "; ".join(f"'{line.description}'" for line in open_))
    return Outcome(True, f"All {len(hard)} hard savings line(s) validated by finance")


def register(registry: CriteriaRegistry) -> None:
    registry.add(Phase.SUSTAIN, "benefits_realized", benefits_realized)
    registry.add(Phase.SUSTAIN, "savings_validated", savings_validated)
