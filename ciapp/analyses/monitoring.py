"""After a project closes, new points on its primary metric are judged against the sustain
limits (never re-based); a rule 1 signal flags the project and tells its lead, sponsor and
the council: "did the gain hold?"."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from ..auth.models import User
from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..datasets.models import Dataset, DatasetVersion
from ..extensions import db
from ..notifications import services as notifications
from ..projects.models import Project
from ..projects.phases import Status
from .models import SustainFlag


def after_append(actor: User, dataset: Dataset, version: DatasetVersion,
                 appended: int) -> SustainFlag | None:
    """Called when rows are appended; flags a closed project whose new rows signal."""
    project = db.session.get(Project, dataset.project_id)
    if project is None or project.status != Status.CLOSED or not dataset.primary_metric:
        return None
    table = datasets.load(dataset, version.number)
    labels = adapt.stage_labels(table)
    if labels is None or "sustain" not in {s.lower() for s in labels}:
        return None
    chart_type, _ = adapt.suggest_chart(dataset.kind, table, dataset.subgroup_size)
    pts = adapt.points(table, dataset.subgroup_size, subgrouped=chart_type in adapt.SUBGROUPED)
    limits_from = _as_closed(project, dataset, labels, pts) or \
        next(s for s in labels if s.lower() == "sustain")
    chart = adapt.chart(table, dataset.kind, chart_type, subgroup_size=dataset.subgroup_size,
                        options={"rules": [1], "limits_from": limits_from})
    new_rows = set(range(table.num_rows - appended, table.num_rows))
    new_points = new_rows if pts.rows is None else \
        {j for j, rows in enumerate(pts.rows) if new_rows & set(np.asarray(rows).tolist())}
    signals = sorted(p for p in chart.violations.get(1, []) if p in new_points)
    if not signals:
        return None
    shown = ", ".join(str(p + 1) for p in signals[:10])
    message = (f"{project.key}: did the gain hold? New data in '{dataset.name}' fall outside "
               f"the sustain limits (point {shown}).")
    flag = SustainFlag(project_id=project.id, dataset_id=dataset.id, version=version.number,
                       points=shown[:200], message=message)
    db.session.add(flag)
    people = [u for u in (project.lead, project.sponsor) if u is not None]
    notifications.notify(people + notifications.council_members(), message,
                         project_id=project.id)
    db.session.flush()
    return flag


def _as_closed(project: Project, dataset: Dataset, labels: list[str],
               pts: Any) -> list[bool] | None:
    """The points the data set held when the project closed: the sustain limits come from
    these, so data arriving after the close (a gain being lost) never widen or move the
    limits they are judged against. None (limits from the whole sustain stage) when the
    close time is unknown or fewer than 2 sustain points came before it."""
    if project.closed_at is None:
        return None
    held = db.session.scalar(select(DatasetVersion.rows).where(
        DatasetVersion.dataset_id == dataset.id, DatasetVersion.created_at <= project.closed_at)
        .order_by(DatasetVersion.number.desc()).limit(1))
    if not held:
        return None
    rows = [[j] for j in range(len(labels))] if pts.rows is None else \
        [np.asarray(r).tolist() for r in pts.rows]
    before = [bool(r) and max(r) < held for r in rows]
    sustain = [before[j] and labels[r[0]].lower() == "sustain" for j, r in enumerate(rows) if r]
    return before if sum(sustain) >= 2 else None


def open_flags(project_id: int | None = None) -> list[SustainFlag]:
    stmt = select(SustainFlag).where(SustainFlag.cleared_at.is_(None))
    if project_id is not None:
        stmt = stmt.where(SustainFlag.project_id == project_id)
    return list(db.session.scalars(stmt.order_by(SustainFlag.raised_at.desc())))


def listener(actor: Any, dataset: Dataset, version: DatasetVersion, appended: int) -> None:
    after_append(actor, dataset, version, appended)
