"""A project whose primary metric is a KPI reads its stages from the KPI's values: the KPI
data set the project was started with keeps following the KPI, each value staged by its
period against the project's dates.

- ``baseline``: periods before the change;
- ``after change``: from the change on, the day the team says it took effect or, until
  they say, the day the project entered Improve (its Analyze gate approved);
- ``sustain``: from the day the project entered Control (its Improve gate approved) on,
  through the close and after it. Sustain starts at Control, not at the close, because the
  sustain gate needs 20 sustain points before it can close the project; after the close
  the KPI's new values carry on the same stage, so the data sets' sustain monitoring judges
  them ("did the gain hold?").

A period belongs to the stage in force on its first day (a week whose Wednesday saw the
change counts as before it). The data set gets a new version whenever the KPI's values
or the dates change what it should hold: new periods are appended (which runs the append
listeners, sustain monitoring among them), and changed stages or corrected values rewrite
it, keeping each period's exclusion. Functions flush, never commit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pyarrow as pa
from sqlalchemy import select

from ..datasets import building
from ..datasets import services as datasets
from ..datasets.models import Dataset
from ..extensions import db
from ..gates.models import GateReview, ReviewStatus
from ..projects.models import Project
from ..projects.phases import Phase
from .models import Kpi, KpiProject, KpiValue

if TYPE_CHECKING:
    from ..auth.models import User

BASELINE, AFTER, SUSTAIN = "baseline", "after change", "sustain"
STAGES = (BASELINE, AFTER, SUSTAIN)


@dataclass(frozen=True)
class Dates:
    """The first day of each later stage (None: not reached yet)."""

    change: date | None
    change_set: bool  # the team set the change date; else it is the day Improve began
    sustain: date | None
    closed: date | None


@dataclass(frozen=True)
class Point:
    period: date
    value: float
    stage: str
    note: str


def entered(project_id: int) -> dict[str, date]:
    """The day the project entered each phase it reached through a gate: the day the gate
    of the phase before was approved (the latest approval, should one be approved twice)."""
    following = dict(zip(tuple(Phase)[:-1], tuple(Phase)[1:], strict=True))
    rows = db.session.execute(select(GateReview.phase, GateReview.decided_at).where(
        GateReview.project_id == project_id, GateReview.status == ReviewStatus.APPROVED,
        GateReview.decided_at.is_not(None)).order_by(GateReview.decided_at))
    return {str(following[Phase(phase)]): _day(at) for phase, at in rows
            if Phase(phase) in following}


def _day(at: datetime) -> date:
    """The server's local day of a stored UTC time: the day ``date.today()`` gives for
    the KPI's periods when the gate was decided."""
    return at.astimezone().date()


def dates(link: KpiProject, project: Project) -> Dates:
    phases = entered(project.id)
    change = link.change_date or phases.get(Phase.COUNTERMEASURES)
    return Dates(change=change, change_set=link.change_date is not None,
                 sustain=phases.get(Phase.SUSTAIN),
                 closed=_day(project.closed_at) if project.closed_at else None)


def stage_of(period: date, when: Dates) -> str:
    if when.sustain is not None and period >= when.sustain:
        return SUSTAIN
    if when.change is not None and period >= when.change:
        return AFTER
    return BASELINE


def charted(kpi: Kpi, value: float, n: float | None) -> float:
    """The value as the KPI charts it: a p chart's proportion, a u chart's rate; NaN when
    its n is missing or zero (such a value is left out of the data set)."""
    if kpi.chart not in ("p", "u"):
        return value
    return value / n if n else math.nan


def points(kpi: Kpi, rows: Sequence[KpiValue], when: Dates) -> list[Point]:
    out = []
    for r in rows:
        value = charted(kpi, r.value, r.n)
        if math.isfinite(value):
            out.append(Point(r.period, value, stage_of(r.period, when), r.note or ""))
    return out


def table_of(found: Sequence[Point]) -> pa.Table:
    return building.from_records([
        {"value": p.value, "time": p.period.isoformat(), "stage": p.stage,
         **({"note": p.note} if p.note else {})} for p in found], "continuous")


