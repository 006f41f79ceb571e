"""The OpenAPI 3.1 document of /api/v1, built from Python data.

Request bodies and project fields come from the same field specs (read off the WTForms
classes) that ``inputs`` checks requests with; ``tests/api/test_openapi.py`` checks that each
route of the blueprint is described here and that real responses match these schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import __version__
from ..core.validators import MAX_ID
from ..gates.models import ReviewStatus
from ..projects.phases import Phase, Status
from .errors import TITLES
from .fields import FieldSpec
from .inputs import CHARTER, DECISION, FILTERS, MAX_PER_PAGE, REVIEW_REQUEST, SPONSOR, TEAM_MEMBER

ERROR_TEXT = {
    400: "The body is empty, not JSON, or not a JSON object; If-Match is malformed; or the "
         "address or query string holds a NUL character.",
    401: "No token, or an unknown or revoked one (see WWW-Authenticate).",
    403: "Your role or place on the project does not allow this.",
    404: "No such project or review.",
    409: "The project changed since the version you sent, or the action clashes with its "
         "state (e.g. a review is already pending).",
    415: "The body is not sent as application/json.",
    422: "A field is missing, unknown, of the wrong type or breaks a rule; see `fields`.",
    428: "PATCH needs the version you last read: `If-Match: \"<version>\"` or a `version` "
         "field (`If-Match: *` overwrites on purpose).",
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], required: list[str] | None = None,
        **extra: Any) -> dict[str, Any]:
    """An object schema that refuses unknown properties; all of them required by default."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": False, **extra}


def input_schema(specs: dict[str, FieldSpec]) -> dict[str, Any]:
    return {name: spec.schema() for name, spec in specs.items()}


def output_schema(spec: FieldSpec) -> dict[str, Any]:
    """What a response holds: the type, not the input limits."""
    return {k: v for k, v in spec.schema().items() if k in ("type", "title", "enum", "format")}


EMPTY = "Empty is the same as leaving it out."


def query_parameter(spec: FieldSpec) -> dict[str, Any]:
    """A filter of the list. An empty value (``phase=``, what an HTML form sends for "Any")
    is ignored, as on the HTML list; anything else must match the schema or it is 422."""
    schema = spec.schema()
    types = [t for t in spec.types if t != "null"]
    schema["type"] = types[0]
    return {"name": spec.name, "in": "query", "required": False, "schema": schema,
            "description": f"{spec.label}. {EMPTY}", "allowEmptyValue": True}


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    when = {"type": "string", "format": "date-time"}
    criterion = obj({"key": text, "label": text, "met": {"type": "boolean"}, "detail": text,
                     "available": {"type": "boolean", "description": (
                         "False: the gate expects this criterion but ciapp cannot compute it "
                         "yet; it never counts as met.")}},
                    ["key", "label", "met", "detail"])
    summary = {
        "key": {"type": "string", "examples": ["CI-2026-0042"]},
        **{name: output_schema(spec) for name, spec in CHARTER.items()},
        "phase": {"type": "string", "enum": [p.value for p in Phase]},
        "phase_label": text,
        "status": {"type": "string", "enum": [s.value for s in Status]},
        "version": {"type": "integer", "description": "Send it back as If-Match on PATCH."},
        "created_at": when, "updated_at": when, "closed_at": nullable(when),
        "links": obj({"self": text, "gate": text}),
    }
    return {
        "Error": obj({
            "error": {"type": "string", "description": "The status in words."},
            "message": {"type": "string", "description": "What went wrong, for a person."},
            "fields": {"type": "object", "description": "Messages per input at fault.",
                       "additionalProperties": {"type": "array", "items": text}},
        }),
        "UserRef": obj({"id": {"type": "integer"}, "name": text}),
        "OrgUnitRef": obj({"id": {"type": "integer"}, "label": text}),
        "TeamMemberInput": obj(input_schema(TEAM_MEMBER), ["user_id"]),
        "TeamMember": obj({"id": {"type": "integer"}, "user": ref("UserRef"), "role": text}),
        "ProjectCreate": obj(
            input_schema(CHARTER) | {"team": {"type": "array",
                                               "items": ref("TeamMemberInput")}},
            [name for name, spec in CHARTER.items() if spec.required]),
        "ProjectPatch": obj(
            input_schema(CHARTER) | {"version": {"type": "integer", "minimum": 1,
                                                    "maximum": MAX_ID}}, [],
            minProperties=1),
        "SponsorChange": obj(
            input_schema(SPONSOR) | {"version": {"type": "integer", "minimum": 1,
                                                 "maximum": MAX_ID}}, ["sponsor_id"]),
        "ProjectSummary": obj(summary),
        "Project": obj(summary | {
            "sponsor": nullable(ref("UserRef")), "lead": nullable(ref("UserRef")),
            "org_unit": nullable(ref("OrgUnitRef")),
            "team": {"type": "array", "items": ref("TeamMember")}}),
        "ProjectPage": obj({
            "items": {"type": "array", "items": ref("ProjectSummary")},
            "meta": obj({name: {"type": "integer"}
                         for name in ("page", "per_page", "total", "pages")}),
            "links": obj({"next": {"type": ["string", "null"]},
                          "prev": {"type": ["string", "null"]}}),
        }),
        "Criterion": criterion,
        "ReviewRequest": obj(input_schema(REVIEW_REQUEST), []),
        "Decision": obj(input_schema(DECISION), ["decision"]),
        "Review": obj({
            "id": {"type": "integer"},
            "project": obj({"key": text, "phase": summary["phase"],
                            "status": summary["status"], "version": {"type": "integer"}}),
            "phase": summary["phase"],
            "status": {"type": "string", "enum": [s.value for s in ReviewStatus]},
            "requested_by": ref("UserRef"), "requested_at": when, "request_note": text,
            "decided_by": nullable(ref("UserRef")), "decided_at": nullable(when),
            "decision_comment": text, "override_reason": text,
            "criteria_at_request": {"type": "array", "items": ref("Criterion")},
            "criteria_at_decision": nullable({"type": "array", "items": ref("Criterion")}),
            "links": obj({"self": text, "decision": text}),
        }),
        "Gate": obj({
            "project": text, "phase": summary["phase"], "label": text, "next_label": text,
            "criteria": {"type": "array", "items": ref("Criterion")},
            "criteria_met": {"type": "boolean"},
            "checklist": {"type": "array", "items": obj({
                "key": text, "label": text, "done": {"type": "boolean"},
                "by": {"type": "string", "description": "Who ticked it."}})},
            "checklist_done": {"type": "boolean"},
            "ready": {"type": "boolean", "description": "Criteria met and checklist done."},
            "pending_review": nullable(ref("Review")),
            "reviews": {"type": "array", "items": obj({
                "id": {"type": "integer"}, "phase": summary["phase"],
                "status": {"type": "string", "enum": [s.value for s in ReviewStatus]},
                "requested_at": when, "decided_at": nullable(when)})},
        }),
    }


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    endpoint: str
    summary: str
    ok: int
    schema: str
    errors: tuple[int, ...]
    body: str | None = None
    description: str = ""
    parameters: tuple[dict[str, Any], ...] = ()
    headers: tuple[str, ...] = field(default=())
    public: bool = False


