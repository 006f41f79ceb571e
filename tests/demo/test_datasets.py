"""The demo's measurement data: the series each story needs, with the shift it tells of."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import numpy as np

from ciapp.datasets import building, services
from ciapp.demo import datasets as demo
from tests import factories


def _stage_rate(rows: list[dict[str, Any]], stage: str) -> float:
    picked = [r for r in rows if r["stage"] == stage]
    return sum(r["value"] for r in picked) / sum(r["n"] for r in picked)


def _stage_mean(rows: list[dict[str, Any]], stage: str) -> float:
    return float(np.mean([r["value"] for r in rows if r["stage"] == stage]))


PROJECT = SimpleNamespace(start_date=date(2026, 3, 2))


def test_short_shots_fall_from_the_charters_rate_after_the_change() -> None:
    rows = demo.short_shots(PROJECT)["rows"]  # type: ignore[arg-type]

    # The charter: 3.8% scrap before, about 1% hoped for after the countermeasures.
    assert 0.032 < _stage_rate(rows, "baseline") < 0.044
    assert _stage_rate(rows, "after change") < 0.016
    assert building.from_records(rows, "defectives").num_rows == 50


def test_changeovers_drop_and_hold_and_the_pull_tests_are_25_lots_of_5() -> None:
    rows = demo.changeovers(PROJECT)["rows"]  # type: ignore[arg-type]
    assert _stage_mean(rows, "baseline") > 80
    assert _stage_mean(rows, "after change") < 40 and _stage_mean(rows, "sustain") < 35

    tests = demo.pull_tests(PROJECT)  # type: ignore[arg-type]
    table = building.from_records(tests["rows"], "continuous", subgroup_size=5)
    assert table.num_rows == 125 and len(set(table.column("subgroup").to_pylist())) == 25


def test_the_same_rows_every_time() -> None:
    assert demo.changeovers(PROJECT) == demo.changeovers(PROJECT)  # type: ignore[arg-type]


def test_projects_get_the_data_set_of_their_metric(db: Any) -> None:
    scrap = factories.project(metric_name="Short-shot scrap rate")
    other = factories.project(metric_name="Something else")

    assert demo.add([scrap, other]) == 1
    [dataset] = services.project_datasets(scrap.id)
    assert (dataset.kind, dataset.name) == ("defectives", "Short shots per day")
    assert services.project_datasets(other.id) == []
