"""The analysis endpoints of /api/v1: a data set's control chart (JSON, SVG, PNG) and
capability, before/after comparisons, and saved analyses that re-run.

Everything goes through ``ciapp.analyses.services.run``, the same call the pages make, so
the API and the pages cannot disagree. The routes join the API blueprint, so its token
check and JSON errors apply to them.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..analyses import render
from ..analyses import services as analyses
from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..datasets import access as ds_access
from ..datasets.models import AnalysisRecord, Dataset
from ..extensions import db
from ..projects import access as project_access
from ..projects.models import Project
from .access import explained
from .datasets import _fields
from .idempotency import idempotent
from .inputs import read_json
from .routes import bp

EDITORS = "Only the project's lead, sponsor, team or an admin save its analyses."
READ = ds_access.VIEW_BY_ID
SAVE = explained(project_access.EDIT, EDITORS)
COMPARE_FIELDS = ("before", "after", "test", "paired")
SAVE_FIELDS = ("dataset", "analysis", "options", "title", "after", "stage", "version")
SIDE_FIELDS = ("dataset", "stage", "version")


def _project(dataset: Dataset) -> Project:
    project = db.session.get(Project, dataset.project_id)
    assert project is not None
    return project


def chart_args(args: MultiDict[str, str]) -> dict[str, Any]:
    """Chart options from a query string: ``rules=nelson`` or ``rules=1,2,5``,
    ``run_lengths=2:8,3:7``, and the others as they are."""
    options: dict[str, Any] = {}
    for name in analyses.CHART_OPTIONS:
        value = args.get(name, "").strip()
        if not value:
            continue
        if name == "rules" and value[0].isdigit():
            options[name] = [_whole(part, "rules") for part in value.split(",")]
        elif name == "run_lengths":
            options[name] = _run_lengths(value)
        else:
            options[name] = value
    unknown = sorted(set(args) - set(analyses.CHART_OPTIONS) - {"version", "stage",
                                                                "window_start", "window_end",
                                                                "specs"})
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; the chart's are "
                          f"{', '.join(analyses.CHART_OPTIONS)}, version.", field=unknown[0])
    return options


def _whole(text: str, name: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise DomainError(f"'{name}' must list whole numbers, not '{text}'.", field=name)
    return int(text)


def _run_lengths(text: str) -> dict[int, float]:
    out = {}
    for part in text.split(","):
        rule, _, k = part.partition(":")
        if not k:
            raise DomainError("run_lengths looks like 2:8,3:7 (rule:length).",
                              field="run_lengths")
        out[_whole(rule, "run_lengths")] = float(_whole(k, "run_lengths"))
    return out


def _with_source(body: dict[str, Any], src: analyses.Source, reason: str = "") -> Response:
    body = analyses.plain(body) | {"dataset": src.to_dict(), "version": src.version,
                                   "hash": src.sha256}
    if reason:
        body["reason"] = reason
    return jsonify(body)


@bp.get("/datasets/<int:dataset_id>/chart")
@guard(READ)
def chart(dataset: Dataset) -> Response:
    project = _project(dataset)
    src = analyses.source(project, dataset.id, request.args.get("version"))
    result, reason = analyses.run("chart", project, [src], chart_args(request.args))
    return _with_source(result.to_dict(), src, reason)


def _drawing(dataset: Dataset, media_type: str) -> Response:
    project = _project(dataset)
    src = analyses.source(project, dataset.id, request.args.get("version"))
    options = chart_args(request.args)
    body = render.chart_drawing(project, src, options, media_type,
                                window=render.window_arg(request.args),
                                show_specs=request.args.get("specs") == "true")
    db.session.commit()  # the drawing joins the shared cache
    response = Response(body, mimetype=media_type)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/datasets/<int:dataset_id>/chart.svg")
@guard(READ)
def chart_svg(dataset: Dataset) -> Response:
    return _drawing(dataset, "image/svg+xml")


@bp.get("/datasets/<int:dataset_id>/chart.png")
@guard(READ)
def chart_png(dataset: Dataset) -> Response:
    return _drawing(dataset, "image/png")


CAPABILITY_ARGS = ("lsl", "usl", "target", "method", "stage", "version")
METHODS = {"normal": None, "boxcox": "boxcox", "percentile": "percentile"}


@bp.get("/datasets/<int:dataset_id>/capability")
@guard(READ)
def capability(dataset: Dataset) -> Response:
    unknown = sorted(set(request.args) - set(CAPABILITY_ARGS))
    if unknown:
        raise DomainError(f"Unknown parameter '{unknown[0]}'; capability takes "
                          f"{', '.join(CAPABILITY_ARGS)}.", field=unknown[0])
    method = request.args.get("method", "normal") or "normal"
    if method not in METHODS:
        raise DomainError(f"method must be one of {', '.join(METHODS)}.", field="method")
    project = _project(dataset)
    src = analyses.source(project, dataset.id, request.args.get("version"))
    options = {k: request.args[k] for k in ("lsl", "usl", "target", "stage")
               if request.args.get(k)}
    if METHODS[method]:
        options["transform"] = METHODS[method]
    result, _ = analyses.run("capability", project, [src], options)
    return _with_source(result.to_dict(), src)


def _side(project: Project, data: Any, name: str) -> analyses.Source:
    if not isinstance(data, dict) or "dataset" not in data:
        raise DomainError(f"'{name}' must be an object like {{\"dataset\": 3, \"stage\": "
                          "\"baseline\"}.", field=name)
    unknown = sorted(set(data) - set(SIDE_FIELDS))
    if unknown:
        raise DomainError(f"'{name}' has an unknown field '{unknown[0]}'.", field=name)
    return analyses.source(project, data["dataset"], data.get("version"), data.get("stage"))


@bp.post("/projects/<key>/comparisons")
@guard(project_access.VIEW)
def compare(project: Project) -> Response:
    data = read_json()
    _fields(data, COMPARE_FIELDS)
    before, after = _side(project, data.get("before"), "before"), \
        _side(project, data.get("after"), "after")
    options = {k: data[k] for k in ("test", "paired") if data.get(k) not in (None, "")}
    result, reason = analyses.run("comparison", project, [before, after], options)
    body = analyses.plain(result.to_dict()) | {"before": before.to_dict(),
                                               "after": after.to_dict()}
    return jsonify(body | ({"reason": reason} if reason else {}))


def describe(record: AnalysisRecord, key: str) -> dict[str, Any]:
    return {"id": record.id, "project": key, "analysis": record.analysis,
            "title": record.title, "inputs": record.inputs, "options": record.options,
            "result": record.result, "software": record.software,
            "created_at": record.created_at.isoformat(),
            "created_by": record.created_by.name if record.created_by else None,
            "links": {"self": url_for("api.get_analysis", record_id=record.id),
                      "rerun": url_for("api.get_analysis", record_id=record.id, rerun="true")}}


@bp.post("/projects/<key>/analyses")
@guard(SAVE)
@idempotent
def save_analysis(project: Project) -> Response:
    data = read_json()
    _fields(data, SAVE_FIELDS)
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise DomainError("'options' must be an object.", field="options")
    analysis = data.get("analysis")
    sources = [analyses.source(project, data.get("dataset"), data.get("version"),
                               data.get("stage"))]
    if analysis == "comparison":
        sources.append(_side(project, data.get("after"), "after"))
    record = analyses.save_record(acting_user(), project, str(analysis), sources, options,
                                  str(data.get("title") or ""))
    response = jsonify(describe(record, project.key))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_analysis", record_id=record.id)
    return response


def _record_policy() -> Any:
    from ..core.access import Policy
    from ..core.records import get_or_404
    from ..projects import permissions

    def check(user: Any, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        record = get_or_404(AnalysisRecord, kwargs.pop("record_id"), "Analysis")
        project = db.session.get(Project, record.project_id)
        if project is None or not permissions.can_view_project(user, project):
            return None
        return {**kwargs, "record": record, "project": project}

    return Policy("analysis: view", check)


@bp.get("/analyses/<int:record_id>")
@guard(_record_policy())
def get_analysis(record: AnalysisRecord, project: Project) -> Response:
    body = describe(record, project.key)
    if request.args.get("rerun", "").lower() in ("true", "1", "yes"):
        body |= analyses.rerun(project, record).to_dict()
    return jsonify(body)
