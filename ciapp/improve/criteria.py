"""The gate criteria countermeasures and the control plan decide (DESIGN.md's gate table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..extensions import db
from ..gates.criteria import CriteriaRegistry, Outcome
from ..projects.phases import Phase
from ..rootcause.models import RootCause
from .models import ControlPlanRow, Countermeasure, countermeasure_causes

if TYPE_CHECKING:
    from ..projects.models import Project


def countermeasure_per_cause(project: Project) -> Outcome:
    verified = list(db.session.scalars(select(RootCause).where(
        RootCause.project_id == project.id, RootCause.verified.is_(True))
        .order_by(RootCause.id)))
    if not verified:
        return Outcome(False, "No verified root cause yet")
    answered = set(db.session.scalars(select(countermeasure_causes.c.root_cause_id).where(
        countermeasure_causes.c.root_cause_id.in_([r.id for r in verified]))))
    missing = [r for r in verified if r.id not in answered]
    if missing:
        return Outcome(False, "No countermeasure yet for: "
                       + "; ".join(f"'{r.statement}'" for r in missing))
    return Outcome(True, f"All {len(verified)} verified root cause(s) have a countermeasure")


def countermeasures_done(project: Project) -> Outcome:
    rows = list(db.session.scalars(select(Countermeasure).where(
        Countermeasure.project_id == project.id)))
    if not rows:
        return Outcome(False, "No countermeasure yet")
    open_ = [c for c in rows if c.status != "done"]
    if open_:
        return Outcome(False, f"{len(open_)} of {len(rows)} countermeasure(s) not done")
    return Outcome(True, f"All {len(rows)} countermeasure(s) done")


def control_plan(project: Project) -> Outcome:
    n = db.session.scalar(select(func.count()).select_from(ControlPlanRow).where(
        ControlPlanRow.project_id == project.id)) or 0
    if n:
        return Outcome(True, f"Control plan with {n} row(s)")
    return Outcome(False, "No control plan yet")


def register(registry: CriteriaRegistry) -> None:
    registry.add(Phase.COUNTERMEASURES, "countermeasure_per_cause", countermeasure_per_cause)
    registry.add(Phase.COUNTERMEASURES, "countermeasures_done", countermeasures_done)
    registry.add(Phase.SUSTAIN, "control_plan", control_plan)
