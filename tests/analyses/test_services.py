"""Saved analyses: what is saved names the exact data version, re-running gives the same
numbers, a changed data set makes an old record say which version it used, and options
are refused with clear messages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ciapp.analyses import services
from ciapp.core.errors import DomainError, NotFound
from ciapp.datasets import building
from ciapp.datasets import services as datasets
from tests import factories

RNG = np.random.default_rng(2)


def rows(values: Any, stage: str | None = None) -> Any:
    return building.from_records(
        [{"value": float(v)} | ({"stage": stage} if stage else {}) for v in values],
        "continuous")


@pytest.fixture
def project(db: Any) -> Any:
    return factories.project(complete=True, lsl=6.0, usl=14.0)


@pytest.fixture
def dataset(db: Any, project: Any) -> Any:
    return datasets.create_dataset(project.lead, project.id, rows(RNG.normal(10, 1, 30),
                                                                  "baseline"),
                                   name="Fill weight", kind="continuous", unit="g")


def test_a_saved_chart_names_its_version_and_reruns_to_the_same_numbers(
        db: Any, project: Any, dataset: Any) -> None:
    src = services.source(project, dataset.id)
    record = services.save_record(project.lead, project, "chart", [src], {})
    assert record.inputs[0]["version"] == 1
    assert record.inputs[0]["sha256"] == datasets.get_version(dataset).sha256
    assert record.result["kind"] == "i"
    assert "I-MR" in record.result["reason"]
    again = services.rerun(project, record)
    assert again.reproduced and again.differences == () and again.newer_versions == ()


def test_after_an_append_the_record_still_reruns_on_its_own_version(
        db: Any, project: Any, dataset: Any) -> None:
    record = services.save_record(project.lead, project, "chart",
                                  [services.source(project, dataset.id)], {"type": "i"})
    datasets.append_rows(project.lead, dataset, rows([10.5, 9.5], "sustain"))
    again = services.rerun(project, record)
    assert again.reproduced
    assert again.newer_versions == ("'Fill weight': this record used version 1; the newest "
                                    "is 2",)


def test_a_tampered_result_is_reported_with_the_number_that_differs(
        db: Any, project: Any, dataset: Any) -> None:
    record = services.save_record(project.lead, project, "capability",
                                  [services.source(project, dataset.id)], {})
    assert record.result["lsl"] == 6.0  # the project's specification limits by default
    record.result = dict(record.result, cpk=record.result["cpk"] + 0.5)
    again = services.rerun(project, record)
    assert not again.reproduced
    assert any(d.startswith("cpk: ") for d in again.differences)


def test_a_comparison_of_two_stages_knows_the_better_direction(db: Any, project: Any) -> None:
    ds = datasets.create_dataset(project.lead, project.id,
                                 rows(list(RNG.normal(10, 1, 25)) + list(RNG.normal(8, 1, 25))),
                                 name="Cycle", kind="continuous")
    datasets.append_rows(project.lead, ds, rows([8.1], "after change"))
    table_stages = ["baseline"] * 25 + ["after change"] * 26
    ds2 = datasets.create_dataset(
        project.lead, project.id,
        building.from_records([{"value": float(v), "stage": s} for v, s in zip(
            datasets.load(ds).column("value").to_pylist(), table_stages, strict=True)],
            "continuous"), name="Cycle staged", kind="continuous")
    before = services.source(project, ds2.id, stage="baseline")
    after = services.source(project, ds2.id, stage="after change")
    record = services.save_record(project.lead, project, "comparison", [before, after], {})
    assert record.result["improved"] is True  # the project's metric: lower is better
    assert record.result["significant"] is True


@pytest.mark.parametrize(("options", "message"), [
    ({"type": "xbar"}, "This data set has no subgroups"),
    ({"type": "p"}, "cannot be drawn as a 'p' chart"),
    ({"colour": "red"}, "Unknown option(s) for a control chart: colour"),
    ({"center": "abc"}, "'center' must be a number"),
    ({"rules": "bogus"}, "bogus"),
])
def test_bad_chart_options_are_refused_by_name(db: Any, project: Any, dataset: Any,
                                               options: dict, message: str) -> None:
    with pytest.raises(DomainError) as caught:
        services.run("chart", project, [services.source(project, dataset.id)], options)
    assert message in caught.value.message


def test_sources_of_another_project_or_version_are_not_found(db: Any, project: Any,
                                                             dataset: Any) -> None:
    other = factories.project()
    with pytest.raises(NotFound):
        services.source(other, dataset.id)
    with pytest.raises(NotFound, match="has no version 7"):
        services.source(project, dataset.id, version=7)


def test_capability_without_any_spec_says_so(db: Any) -> None:
    bare = factories.project()
    ds = datasets.create_dataset(bare.lead, bare.id, rows([1, 2, 3, 4, 5]), name="A",
                                 kind="continuous")
    with pytest.raises(DomainError, match="needs a specification limit"):
        services.run("capability", bare, [services.source(bare, ds.id)], {})