KEY = {"name": "key", "in": "path", "required": True, "description": "Project key",
       "schema": {"type": "string", "examples": ["CI-2026-0042"]}}
REVIEW_ID = {"name": "review_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
            "description": 'The project version you last read, quoted: "3"; or * to '
                           "overwrite whatever is there now. Anything else: 400.",
            "schema": {"type": "string", "pattern": r'^(\*|"[1-9][0-9]{0,8}")$'}}
FILTER_PARAMETERS = tuple(query_parameter(spec) for spec in FILTERS.values()) + ({
    "name": "per_page", "in": "query", "required": False, "allowEmptyValue": True,
    "description": f"Page size. {EMPTY}",
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},)
READ, WRITE = (400, 401, 404), (400, 401, 403, 404, 409, 415, 422)

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/api/v1/openapi.json", "api.openapi_document", "This document",
              200, "", (), public=True),
    Operation("get", "/api/v1/projects", "api.list_projects", "List projects", 200,
              "ProjectPage", (400, 401, 422), parameters=FILTER_PARAMETERS,
              description="Newest first. `org_unit_id` of a site includes its areas; `q` "
                          "is a project key or its start (`CI-2026`), a project's number "
                          "(`42`), or text searched in title, problem and goal. Unknown "
                          "parameters: 422."),
    Operation("post", "/api/v1/projects", "api.create_project", "Create a project", 201,
              "Project", (400, 401, 403, 415, 422), body="ProjectCreate",
              headers=("Location", "ETag"),
              description="Belts, council members and admins. The lead defaults to you."),
    Operation("get", "/api/v1/projects/{key}", "api.get_project", "Read a project", 200,
              "Project", READ, parameters=(KEY,), headers=("ETag",)),
    Operation("patch", "/api/v1/projects/{key}", "api.update_project",
              "Change charter fields", 200, "Project", (*WRITE, 428), body="ProjectPatch",
              parameters=(KEY, IF_MATCH), headers=("ETag",),
              description="Send only the fields to change, with the version you last read "
                          "(If-Match or `version`); without it: 428, stale: 409. Fields are "
                          "validated together with the unchanged ones (LSL < USL)."),
    Operation("put", "/api/v1/projects/{key}/sponsor", "api.set_sponsor",
              "Name the sponsor", 200, "Project", (*WRITE, 428), body="SponsorChange",
              parameters=(KEY, IF_MATCH), headers=("ETag",),
              description="Council members and admins, whether or not they are on the "
                          "project. `sponsor_id` null removes the sponsor; the lead cannot "
                          "be the sponsor. The version you last read as on PATCH."),
    Operation("get", "/api/v1/projects/{key}/gate", "api.get_gate", "Gate status", 200,
              "Gate", READ, parameters=(KEY,),
              description="The current phase's live criteria, checklist and pending review."),
    Operation("post", "/api/v1/projects/{key}/gate/reviews", "api.request_review",
              "Request a gate review", 201, "Review", WRITE, body="ReviewRequest",
              parameters=(KEY,), headers=("Location",),
              description="The project lead only. The body is optional."),
    Operation("get", "/api/v1/reviews/{review_id}", "api.get_review", "Read a gate review",
              200, "Review", READ, parameters=(REVIEW_ID,)),
    Operation("post", "/api/v1/reviews/{review_id}/decision", "api.decide_review",
              "Approve or send back a gate review", 200, "Review", WRITE, body="Decision",
              parameters=(REVIEW_ID,),
              description="Council members or the project's sponsor, never the requester. "
                          "Approving moves the project to the next phase (or closes it); "
                          "with unmet criteria it needs `override_reason` (15+ characters). "
                          "Sending back needs a `comment`."),
)

