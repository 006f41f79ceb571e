"""The gate criteria that data decide: baseline, the before/after part of countermeasures,
and the sustain stage's stability (DESIGN.md's gate table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..datasets.models import AnalysisRecord, Dataset
from ..extensions import db
from ..gates.criteria import CriteriaRegistry, Outcome
from ..projects.phases import Phase

if TYPE_CHECKING:
    from ..projects.models import Project

MIN_BASELINE = 20
SUSTAIN_WINDOW = 20
NOT_AFTER = ("baseline", "sustain")


def primary_datasets(project: Project) -> list[Dataset]:
    return list(db.session.scalars(select(Dataset).where(
        Dataset.project_id == project.id, Dataset.primary_metric.is_(True),
        Dataset.current > 0).order_by(Dataset.id)))


def _records(project: Project, analysis: str) -> list[AnalysisRecord]:
    return list(db.session.scalars(select(AnalysisRecord).where(
        AnalysisRecord.project_id == project.id, AnalysisRecord.analysis == analysis)
        .order_by(AnalysisRecord.id.desc())))


def _stage_mask(table: Any, stage: str) -> np.ndarray | None:
    labels = adapt.stage_labels(table)
    if labels is None:
        return None
    return np.char.lower(np.asarray(labels, dtype=str)) == stage


def _points_in(dataset: Dataset, table: Any, mask: np.ndarray | None) -> int:
    subset = table if mask is None else table.filter(mask)
    groups = adapt._groups(subset, dataset.subgroup_size)  # noqa: SLF001  same area's rule
    return subset.num_rows if groups is None else len(groups)


def baseline_points(project: Project) -> Outcome:
    best = 0
    for ds in primary_datasets(project):
        table = datasets.load(ds)
        best = max(best, _points_in(ds, table, _stage_mask(table, "baseline")))
        if best >= MIN_BASELINE:
            return Outcome(True, f"'{ds.name}': {best} baseline points")
    if not primary_datasets(project):
        return Outcome(False, "No data set on the primary metric yet")
    return Outcome(False, f"{best} baseline points or subgroups; {MIN_BASELINE} needed")


def baseline_chart(project: Project) -> Outcome:
    records = _records(project, "chart")
    if records:
        return Outcome(True, f"Saved: {records[0].title}")
    return Outcome(False, "No saved control chart")


def baseline_capability(project: Project) -> Outcome:
    if project.lsl is None and project.usl is None:
        return Outcome(True, "No specification limits: capability does not apply")
    records = _records(project, "capability")
    if records:
        return Outcome(True, f"Saved: {records[0].title}")
    return Outcome(False, "Specification limits exist but no capability is saved")


def after_data(project: Project) -> Outcome:
    for ds in primary_datasets(project):
        labels = adapt.stage_labels(datasets.load(ds)) or []
        after = sorted({s for s in labels if s.lower() not in NOT_AFTER})
        if after:
            return Outcome(True, f"'{ds.name}': stage {', '.join(after)}")
    if _records(project, "comparison"):
        return Outcome(True, "A before/after comparison is saved")
    return Outcome(False, "No after-change stage in a primary-metric data set")


def before_after_better(project: Project) -> Outcome:
    records = _records(project, "comparison")
    if not records:
        return Outcome(False, "No saved before/after comparison")
    result = records[0].result
    if result.get("significant") and result.get("improved"):
        return Outcome(True, result.get("verdict", ""))
    return Outcome(False, result.get("verdict") or "The latest comparison shows no "
                   "significant change in the better direction")


def sustain_stable(project: Project) -> Outcome:
    for ds in primary_datasets(project):
        table = datasets.load(ds)
        mask = _stage_mask(table, "sustain")
        if mask is None or not mask.any():
            continue
        n = _points_in(ds, table, mask)
        if n < SUSTAIN_WINDOW:
            return Outcome(False, f"'{ds.name}': {n} sustain points; {SUSTAIN_WINDOW} needed")
        signals = sustain_signals(ds, table, mask)
        if signals:
            return Outcome(False, f"'{ds.name}': rule 1 signal at point(s) "
                           + ", ".join(str(p + 1) for p in signals))
        return Outcome(True, f"'{ds.name}': no rule 1 signal in the last {SUSTAIN_WINDOW} "
                       "sustain points")
    return Outcome(False, "No sustain stage in a primary-metric data set")


def sustain_signals(ds: Dataset, table: Any, mask: np.ndarray) -> list[int]:
    """Rule 1 signals among the last SUSTAIN_WINDOW sustain points (row positions)."""
    chart_type, _ = adapt.suggest_chart(ds.kind, table, ds.subgroup_size)
    chart = adapt.chart(table, ds.kind, chart_type, subgroup_size=ds.subgroup_size,
                        options={"rules": [1]})
    sustain_rows = np.flatnonzero(mask)[-SUSTAIN_WINDOW * max(1, ds.subgroup_size or 1):]
    points = set(sustain_rows.tolist()) if chart_type not in adapt.SUBGROUPED else \
        {j for j, rows in enumerate(adapt.points(table, ds.subgroup_size).rows or [])
         if rows[0] in set(sustain_rows.tolist())}
    return sorted(p for p in chart.violations.get(1, []) if p in points)


def register(registry: CriteriaRegistry) -> None:
    registry.add(Phase.BASELINE, "baseline_points", baseline_points)
    registry.add(Phase.BASELINE, "baseline_chart", baseline_chart)
    registry.add(Phase.BASELINE, "baseline_capability", baseline_capability)
    registry.add(Phase.COUNTERMEASURES, "after_data", after_data)
    registry.add(Phase.COUNTERMEASURES, "before_after_better", before_after_better)
    registry.add(Phase.SUSTAIN, "sustain_stable", sustain_stable)
