"""Importing an existing programme through the API: a project register or a benefits
spreadsheet as a multipart ``file``, with an optional ``map`` of fields to column headers,
``sheet`` and ``dry_run``. The same reading, checks and services as the pages
(``ciapp.programme``): a dry run answers what would be created and every refused row; a
real run creates everything in one transaction, or answers 422 naming each refused row and
column and saves nothing.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..datasets import reading
from ..datasets.problems import ImportProblem
from ..programme import access, services
from ..programme.cells import FIELDS
from .access import explained
from .datasets import refused
from .errors import UnsupportedMediaType
from .idempotency import idempotent
from .inputs import column_map
from .routes import bp

IMPORTERS = explained(access.IMPORT, "Only admins and council members import a programme.")
FORM_FIELDS = ("map", "sheet", "dry_run")
FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False,
         "": False}


@bp.post("/imports/projects")
@guard(IMPORTERS)
@idempotent
def import_projects() -> Response:
    return _import("projects")


@bp.post("/imports/benefits")
@guard(IMPORTERS)
@idempotent
def import_benefits() -> Response:
    return _import("benefits")


def _import(kind: str) -> Response:
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the spreadsheet as multipart/form-data with a "
                                   "'file' part.")
    form = request.form.to_dict()
    unknown = sorted(set(form) - set(FORM_FIELDS), key=str)  # a part may have no name
    if unknown:
        raise DomainError(f"Unknown field '{unknown[0]}'; the fields are file, "
                          f"{', '.join(FORM_FIELDS)}.",
                          fields={str(name): ["Unknown field."] for name in unknown})
    dry_run = _flag(form.get("dry_run", request.args.get("dry_run", "")))
    names = [f.name for f in FIELDS[kind]]
    mapping = column_map(form.get("map"), names, f"field -> column header; the fields are "
                                                 f"{', '.join(names)}")
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("Send the spreadsheet as a 'file' part.", field="file")
    try:
        raw = reading.read(upload.read(), filename=upload.filename,
                           sheet=form.get("sheet") or None,
                           max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
        mapping = mapping or services.suggest(kind, raw)
        if dry_run:
            return _answer(kind, services.plan(kind, raw, mapping), mapping, True, (), 200)
        done = services.create(acting_user(), kind, raw, mapping,
                               upload.filename or "an upload")
    except ImportProblem as problem:
        raise refused(problem) from None
    return _answer(kind, done.plan, mapping, False, done.keys, 201)


def _flag(text: str) -> bool:
    value = FLAGS.get(text.strip().lower())
    if value is None:
        raise DomainError("dry_run must be true or false.", field="dry_run")
    return value


def _answer(kind: str, plan: services.Plan, mapping: dict[str, str], dry_run: bool,
            keys: tuple[str, ...], status: int) -> Response:
    body: dict[str, Any] = {
        "kind": kind, "dry_run": dry_run, "rows": plan.rows, "mapping": mapping,
        "ready": bool(plan.created) and not plan.refused,
        "created": [item.to_dict() for item in plan.created],
        "refused": [r.to_dict() for r in plan.refused], "projects": list(keys)}
    response = jsonify(body)
    response.status_code = status
    return response
