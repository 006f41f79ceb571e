"""Measurement data for the demo projects: baseline and after-change series with a shift a
belt would expect to see, drawn from fixed seeds so every demo database holds the same rows.

The numbers follow each project's charter: the short-shot scrap rate falls from about 3.8%
to about 1.1% after the vents and the dryer alarm were fixed, the SMED changeovers fall from
about 95 to about 30 minutes and hold, and the clip pull tests are the 125-test baseline
(25 subgroups of 5) the Measure gate discusses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from ..auth.models import User
from ..datasets import building
from ..datasets import services as datasets
from ..projects.models import Project


def _days(start: date | None, count: int, first: int = 0) -> list[str]:
    day0 = datetime.combine(start or date(2026, 1, 5), time(6, 0))
    return [(day0 + timedelta(days=first + i)).strftime("%Y-%m-%d %H:%M")
            for i in range(count)]


def short_shots(project: Project) -> dict[str, Any]:
    rng = np.random.default_rng(20260105)
    rows = []
    for stage, days, rate, first in (("baseline", 30, 0.038, 0), ("after change", 20, 0.011, 60)):
        made = rng.integers(380, 440, size=days)
        scrap = rng.binomial(made, rate)
        for when, n, d in zip(_days(project.start_date, days, first), made, scrap, strict=True):
            rows.append({"value": int(d), "n": int(n), "stage": stage, "time": when})
    rows[11]["note"] = "Dryer alarm at 02:40, resin wet for the night shift"
    return {"name": "Short shots per day", "kind": "defectives", "metric":
            "Short-shot scrap rate", "unit": "parts", "source": "Vision system export",
            "rows": rows}


def changeovers(project: Project) -> dict[str, Any]:
    rng = np.random.default_rng(20260330)
    rows = []
    for stage, count, mean, sd, first in (("baseline", 20, 95, 18, 0),
                                          ("after change", 20, 31, 6, 30),
                                          ("sustain", 20, 27, 4, 60)):
        minutes = np.clip(rng.normal(mean, sd, size=count), 12, None).round(0)
        for when, m in zip(_days(project.start_date, count, first), minutes, strict=True):
            rows.append({"value": float(m), "stage": stage, "time": when})
    rows[47]["note"] = "Night shift, clamp hose missing from the cart"
    return {"name": "Changeover times", "kind": "continuous", "metric":
            "Changeover time, last good part to first good part", "unit": "min",
            "source": "Setter log sheets", "rows": rows}


def pull_tests(project: Project) -> dict[str, Any]:
    rng = np.random.default_rng(20260601)
    forces = rng.normal(52.0, 4.1, size=125).round(1)
    days = _days(project.start_date, 25, 7)
    rows = [{"value": float(f), "subgroup": f"Lot {i // 5 + 1:02d}", "time": days[i // 5],
             "stage": "baseline"} for i, f in enumerate(forces)]
    return {"name": "Clip pull tests", "kind": "continuous", "metric": "Clip retention force",
            "unit": "N", "source": "Quality lab, pull tester PT-2", "subgroup_size": 5,
            "rows": rows}


# By the primary metric named in the demo charters (ciapp/demo/data.py).
SERIES: dict[str, Callable[[Project], dict[str, Any]]] = {
    "Short-shot scrap rate": short_shots,
    "Changeover time, last good part to first good part": changeovers,
    "Clip retention force": pull_tests,
}


def add(projects: Sequence[Project]) -> int:
    """Data sets for the demo projects that have a series; how many were added."""
    added = 0
    for project in projects:
        make = SERIES.get(project.metric_name or "")
        if make is None or project.lead is None:
            continue
        spec = make(project)
        table = building.from_records(spec.pop("rows"), spec["kind"],
                                      subgroup_size=spec.get("subgroup_size"))
        lead: User = project.lead
        datasets.create_dataset(lead, project.id, table, **spec)
        added += 1
    return added
