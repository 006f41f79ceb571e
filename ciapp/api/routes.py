"""The JSON API under /api/v1: bearer tokens, the HTML side's forms, policies and services."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from werkzeug.wrappers import Response

from ..core.access import PUBLIC, SIGNED_IN, acting_user, guard
from ..extensions import csrf, db
from ..gates import services as gates
from ..gates.models import GateReview
from ..projects import services as projects
from ..projects.models import Project
from . import access, auth, errors, inputs, openapi, writes
from . import serializers as serialize
from .idempotency import idempotent

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Safe: the API reads only the Authorization header, never the session cookie (see auth.py).
csrf.exempt(bp)
auth.register(bp)
errors.register(bp)


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _json(body: dict[str, Any], status: int = 200, *, location: str | None = None,
          project: Project | None = None) -> Response:
    response = jsonify(body)
    response.status_code = status
    if location:
        response.headers["Location"] = location
    if project is not None:
        response.headers["ETag"] = serialize.etag(project)
    return response


@bp.get("/openapi.json")
@guard(PUBLIC)
def openapi_document() -> Response:
    return _json(openapi.document())


@bp.get("/projects")
@guard(SIGNED_IN)
def list_projects() -> Response:
    filters, page, per_page = inputs.project_filters(request.args)
    pagination = projects.list_records(filters, page=page, per_page=per_page,
                                        columns=serialize.SUMMARY_FIELDS)
    return _json(serialize.project_page(pagination, request.args.to_dict()))


@bp.post("/projects")
@guard(access.CREATE)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_project() -> Response:
    values, team = inputs.new_project(inputs.read_json())
    project = projects.create_project(acting_user(), values, team=team)
    return _json(serialize.project(project), 201, project=project,
                 location=url_for(".get_project", key=project.key))


@bp.get("/projects/<key>")
@guard(access.VIEW)
def get_project(project: Project) -> Response:
    return _json(serialize.project(project), project=project)


@bp.patch("/projects/<key>")
@guard(access.EDIT)
def update_project(project: Project) -> Response:
    data = inputs.read_json()
    writes.patch_charter(acting_user(), project, data, inputs.expected_version(data))
    return _json(serialize.project(project), project=project)


@bp.put("/projects/<key>/sponsor")
@guard(access.SET_SPONSOR)
def set_sponsor(project: Project) -> Response:
    """The council's way to name the sponsor of a project it is not on (PATCH needs the
    team); the same checks as PATCH: the sponsor is never the lead, the version must match."""
    data = inputs.read_json()
    change = inputs.sponsor_change(data)
    writes.patch_charter(acting_user(), project, change, inputs.expected_version(data))
    return _json(serialize.project(project), project=project)


@bp.get("/projects/<key>/gate")
@guard(access.VIEW)
def get_gate(project: Project) -> Response:
    return _json(serialize.gate(project, gates.gate_status(project)))


@bp.post("/projects/<key>/gate/reviews")
@guard(access.REQUEST_REVIEW)
def request_review(project: Project) -> Response:
    note = inputs.review_note(inputs.read_json(optional=True))
    review = gates.request_review(acting_user(), project, note)
    db.session.commit()
    return _json(serialize.review(review), 201,
                 location=url_for(".get_review", review_id=review.id))


@bp.get("/reviews/<int:review_id>")
@guard(access.VIEW_REVIEW)
def get_review(review: GateReview) -> Response:
    return _json(serialize.review(review))


@bp.post("/reviews/<int:review_id>/decision")
@guard(access.DECIDE)
def decide_review(review: GateReview) -> Response:
    decision, comment, override_reason = inputs.decision(inputs.read_json())
    gates.decide_review(acting_user(), review, decision, comment, override_reason)
    db.session.commit()
    return _json(serialize.review(review))
