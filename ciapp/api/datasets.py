"""The data set endpoints of /api/v1: create (JSON rows or a file), append, read, download.

Rows go through the same reading and checks as the pages' imports (``ciapp.datasets``), and
a refused import answers 422 with the row and column named in ``message`` and ``fields``.
The routes join the API blueprint, so its token check and JSON errors apply to them.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, make_response, request, url_for
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..core.validators import parse_whole
from ..datasets import access as ds_access
from ..datasets import building, export, imports, reading, services, storage
from ..datasets.models import Dataset
from ..datasets.problems import ImportProblem
from ..projects.models import Project
from .access import VIEW, explained
from .errors import BadRequest
from .idempotency import idempotent
from .inputs import column_map, read_json
from .routes import bp

EDITORS = "Only the project's lead, sponsor, team or an admin add or change its data."
ADD = explained(ds_access.EDIT, EDITORS)
CHANGE = explained(ds_access.EDIT_BY_ID, EDITORS)
READ = ds_access.VIEW_BY_ID
CREATE_FIELDS = ("name", "kind", "subgroup_size", "rows", "metric", "unit", "source")
APPEND_FIELDS = ("rows",)
FORM_FIELDS = ("name", "kind", "map", "subgroup_size", "metric", "unit", "source", "sheet")
MAX_PER_PAGE = 1000


def refused(problem: ImportProblem) -> DomainError:
    """An import's refusal as the API's error: 422 (413 for size), fields by column."""
    error = DomainError(problem.message, fields=problem.fields())
    error.status = problem.status
    return error


def _json(body: dict[str, Any], status: int = 200, location: str | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers["Location"] = location
    return response


def describe(dataset: Dataset) -> dict[str, Any]:
    history = services.versions(dataset)
    newest = history[0]
    key = dataset_project_key(dataset)
    return {
        "id": dataset.id, "project": key, "name": dataset.name, "kind": dataset.kind,
        "metric": dataset.metric, "unit": dataset.unit, "subgroup_size": dataset.subgroup_size,
        "source": dataset.source, "primary_metric": dataset.primary_metric,
        "version": dataset.current, "hash": newest.sha256, "rows": newest.rows,
        "created_at": dataset.created_at.isoformat(),
        "versions": [{"number": v.number, "hash": v.sha256, "rows": v.rows, "note": v.note,
                      "created_at": v.created_at.isoformat()} for v in history],
        "links": {"self": url_for("api.get_dataset", dataset_id=dataset.id),
                  "rows": url_for("api.list_rows", dataset_id=dataset.id),
                  "csv": url_for("api.rows_csv", dataset_id=dataset.id),
                  "page": url_for("datasets.show", key=key, dataset_id=dataset.id)},
    }


def dataset_project_key(dataset: Dataset) -> str:
    from ..extensions import db

    return db.session.get(Project, dataset.project_id).key  # type: ignore[union-attr]


def _fields(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed), key=str)  # a multipart part may have no name
    if unknown:
        raise DomainError(f"Unknown field '{unknown[0]}'; the fields are {', '.join(allowed)}.",
                          fields={name: ["Unknown field."] for name in unknown})


def _text(data: dict[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise DomainError(f"'{name}' must be a string.", field=name)
    return value


def _subgroup_size(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = parse_whole(value, minimum=1, maximum=1000)
        except ValueError as exc:
            raise DomainError(f"subgroup_size: {exc}", field="subgroup_size") from None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
        raise DomainError("subgroup_size must be a whole number from 1 to 1000.",
                          field="subgroup_size")
    return value


def _choices(data: dict[str, Any], mapping: dict[str, str] | None = None) -> imports.Choices:
    kind = _text(data, "kind")
    if not kind:
        raise DomainError(f"Say which kind of data this is: {', '.join(building.KINDS)}.",
                          field="kind")
    if kind not in building.KINDS:
        raise DomainError(f"Unknown kind '{kind}'; use one of {', '.join(building.KINDS)}.",
                          field="kind")
    return imports.Choices(kind=kind, mapping=mapping or {}, sheet=_text(data, "sheet") or None,
                           name=_text(data, "name"), metric=_text(data, "metric"),
                           unit=_text(data, "unit"), source=_text(data, "source"),
                           subgroup_size=_subgroup_size(data.get("subgroup_size")))


def _mapping(raw: str | None) -> dict[str, str]:
    return column_map(raw, None, 'role -> column header, e.g. {"value": "Weight (g)", '
                                 '"time": "Date"}')


def _upload() -> tuple[reading.RawTable, dict[str, Any], str]:
    """A multipart request's file, read, with its form fields."""
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("Send the data as a 'file' part, or send JSON with 'rows'.",
                          field="file")
    form = request.form.to_dict()
    _fields(form, FORM_FIELDS)
    raw = reading.read(upload.read(), filename=upload.filename, sheet=form.get("sheet") or None,
                       max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    return raw, form, upload.filename or ""


def _preview_file(raw: reading.RawTable, choices: imports.Choices) -> dict[str, Any]:
    body = building.preview(raw, choices.kind).to_dict()
    try:
        rows = imports.table(raw, choices, kind=choices.kind,
                             subgroup_size=choices.subgroup_size)
        body |= {"ready": True, "problems": [], "checked_rows": rows.num_rows}
    except ImportProblem as problem:
        body |= {"ready": False, "problems": [p.message for p in problem.problems]}
    return body | {"preview": True}


def _preview_rows(table: Any) -> dict[str, Any]:
    return {"preview": True, "source": "json", "ready": True, "rows": table.num_rows,
            "columns": table.column_names,
            "first_rows": export.page(storage.canonical(table), 1, 5).items}


def _wants_preview() -> bool:
    return request.args.get("preview", "").lower() in ("true", "1", "yes")


@bp.get("/projects/<key>/datasets")
@guard(VIEW)
def list_datasets(project: Project) -> Response:
    return _json({"items": [describe(d) for d in services.project_datasets(project.id)]})


@bp.post("/projects/<key>/datasets")
@guard(ADD)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_dataset(project: Project) -> Response:
    try:
        if request.mimetype == "multipart/form-data":
            raw, form, filename = _upload()
            choices = _choices(form, _mapping(form.get("map")))
            if _wants_preview():
                return _json(_preview_file(raw, choices))
            choices = imports.Choices(**{**choices.__dict__,
                                         "source": choices.source or filename})
            dataset = imports.create_from(acting_user(), project.id, raw, choices)
        else:
            data = read_json()
            _fields(data, CREATE_FIELDS)
            choices = _choices(data)
            if "rows" not in data:
                raise DomainError("Send the rows: 'rows': [{\"value\": 1.5}, ...].",
                                  field="rows")
            table = building.from_records(data["rows"], choices.kind,
                                          subgroup_size=choices.subgroup_size)
            if _wants_preview():
                return _json(_preview_rows(table))
            dataset = services.create_dataset(
                acting_user(), project.id, table, name=choices.name, kind=choices.kind,
                metric=choices.metric, unit=choices.unit, source=choices.source,
                subgroup_size=choices.subgroup_size)
    except ImportProblem as problem:
        raise refused(problem) from None
    version = services.get_version(dataset)
    return _json({"id": dataset.id, "version": version.number, "hash": version.sha256,
                  "rows": version.rows} | describe(dataset), 201,
                 location=url_for("api.get_dataset", dataset_id=dataset.id))


@bp.get("/datasets/<int:dataset_id>")
@guard(READ)
def get_dataset(dataset: Dataset) -> Response:
    return _json(describe(dataset))


@bp.post("/datasets/<int:dataset_id>/rows")
@guard(CHANGE)
@idempotent
def append_rows(dataset: Dataset) -> Response:
    expected = _expected_version()
    try:
        if request.mimetype == "multipart/form-data":
            raw, form, _ = _upload()
            choices = imports.Choices(kind=dataset.kind, mapping=_mapping(form.get("map")),
                                      sheet=form.get("sheet") or None)
            imports.append_from(acting_user(), dataset, raw, choices, expected)
        else:
            data = read_json()
            _fields(data, APPEND_FIELDS)
            size = dataset.subgroup_size if _has_subgroups(data.get("rows")) else None
            table = building.from_records(data.get("rows"), dataset.kind, subgroup_size=size)
            services.append_rows(acting_user(), dataset, table, expected=expected)
    except ImportProblem as problem:
        raise refused(problem) from None
    version = services.get_version(dataset)
    return _json({"id": dataset.id, "version": version.number, "hash": version.sha256,
                  "rows": version.rows} | describe(dataset), 201)


def _has_subgroups(rows: Any) -> bool:
    return isinstance(rows, list) and any(isinstance(r, dict) and "subgroup" in r for r in rows)


def _expected_version() -> int | None:
    """Optional ``If-Match: "<data version>"``: refuse an append made on older rows."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    try:
        return parse_whole(header.strip().strip('"'), minimum=1)
    except ValueError:
        raise BadRequest('If-Match must be the data version you last read, quoted: "3".',
                         field="If-Match") from None


def _number(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return parse_whole(raw, minimum=1, maximum=maximum)
    except ValueError as exc:
        raise DomainError(f"{name}: {exc}", field=name) from None


@bp.get("/datasets/<int:dataset_id>/rows")
@guard(READ)
def list_rows(dataset: Dataset) -> Response:
    number = _number("version", dataset.current, dataset.current)
    page, per_page = _number("page", 1, 10**7), _number("per_page", 100, MAX_PER_PAGE)
    version = services.get_version(dataset, number)
    rows = export.page(storage.decode(version.payload), page, per_page)

    def link(to: int | None) -> str | None:
        return None if to is None else url_for("api.list_rows", dataset_id=dataset.id,
                                               version=number, page=to, per_page=per_page)

    return _json({"items": rows.items, "meta": {
        "page": rows.page, "per_page": per_page, "total": rows.total, "pages": rows.pages,
        "version": number, "hash": version.sha256}, "links": {
        "next": link(page + 1 if page < rows.pages else None),
        "prev": link(page - 1 if page > 1 else None)}})


@bp.get("/datasets/<int:dataset_id>/rows.csv")
@guard(READ)
def rows_csv(dataset: Dataset) -> Response:
    number = _number("version", dataset.current, dataset.current)
    response = make_response(export.to_csv(services.load(dataset, number)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="dataset-{dataset.id}' \
                                              f'-v{number}.csv"'
    return response