def held(table: pa.Table) -> list[Point] | None:
    """The data set's rows as points; None when it has no period column to follow."""
    if "time" not in table.column_names or table.num_rows == 0:
        return None
    names = table.column_names
    times = table.column("time").to_pylist()
    if any(t is None for t in times):
        return None
    column = {name: table.column(name).to_pylist() for name in ("value", "stage", "note")
              if name in names}
    blank = [""] * table.num_rows
    return [Point(t.date(), v, s or "", n or "") for t, v, s, n in zip(
        times, column["value"], column.get("stage", blank), column.get("note", blank),
        strict=True)]


def dataset_of(kpi: Kpi, link: KpiProject) -> Dataset | None:
    """The project's KPI data set; a link made before it was recorded finds it by the
    source its data set names (``KPI <id>: ...``) and remembers it."""
    if link.dataset_id is not None:
        return db.session.get(Dataset, link.dataset_id)
    found = db.session.scalar(select(Dataset).where(
        Dataset.project_id == link.project_id, Dataset.source.startswith(f"KPI {kpi.id}:"))
        .order_by(Dataset.id).limit(1))
    if found is not None:
        link.dataset_id = found.id
    return found


def sync(actor: User | None, kpi: Kpi, link: KpiProject) -> int:
    """Bring the project's KPI data set in step with the KPI; the new versions made (0 to
    2: a rewrite of the periods it held, then an append of the new ones)."""
    dataset = dataset_of(kpi, link)
    project = db.session.get(Project, link.project_id)
    if dataset is None or project is None or dataset.current == 0:
        return 0
    current = datasets.load(dataset)
    have = held(current)
    if not have:
        return 0
    first, last = min(p.period for p in have), max(p.period for p in have)
    rows = list(db.session.scalars(select(KpiValue).where(
        KpiValue.kpi_id == kpi.id, KpiValue.period >= first).order_by(KpiValue.period)))
    want = points(kpi, rows, dates(link, project))
    old = [p for p in want if p.period <= last]
    new = [p for p in want if p.period > last]
    made = 0
    if old != have and old:
        datasets.replace_rows(actor, dataset, _keep_exclusions(table_of(old), current),
                              f"Read again from KPI {kpi.name}: {_why(have, old)}")
        made += 1
    if new:
        datasets.append_rows(actor, dataset, table_of(new))
        made += 1
    return made


def _keep_exclusions(table: pa.Table, before: pa.Table) -> pa.Table:
    """A point excluded (with its reason) stays excluded when its period is rewritten."""
    if "excluded" not in before.column_names:
        return table
    reasons = {t.date(): reason for t, flag, reason in zip(
        before.column("time").to_pylist(), before.column("excluded").to_pylist(),
        before.column("exclude_reason").to_pylist(), strict=True) if flag}
    days = [t.date() for t in table.column("time").to_pylist()]
    return (table.append_column("excluded", pa.array([d in reasons for d in days]))
            .append_column("exclude_reason",
                           pa.array([reasons.get(d, "") for d in days], pa.string())))


def _why(have: list[Point], want: list[Point]) -> str:
    before = {p.period: p for p in have}
    staged = sum(1 for p in want if p.period in before and before[p.period].stage != p.stage)
    changed = sum(1 for p in want if p.period not in before
                  or (before[p.period].value, before[p.period].note) != (p.value, p.note))
    parts = ([f"{staged} period(s) in a new stage"] if staged else []) + \
        ([f"{changed} value(s) corrected or added"] if changed else [])
    return "; ".join(parts) or "values no longer in the KPI left out"


def links(kpi: Kpi) -> list[KpiProject]:
    return list(db.session.scalars(select(KpiProject).where(KpiProject.kpi_id == kpi.id)
                                   .order_by(KpiProject.id)))


def follow(actor: User | None, kpi: Kpi) -> None:
    """After the KPI's values change: every project started from it follows."""
    for link in links(kpi):
        sync(actor, kpi, link)
