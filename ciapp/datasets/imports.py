"""Bringing rows in: an upload (file, pasted cells or a typed grid) kept as a draft until
its preview is confirmed, then read, checked and saved as a new data set or appended rows.

Nothing here commits. Confirming saves the data and deletes the draft in the caller's one
transaction, so an import either lands whole or not at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import pyarrow as pa
from sqlalchemy import delete, select

from ..auth.models import User
from ..core.time import utcnow
from ..extensions import db
from . import building, reading, services
from .models import Dataset, DatasetVersion, ImportDraft
from .problems import ImportProblem

DRAFT_LIFETIME = timedelta(days=1)
FILENAME_MAX = 200


@dataclass(frozen=True)
class Choices:
    """What the person chose on the preview (or the API client sent): the column roles and,
    for a new data set, its details."""

    kind: str = "continuous"
    mapping: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    name: str = ""
    metric: str = ""
    unit: str = ""
    subgroup_size: int | None = None
    source: str = ""


def start(actor: User, project_id: int | None, data: bytes, *, filename: str = "",
          pasted: bool = False, dataset: Dataset | None = None,
          max_bytes: int = reading.DEFAULT_MAX_BYTES) -> ImportDraft:
    """Keep ``data`` for its preview, once it reads as a table at all (else ImportProblem).

    A workbook whose first sheet does not read is kept when it has other sheets: the preview
    offers them. ``project_id`` is None for a programme import (``ciapp.programme``)."""
    try:
        reading.read(data, filename=filename, pasted=pasted, max_bytes=max_bytes)
    except ImportProblem as problem:
        if problem.status == 413 or len(sheet_names(data)) < 2:
            raise
    db.session.execute(delete(ImportDraft).where(
        ImportDraft.created_at < utcnow() - DRAFT_LIFETIME))
    draft = ImportDraft(project_id=project_id, dataset=dataset,
                        filename=(filename or "")[:FILENAME_MAX], pasted=pasted,
                        size=len(data), created_by_id=actor.id, payload=data)
    db.session.add(draft)
    db.session.flush()
    return draft


def sheet_names(data: bytes) -> tuple[str, ...]:
    """The sheets of an XLSX workbook; () for anything else or a workbook that won't open."""
    if not data.startswith(reading.XLSX_MAGIC):
        return ()
    from python_calamine import CalamineWorkbook

    try:
        return tuple(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
    except Exception:  # a broken workbook: reading says what is wrong with it
        return ()


def payload(draft: ImportDraft) -> bytes:
    return db.session.scalar(select(ImportDraft.payload).where(ImportDraft.id == draft.id)) \
        or b""


def read_draft(draft: ImportDraft, sheet: str | None = None) -> reading.RawTable:
    return reading.read(payload(draft), filename=draft.filename, sheet=sheet or None,
                        pasted=draft.pasted, max_bytes=max(draft.size, 1))


def grid_bytes(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """Cells typed into the grid as tab-separated text, read like cells pasted from Excel.
    Rows with every cell blank are left out, as a spreadsheet's empty rows are."""
    kept = [list(r) for r in rows if any((c or "").strip() for c in r)]
    if not kept:
        raise ImportProblem("Type at least one row into the grid.", column="grid")
    named = [h.strip() or f"Column {i}" for i, h in enumerate(headers, start=1)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(named)
    writer.writerows(kept)
    return out.getvalue().encode("utf-8")


def table(raw: reading.RawTable, choices: Choices, *, kind: str,
          subgroup_size: int | None) -> pa.Table:
    """The checked rows. Roles the kind has no use for are dropped; a mapping left empty
    takes the suggested one (columns named like the roles, else the first number column)."""
    mapping = {role: header for role, header in choices.mapping.items() if header}
    if not mapping:
        mapping = dict(building.preview(raw, kind).mapping)
    mapping = {role: header for role, header in mapping.items()
               if role not in building.ROLES or role in building.ALLOWED.get(kind, ())}
    return building.build(raw, mapping, kind, subgroup_size=subgroup_size)


def create_from(actor: User, project_id: int, raw: reading.RawTable,
                choices: Choices) -> Dataset:
    services.check_details(project_id, choices.name, choices.kind, choices.subgroup_size)
    rows = table(raw, choices, kind=choices.kind, subgroup_size=choices.subgroup_size)
    return services.create_dataset(
        actor, project_id, rows, name=choices.name, kind=choices.kind, metric=choices.metric,
        unit=choices.unit, subgroup_size=choices.subgroup_size, source=choices.source)


def append_from(actor: User, dataset: Dataset, raw: reading.RawTable, choices: Choices,
                expected: int | None = None) -> DatasetVersion:
    # Whole subgroups are checked on the combined rows by append_rows when there is no
    # subgroup column; with one, every appended subgroup must have the data set's size.
    size = dataset.subgroup_size if "subgroup" in choices.mapping else None
    rows = table(raw, choices, kind=dataset.kind, subgroup_size=size)
    return services.append_rows(actor, dataset, rows, expected=expected)


def confirm(actor: User, draft: ImportDraft, choices: Choices,
            expected: int | None = None) -> Dataset:
    """Save the draft's rows (a new data set, or appended to the draft's data set) and
    forget the draft. Raises ImportProblem or DomainError, having saved nothing."""
    raw = read_draft(draft, choices.sheet)
    choices = _with_source(choices, draft)
    if draft.dataset is not None:
        append_from(actor, draft.dataset, raw, choices, expected)
        dataset = draft.dataset
    else:
        dataset = create_from(actor, draft.project_id, raw, choices)
    db.session.delete(draft)
    db.session.flush()
    return dataset


def _with_source(choices: Choices, draft: ImportDraft) -> Choices:
    if choices.source:
        return choices
    source = draft.filename or ("pasted cells" if draft.pasted else "")
    if choices.sheet:
        source += f" (sheet {choices.sheet})"
    return Choices(**{**choices.__dict__, "source": source[:FILENAME_MAX]})
