"""The rules of data sets: creating one from checked rows, appending, editing and excluding
points, each change a new immutable version with its content hash, all in the audit trail.

Services flush and never commit; the route or CLI command that calls them commits once, so
an import is one transaction: nothing is half-saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from flask import Flask, current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import undefer

from ..audit import services as audit
from ..audit.models import AuditEvent
from ..auth.models import User
from ..core.errors import Conflict, DomainError, NotFound
from ..core.records import child_or_404
from ..core.time import utcnow
from ..core.versions import check_version as check_record_version
from ..extensions import db
from . import building, storage
from .models import ChartCache, Dataset, DatasetVersion

NAME_MAX = 120


def get_dataset(project_id: int, dataset_id: int) -> Dataset:
    """The data set ``dataset_id`` of project ``project_id``; 404 for one of another project."""
    return child_or_404(Dataset, dataset_id, project_id, what="Data set",
                        within=" in this project")


def project_datasets(project_id: int) -> list[Dataset]:
    return list(db.session.scalars(
        select(Dataset).where(Dataset.project_id == project_id).order_by(Dataset.id)))


def get_version(dataset: Dataset, number: int | None = None) -> DatasetVersion:
    number = dataset.current if number is None else number
    version = db.session.scalar(
        select(DatasetVersion).options(undefer(DatasetVersion.payload))
        .where(DatasetVersion.dataset_id == dataset.id, DatasetVersion.number == number))
    if version is None:
        raise NotFound(f"Data set '{dataset.name}' has no version {number}; its versions are "
                       f"1 to {dataset.current}.")
    return version


def load(dataset: Dataset, number: int | None = None) -> pa.Table:
    """The rows of version ``number`` (the newest by default)."""
    return storage.decode(get_version(dataset, number).payload)


def versions(dataset: Dataset) -> list[DatasetVersion]:
    return list(db.session.scalars(
        select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
        .order_by(DatasetVersion.number.desc())))


def check_details(project_id: int, name: str, kind: str, subgroup_size: int | None,
                  dataset_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the data set a name.", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"The name is {len(name)} characters; keep it to {NAME_MAX}.",
                          field="name")
    if kind not in building.KINDS:
        raise DomainError(f"Unknown kind '{kind}'; use one of {', '.join(building.KINDS)}.",
                          field="kind")
    if subgroup_size is not None and not 1 <= subgroup_size <= 1000:
        raise DomainError("The subgroup size must be between 1 and 1000.",
                          field="subgroup_size")
    clash = db.session.scalar(select(Dataset.id).where(
        Dataset.project_id == project_id, Dataset.name == name))
    if clash is not None and clash != dataset_id:
        raise DomainError(f"This project already has a data set named '{name}'.", field="name")
    return name


def create_dataset(actor: User, project_id: int, table: pa.Table, *, name: str, kind: str,
                   metric: str = "", unit: str = "", subgroup_size: int | None = None,
                   source: str = "", primary_metric: bool = True) -> Dataset:
    """A new data set whose version 1 holds ``table`` (already checked by ``building``)."""
    name = check_details(project_id, name, kind, subgroup_size)
    dataset = Dataset(project_id=project_id, name=name, kind=kind, metric=metric.strip(),
                      unit=unit.strip(), subgroup_size=subgroup_size, source=source[:200],
                      primary_metric=primary_metric, created_by=actor)
    db.session.add(dataset)
    db.session.flush()
    version = _new_version(actor, dataset, table, f"Imported {table.num_rows} rows"
                           + (f" from {source}" if source else ""))
    audit.record(actor, "create", "dataset", dataset.id, project_id=project_id,
                 summary=f"Created data set '{name}' ({kind}, {table.num_rows} rows)",
                 changes={"sha256": [None, version.sha256]})
    return dataset


def _new_version(actor: User, dataset: Dataset, table: pa.Table, note: str) -> DatasetVersion:
    payload, digest = storage.encode(table)
    dataset.current += 1  # bumps the row's version too: two racing changes cannot both land
    version = DatasetVersion(dataset=dataset, number=dataset.current, sha256=digest,
                             rows=table.num_rows, note=note, created_by=actor, payload=payload)
    db.session.add(version)
    db.session.flush()
    return version


def check_version(dataset: Dataset, expected: int | None) -> None:
    """Refuse a change made on an older version of the rows than the newest one."""
    if expected is not None and expected != dataset.current:
        raise Conflict(f"Data set '{dataset.name}' changed since you opened it (version "
                       f"{expected}, now {dataset.current}). Reload and try again.")


def append_rows(actor: User, dataset: Dataset, rows: pa.Table,
                expected: int | None = None) -> DatasetVersion:
    """Add ``rows`` (checked by ``building`` with this data set's kind) after the others."""
    check_version(dataset, expected)
    current = load(dataset)
    combined = pa.concat_tables([current, storage.canonical(rows)], promote_options="default")
    combined = _fill_missing(combined)
    if dataset.subgroup_size and "subgroup" not in combined.column_names \
            and combined.num_rows % dataset.subgroup_size:
        raise DomainError(f"{combined.num_rows} rows do not split into subgroups of "
                          f"{dataset.subgroup_size}; append whole subgroups.", field="rows")
    version = _new_version(actor, dataset, combined, f"Appended {rows.num_rows} rows")
    audit.record(actor, "append", "dataset", dataset.id, project_id=dataset.project_id,
                 summary=f"Appended {rows.num_rows} rows to '{dataset.name}'",
                 changes={"rows": [current.num_rows, combined.num_rows],
                          "sha256": [None, version.sha256]})
    if has_app_context():
        for listener in append_listeners(current_app):
            listener(actor, dataset, version, rows.num_rows)
    return version


def replace_rows(actor: User | None, dataset: Dataset, table: pa.Table,
                 note: str) -> DatasetVersion:
    """A new version holding ``table`` (checked by ``building``) in place of the rows: for
    a data set kept in step with another source, such as a KPI's values. The append
    listeners do not run: nothing was appended."""
    before = get_version(dataset)
    version = _new_version(actor, dataset, table, note)
    audit.record(actor, "update", "dataset", dataset.id, project_id=dataset.project_id,
                 summary=f"{note} ('{dataset.name}')",
                 changes={"rows": [before.rows, table.num_rows],
                          "sha256": [before.sha256, version.sha256]})
    return version


AppendListener = Callable[[User, Dataset, DatasetVersion, int], None]


def append_listeners(app: Flask) -> list[AppendListener]:
    """What other areas run after rows are appended (sustain monitoring), registered from
    their own ``register(app)``: this area does not import them."""
    return app.extensions.setdefault("ciapp.dataset_append_listeners", [])


def _fill_missing(table: pa.Table) -> pa.Table:
    """Cells left null by an append whose rows lack a column get that column's blank."""
    columns = []
    for name in table.column_names:
        col = table.column(name)
        if col.null_count and pa.types.is_string(col.type):
            col = pc.fill_null(col, "")
        elif col.null_count and pa.types.is_boolean(col.type):
            col = pc.fill_null(col, False)
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def _row(table: pa.Table, index: int, dataset: Dataset) -> None:
    if not 0 <= index < table.num_rows:
        raise NotFound(f"Data set '{dataset.name}' has no point {index + 1} (it has "
                       f"{table.num_rows}).")


def edit_point(actor: User, dataset: Dataset, index: int, values: Mapping[str, Any],
               expected: int | None = None) -> DatasetVersion:
    """Change the cells of point ``index`` (0-based); checked as an imported row would be."""
    check_version(dataset, expected)
    table = load(dataset)
    _row(table, index, dataset)
    old = {k: table.column(k)[index].as_py() for k in values if k in table.column_names}
    record = {k: old.get(k) for k in building.ROLES if k in table.column_names} | dict(values)
    checked = building.from_records([record], dataset.kind)
    changes: dict[str, list[Any]] = {}
    for name in values:
        if name not in table.column_names:
            raise DomainError(f"This data set has no '{name}' column.", field=name)
        new = checked.column(name)[0].as_py()
        if new != old[name]:
            changes[name] = [old[name], new]
            table = _set(table, name, index, checked.column(name)[0])
    if not changes:
        return get_version(dataset)
    version = _new_version(actor, dataset, table, f"Edited point {index + 1}: "
                           + ", ".join(sorted(changes)))
    audit.record(actor, "update", "dataset", dataset.id, project_id=dataset.project_id,
                 summary=f"Edited point {index + 1} of '{dataset.name}'",
                 changes={f"point {index + 1} {k}": v for k, v in changes.items()})
    return version


def _set(table: pa.Table, name: str, index: int, value: pa.Scalar) -> pa.Table:
    col = table.column(name).combine_chunks()
    values = col.to_pylist()
    values[index] = value.as_py()
    position = table.column_names.index(name)
    return table.set_column(position, name, pa.array(values, type=col.type))


def exclude_point(actor: User, dataset: Dataset, index: int, reason: str, *,
                  exclude: bool = True, expected: int | None = None) -> DatasetVersion:
    """Leave point ``index`` out of the statistics (it stays visible), with a reason; or put
    it back. Either is a new version, and the audit trail keeps the reason."""
    check_version(dataset, expected)
    reason = (reason or "").strip()
    if exclude and not reason:
        raise DomainError("Say why the point is excluded; the reason stays with the data.",
                          field="reason")
    table = load(dataset)
    _row(table, index, dataset)
    was = table.column("excluded")[index].as_py()
    if was == exclude:
        raise Conflict(f"Point {index + 1} is already "
                       f"{'excluded' if exclude else 'included'}.")
    table = _set(table, "excluded", index, pa.scalar(exclude))
    table = _set(table, "exclude_reason", index, pa.scalar(reason if exclude else ""))
    verb = "Excluded" if exclude else "Included again"
    version = _new_version(actor, dataset, table, f"{verb} point {index + 1}"
                           + (f": {reason}" if reason else ""))
    audit.record(actor, "exclude" if exclude else "include", "dataset", dataset.id,
                 project_id=dataset.project_id,
                 summary=f"{verb} point {index + 1} of '{dataset.name}'"
                 + (f": {reason}" if reason else ""),
                 changes={f"point {index + 1} excluded": [was, exclude]})
    return version


RENDERER = "charts-1"  # bump when drawings change, so cached charts are drawn anew


def cached_chart(dataset: Dataset, version: DatasetVersion, what: Mapping[str, Any],
                 media_type: str, render: Callable[[], bytes]) -> bytes:
    """The chart described by ``what`` for ``version``, drawn once and then read from the
    shared cache. Two servers drawing the same chart at once both succeed."""
    key = hashlib.sha256(json.dumps({"data": version.sha256, "what": what, "as": media_type,
                                     "renderer": RENDERER}, sort_keys=True,
                                    default=str).encode()).hexdigest()
    body = db.session.scalar(select(ChartCache.body).where(ChartCache.key == key))
    if body is not None:
        return body
    body = render()
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[
        db.session.get_bind().dialect.name]
    db.session.execute(insert(ChartCache).values(
        key=key, dataset_id=dataset.id, media_type=media_type, body=body,
        created_at=utcnow()).on_conflict_do_nothing())
    return body


DETAILS = ("name", "metric", "unit", "source", "primary_metric")


def update_details(actor: User, dataset: Dataset, values: Mapping[str, Any],
                   expected_version: int | None) -> Dataset:
    """Change the name, metric, unit, source or the primary-metric flag (not the rows: those
    change only by new versions). ``expected_version`` is the details' lock, ``version``."""
    check_record_version(dataset, expected_version, f"Data set '{dataset.name}'")
    values = {k: v for k, v in values.items() if k in DETAILS}
    if "name" in values:
        values["name"] = check_details(dataset.project_id, values["name"], dataset.kind,
                                       dataset.subgroup_size, dataset.id)
    for text, limit in (("metric", 120), ("unit", 40), ("source", 200)):
        if text in values:
            values[text] = (values[text] or "").strip()
            if len(values[text]) > limit:
                raise DomainError(f"Keep the {text} to {limit} characters.", field=text)
    changes = audit.diff(dataset, values)
    if not changes:
        return dataset
    for name, value in values.items():
        setattr(dataset, name, value)
    db.session.flush()
    audit.record(actor, "update", "dataset", dataset.id, project_id=dataset.project_id,
                 summary=f"Changed the details of data set '{dataset.name}'", changes=changes)
    return dataset


def dataset_history(dataset: Dataset, limit: int = 100) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "dataset",
                                 AuditEvent.entity_id == dataset.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


def project_summaries(project_id: int) -> list[tuple[Dataset, int]]:
    """The project's data sets with the row count of their newest version, in one query."""
    return [(dataset, rows) for dataset, rows in db.session.execute(
        select(Dataset, DatasetVersion.rows).join(DatasetVersion, (
            DatasetVersion.dataset_id == Dataset.id) & (DatasetVersion.number == Dataset.current))
        .where(Dataset.project_id == project_id).order_by(Dataset.id))]