HEADERS = {
    "Location": {"description": "URL of the new resource", "schema": {"type": "string"}},
    "ETag": {"description": 'The project version, quoted ("3"), for If-Match',
             "schema": {"type": "string"}},
}


def _operation(op: Operation) -> dict[str, Any]:
    content = ({"application/json": {"schema": {"type": "object"}}} if op.public
               else {"application/json": {"schema": ref(op.schema)}})
    ok: dict[str, Any] = {"description": "OK" if op.ok == 200 else "Created",
                          "content": content}
    if op.headers:
        ok["headers"] = {name: HEADERS[name] for name in op.headers}
    out: dict[str, Any] = {
        "operationId": op.endpoint.removeprefix("api."), "summary": op.summary,
        # 400 on every operation: a NUL character in the address or query string (the
        # app refuses it before any view runs, see core/input_rules.py).
        "responses": {str(op.ok): ok} | {str(s): {"$ref": f"#/components/responses/E{s}"}
                                         for s in sorted({400, *op.errors})},
    }
    if op.description:
        out["description"] = op.description
    if op.parameters:
        out["parameters"] = list(op.parameters)
    if op.body:
        out["requestBody"] = {"required": op.body != "ReviewRequest", "content": {
            "application/json": {"schema": ref(op.body)}}}
    if op.public:
        out["security"] = []
    return out


def _error_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, text in ERROR_TEXT.items():
        response: dict[str, Any] = {
            "description": f"{TITLES.get(status, 'Error')}: {text}",
            "content": {"application/json": {"schema": ref("Error")}}}
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {
                "description": 'Bearer realm="ciapp"', "schema": {"type": "string"}}}
        responses[f"E{status}"] = response
    return responses


@cache
def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": "ciapp API", "version": __version__,
            "description": "Continuous-improvement projects and their gate reviews. "
                           "Authenticate with a personal token: "
                           "`Authorization: Bearer ciapp_…`. Every error is JSON "
                           "`{error, message, fields}`.",
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "ciapp_ personal token"}},
            "schemas": _schemas(),
            "responses": _error_responses(),
        },
    }
    from . import (  # they build on this module's helpers
        openapi_a3,
        openapi_analyses,
        openapi_attachments,
        openapi_benefits,
        openapi_datasets,
        openapi_improve,
        openapi_kpi_report,
        openapi_kpis,
        openapi_leadership,
        openapi_portfolio,
        openapi_programme,
        openapi_rootcause,
    )

    openapi_datasets.extend(doc)
    openapi_analyses.extend(doc)
    openapi_benefits.extend(doc)
    openapi_attachments.extend(doc)
    openapi_rootcause.extend(doc)
    openapi_improve.extend(doc)
    openapi_portfolio.extend(doc)
    openapi_a3.extend(doc)
    openapi_kpis.extend(doc)
    openapi_kpi_report.extend(doc)
    openapi_leadership.extend(doc)
    openapi_programme.extend(doc)
    return doc
