"""From a KPI to an improvement project: "start an improvement" makes a project with the
KPI as its primary metric (name, unit, direction, target as the goal) and the KPI's recent
values as its baseline data set, linked both ways (``KpiProject``; the data set's source
names the KPI). Functions flush, never commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from ..audit import services as audit
from ..core.errors import DomainError, Forbidden
from ..datasets import building
from ..datasets import services as datasets
from ..extensions import db
from ..projects import permissions
from ..projects import services as projects
from ..projects.models import Project
from . import status as S
from .models import Kpi, KpiProject, KpiValue

if TYPE_CHECKING:
    from ..auth.models import User

BASELINE_VALUES = 60
"""How many of the KPI's newest values become the project's baseline data set."""


def _title(kpi: Kpi, title: str | None) -> str:
    title = " ".join((title or "").split()) or f"Improve {kpi.name}"
    if len(title) > 200:
        raise DomainError("The title is longer than 200 characters.", field="title")
    return title


def start(actor: User, kpi: Kpi, title: str | None) -> Project:
    if not permissions.can_create_project(actor):
        raise Forbidden("Only belts, council members and admins start improvement projects.")
    rows = list(db.session.scalars(select(KpiValue).where(KpiValue.kpi_id == kpi.id)
                                   .order_by(KpiValue.period.desc())
                                   .limit(BASELINE_VALUES)))[::-1]
    if len(rows) < 2:
        raise DomainError("The KPI needs at least 2 values to give the project a baseline.",
                          field="title")
    signals = "; ".join((kpi.summary or {}).get("signals", []))
    target = "" if kpi.target is None else f" to {kpi.target:g} {kpi.unit}".rstrip()
    project = projects.create_project(actor, {
        "title": _title(kpi, title), "org_unit_id": kpi.org_unit_id,
        "metric_name": kpi.name[:120], "metric_unit": kpi.unit, "metric_better": kpi.better,
        "target": kpi.target if kpi.chart == "i" else None,
        "problem": f"{kpi.name}: {S.VARIATION_TEXT[(kpi.summary or {}).get('variation', 'none')]}"
                   + (f" ({signals})." if signals else "."),
        "goal": f"Move {kpi.name} {'up' if kpi.better == 'higher' else 'down'}{target}."})
    datasets.create_dataset(
        actor, project.id, _baseline_table(kpi, rows), name=f"{kpi.name} (KPI baseline)"[:120],
        kind="continuous", metric=kpi.name[:120], unit=kpi.unit,
        source=f"KPI {kpi.id}: {kpi.name}"[:200])
    db.session.add(KpiProject(kpi_id=kpi.id, project_id=project.id, created_by_id=actor.id))
    db.session.flush()
    audit.record(actor, "start improvement", "kpi", kpi.id,
                 summary=f"Started {project.key} {project.title} from this KPI")
    return project


def _baseline_table(kpi: Kpi, rows: list[KpiValue]) -> object:
    """The values as the KPI charts them (a p chart's proportion, a u chart's rate)."""
    values = np.array([r.value for r in rows], dtype=float)
    if kpi.chart in ("p", "u"):
        values = values / np.array([r.n or np.nan for r in rows], dtype=float)
    return building.from_records([
        {"value": float(v), "time": r.period.isoformat(), "stage": "baseline",
         **({"note": r.note} if r.note else {})}
        for v, r in zip(values, rows, strict=True) if np.isfinite(v)], "continuous")


def linked(kpi: Kpi) -> list[Project]:
    """The KPI's improvement projects, newest first, with their phase and status."""
    return list(db.session.scalars(select(Project).join(
        KpiProject, KpiProject.project_id == Project.id).where(KpiProject.kpi_id == kpi.id)
        .order_by(KpiProject.created_at.desc())))
