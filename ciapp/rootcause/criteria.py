"""The root-cause gate's criterion (DESIGN.md): at least one root cause verified, with
evidence text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..extensions import db
from ..gates.criteria import CriteriaRegistry, Outcome
from ..projects.phases import Phase
from .models import RootCause

if TYPE_CHECKING:
    from ..projects.models import Project


def verified_root_cause(project: Project) -> Outcome:
    verified = db.session.scalar(select(func.count()).select_from(RootCause).where(
        RootCause.project_id == project.id, RootCause.verified.is_(True),
        func.length(func.trim(RootCause.evidence)) > 0)) or 0
    if verified:
        return Outcome(True, f"{verified} verified root cause(s) with evidence")
    candidates = db.session.scalar(select(func.count()).select_from(RootCause).where(
        RootCause.project_id == project.id)) or 0
    if candidates:
        return Outcome(False, f"{candidates} root cause(s), none verified with evidence yet")
    return Outcome(False, "No root cause yet")


def register(registry: CriteriaRegistry) -> None:
    registry.add(Phase.ROOT_CAUSE, "verified_root_cause", verified_root_cause)
