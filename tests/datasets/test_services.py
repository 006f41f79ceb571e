"""Data set services on a real database: versions with hashes, appends, edits, exclusions,
the audit trail, and refusals that leave nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.core.errors import Conflict, DomainError, NotFound
from ciapp.datasets import building, services, storage
from ciapp.datasets.models import Dataset, DatasetVersion
from tests import factories


def rows(*values: float, **extra: Any) -> Any:
    return building.from_records([{"value": v, **extra} for v in values], "continuous")


@pytest.fixture
def project(db: Any) -> Any:
    return factories.project()


def test_a_new_data_set_has_version_1_with_the_hash_of_its_rows(db: Any, project: Any) -> None:
    table = rows(1.5, 2.5, 3.5)
    ds = services.create_dataset(project.lead, project.id, table, name="Fill weight",
                                 kind="continuous", unit="g", source="weights.csv")
    db.session.commit()
    version = services.get_version(ds)
    assert (ds.current, version.number, version.rows) == (1, 1, 3)
    assert version.sha256 == storage.content_hash(table)
    assert services.load(ds).column("value").to_pylist() == [1.5, 2.5, 3.5]
    assert services.load(ds).column("excluded").to_pylist() == [False] * 3


def test_names_are_unique_within_a_project(db: Any, project: Any) -> None:
    services.create_dataset(project.lead, project.id, rows(1), name="A", kind="continuous")
    with pytest.raises(DomainError, match="already has a data set named 'A'"):
        services.create_dataset(project.lead, project.id, rows(2), name=" A ", kind="continuous")
    other = factories.project()
    services.create_dataset(other.lead, other.id, rows(1), name="A", kind="continuous")


def test_appending_makes_a_new_version_and_keeps_the_old_one_readable(db: Any,
                                                                     project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1, 2, stage="baseline"),
                                 name="Cycle time", kind="continuous")
    first = services.get_version(ds).sha256
    services.append_rows(project.lead, ds, rows(3, stage="sustain"), expected=1)
    assert ds.current == 2
    assert services.load(ds).column("stage").to_pylist() == ["baseline", "baseline", "sustain"]
    assert services.load(ds, 1).column("value").to_pylist() == [1, 2]
    assert services.get_version(ds, 1).sha256 == first != services.get_version(ds).sha256


def test_an_append_without_a_column_the_data_has_fills_it_blank(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1, note="first"), name="N",
                                 kind="continuous")
    services.append_rows(project.lead, ds, rows(2))
    assert services.load(ds).column("note").to_pylist() == ["first", ""]


def test_a_change_based_on_an_old_version_is_refused(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1), name="A", kind="continuous")
    services.append_rows(project.lead, ds, rows(2), expected=1)
    with pytest.raises(Conflict, match="changed since you opened it"):
        services.append_rows(project.lead, ds, rows(3), expected=1)


def test_excluding_needs_a_reason_keeps_the_point_and_is_audited(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1, 99, 3), name="A",
                                 kind="continuous")
    with pytest.raises(DomainError, match="Say why"):
        services.exclude_point(project.lead, ds, 1, "  ")
    services.exclude_point(project.lead, ds, 1, "Gauge dropped")
    table = services.load(ds)
    assert table.column("value").to_pylist() == [1, 99, 3]
    assert table.column("excluded").to_pylist() == [False, True, False]
    assert table.column("exclude_reason")[1].as_py() == "Gauge dropped"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "exclude")).one()
    assert "Gauge dropped" in event.summary
    with pytest.raises(Conflict, match="already excluded"):
        services.exclude_point(project.lead, ds, 1, "again")
    services.exclude_point(project.lead, ds, 1, "", exclude=False)
    assert services.load(ds).column("excluded").to_pylist() == [False] * 3


def test_editing_a_point_checks_it_like_an_import(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1, 2), name="A",
                                 kind="continuous")
    services.edit_point(project.lead, ds, 0, {"value": "1.25"})
    assert services.load(ds).column("value").to_pylist() == [1.25, 2]
    with pytest.raises(Exception, match="'abc' is not a number"):
        services.edit_point(project.lead, ds, 0, {"value": "abc"})
    with pytest.raises(NotFound, match="has no point 5"):
        services.edit_point(project.lead, ds, 4, {"value": 1})


def test_a_data_set_of_another_project_is_not_found(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1), name="A", kind="continuous")
    other = factories.project()
    with pytest.raises(NotFound):
        services.get_dataset(other.id, ds.id)
    assert services.get_dataset(project.id, ds.id) is ds


def test_a_refused_create_saves_nothing(db: Any, project: Any) -> None:
    with pytest.raises(DomainError):
        services.create_dataset(project.lead, project.id, rows(1), name="", kind="continuous")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)) == 0


def test_a_chart_is_drawn_once_per_data_version_and_options(db: Any, project: Any) -> None:
    ds = services.create_dataset(project.lead, project.id, rows(1, 2, 3), name="A",
                                 kind="continuous")
    drawn: list[int] = []

    def render() -> bytes:
        drawn.append(1)
        return b"<svg>%d</svg>" % len(drawn)

    version = services.get_version(ds)
    first = services.cached_chart(ds, version, {"type": "i"}, "image/svg+xml", render)
    again = services.cached_chart(ds, version, {"type": "i"}, "image/svg+xml", render)
    assert first == again == b"<svg>1</svg>" and len(drawn) == 1
    services.cached_chart(ds, version, {"type": "i", "rules": "we"}, "image/svg+xml", render)
    services.append_rows(project.lead, ds, rows(4))
    services.cached_chart(ds, services.get_version(ds), {"type": "i"}, "image/svg+xml", render)
    assert len(drawn) == 3
