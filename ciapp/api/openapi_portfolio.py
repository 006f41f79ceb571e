"""The portfolio endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..core.validators import MAX_ID
from ..portfolio.attention import MAX_LIMIT
from ..portfolio.board import COLUMNS, MAX_PER_COLUMN
from ..portfolio.ideas import PICK_LABELS
from ..portfolio.models import HEALTH_LABELS, IDEA_STATUSES
from ..projects.phases import Methodology, Phase, Status
from .openapi import KEY, Operation, _operation, input_schema, nullable, obj, query_parameter, ref
from .openapi_children import ETAG, IF_MATCH, VERSION_FIELD
from .openapi_datasets import IDEMPOTENCY
from .portfolio import DECIDE, FILTERS, HEALTH, IDEA, SCORE, TO_PROJECT

IDEA_ID = {"name": "idea_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
FILTER_PARAMETERS = tuple(query_parameter(spec) for spec in FILTERS.values())
PER_COLUMN = {"name": "per_column", "in": "query", "required": False, "allowEmptyValue": True,
              "description": "Cards listed per column (the count is always complete).",
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_COLUMN}}
LIMIT = {"name": "limit", "in": "query", "required": False, "allowEmptyValue": True,
         "description": "Items listed per part (each part's total is always complete).",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}}
STATUS = {"name": "status", "in": "query", "required": False, "allowEmptyValue": True,
          "schema": {"type": "string", "enum": ["", *IDEA_STATUSES]}}
ERRORS = (400, 401, 422)
DECIDING = (400, 401, 403, 404, 409, 415, 422, 428)
DECIDING_TEXT = ("Send the idea's version you last read (If-Match or `version`; 428 "
                 "without, 409 when stale); a decided idea is 409.")
FILTER_TEXT = ("`site_id` includes the site's areas; `status` empty or absent means open "
               "(active or on hold), `all` every status; `year` is the year a project was "
               "opened; `days` is the stalled threshold (default: the "
               "CIAPP_PORTFOLIO_STALLED_DAYS setting). Unknown parameters: 422.")


def _schemas() -> dict[str, Any]:
    text, integer = {"type": "string"}, {"type": "integer"}
    when = {"type": "string", "format": "date-time"}
    health = {"type": "string", "enum": list(HEALTH_LABELS)}
    ref_ = obj({"id": integer, "label": text})
    row = obj({
        "key": text, "title": text,
        "methodology": {"type": "string", "enum": [m.value for m in Methodology]},
        "phase": {"type": "string", "enum": [p.value for p in Phase]}, "phase_label": text,
        "status": {"type": "string", "enum": [s.value for s in Status]},
        "target_date": nullable({"type": "string", "format": "date"}),
        "lead": nullable(ref("UserRef")), "org_unit": nullable(ref_),
        "phase_since": when, "days_in_phase": integer, "overdue_actions": integer,
        "signals": integer, "review_waiting_since": nullable(when),
        "health": nullable(obj({"value": health, "reason": text, "set_at": nullable(when)})),
        "suggested_health": obj({"value": health, "reasons": {"type": "array",
                                                              "items": text}}),
    })
    filters = obj({"site_id": nullable(integer), "area_id": nullable(integer),
                   "methodology": nullable(text), "lead_id": nullable(integer),
                   "status": text, "year": nullable(integer)})

    def part(item: dict[str, Any]) -> dict[str, Any]:
        return obj({"total": integer, "items": {"type": "array", "items": item}})

    return {
        "PortfolioRow": row,
        "PortfolioBoard": obj({
            "filters": filters, "stalled_days": integer,
            "columns": {"type": "array", "items": obj({
                "key": {"type": "string", "enum": list(COLUMNS)}, "label": text,
                "count": integer,
                "projects": {"type": "array", "items": ref("PortfolioRow")}})}}),
        "Attention": obj({
            "filters": filters, "stalled_days": integer,
            "reviews": part(obj({"id": integer, "project": text, "title": text,
                                 "phase": {"type": "string", "enum": [p.value for p in Phase]},
                                 "phase_label": text, "requested_by": text,
                                 "requested_at": when, "days_waiting": integer,
                                 "yours_to_decide": {"type": "boolean"}})),
            "overdue_actions": part(obj({"id": integer, "title": text, "owner": text,
                                         "due_date": {"type": "string", "format": "date"},
                                         "days_late": integer, "project": text,
                                         "project_title": text})),
            "stalled": part(ref("PortfolioRow")),
            "signals": part(obj({"id": integer, "project": text, "title": text,
                                 "message": text, "raised_at": when})),
        }),
        "IdeaCreate": obj(input_schema(IDEA), ["title"]),
        "Idea": obj({
            "id": integer, "title": text, "description": text, "benefit": text,
            "org_unit": nullable(ref_), "submitted_by": ref("UserRef"), "submitted_at": when,
            "effort": nullable(integer), "impact": nullable(integer),
            "pick": nullable({"type": "string", "enum": list(PICK_LABELS)}),
            "status": {"type": "string", "enum": list(IDEA_STATUSES)},
            "decision_note": text, "project": nullable(text), "version": integer,
            "links": obj({"self": text})}),
        "IdeaList": obj({"items": {"type": "array", "items": ref("Idea")}}),
        "IdeaScore": obj(input_schema(SCORE) | {"version": VERSION_FIELD},
                         ["effort", "impact"]),
        "IdeaToProject": obj(input_schema(TO_PROJECT) | {"version": VERSION_FIELD},
                             ["lead_id"]),
        "IdeaDecision": obj(input_schema(DECIDE) | {"version": VERSION_FIELD},
                            ["outcome", "note"]),
        "HealthReport": obj({"id": integer, "value": health, "reason": text,
                             "set_by": ref("UserRef"), "set_at": when}),
        "HealthReportCreate": obj(input_schema(HEALTH), ["health", "reason"]),
        "ProjectHealth": obj({
            "project": text, "current": nullable(ref("HealthReport")),
            "suggested": nullable(obj({"value": health,
                                       "reasons": {"type": "array", "items": text}})),
            "history": {"type": "array", "items": ref("HealthReport")},
            "can_set": {"type": "boolean", "description": "You may report it (the lead)."}}),
    }


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/api/v1/portfolio", "api.portfolio_board", "The portfolio board", 200,
              "PortfolioBoard", ERRORS, parameters=(*FILTER_PARAMETERS, PER_COLUMN),
              description="Projects by phase (then Closed), each column with its count and "
                          "its first cards, the longest in the phase first. " + FILTER_TEXT),
    Operation("get", "/api/v1/attention", "api.attention", "What needs attention", 200,
              "Attention", ERRORS, parameters=(*FILTER_PARAMETERS, LIMIT),
              description="Gate reviews waiting, overdue actions, active projects stalled in "
                          "a phase, and closed projects whose sustain monitoring raised a "
                          "signal; each the most urgent first. " + FILTER_TEXT),
    Operation("get", "/api/v1/ideas", "api.list_ideas", "List ideas", 200, "IdeaList",
              ERRORS, parameters=(STATUS,), description="New ideas first, then the newest."),
    Operation("post", "/api/v1/ideas", "api.submit_idea", "Submit an idea", 201, "Idea",
              (400, 401, 415, 422), body="IdeaCreate", parameters=(IDEMPOTENCY,),
              headers=("Location",), description="Anyone signed in; the council screens it."),
    Operation("get", "/api/v1/ideas/{idea_id}", "api.get_idea", "Read an idea", 200, "Idea",
              (400, 401, 404), parameters=(IDEA_ID,), headers=("ETag",)),
    Operation("post", "/api/v1/ideas/{idea_id}/score", "api.score_idea",
              "Score an idea's effort and impact", 200, "Idea", DECIDING,
              body="IdeaScore", parameters=(IDEA_ID, IF_MATCH), headers=("ETag",),
              description="The CI council; each a whole number from 1 to 10 (6 and above is "
                          "high), which places the idea on the PICK chart. " + DECIDING_TEXT),
    Operation("post", "/api/v1/ideas/{idea_id}/project", "api.idea_to_project",
              "Turn an idea into a project", 201, "Idea", DECIDING,
              body="IdeaToProject", parameters=(IDEA_ID, IF_MATCH),
              headers=("Location", "ETag"),
              description="The CI council, once the idea is scored (409 before). The new "
                          "project's charter holds the idea (title, problem, business case, "
                          "site / area); the decider sponsors it, the author joins the team. "
                          "`Location` is the project. " + DECIDING_TEXT),
    Operation("post", "/api/v1/ideas/{idea_id}/decision", "api.decide_idea",
              "Make an idea a quick win, or decline it", 200, "Idea", DECIDING,
              body="IdeaDecision", parameters=(IDEA_ID, IF_MATCH), headers=("ETag",),
              description="The CI council; the note says what is to be done and by whom (a "
                          "quick win) or why (declined), for the author. " + DECIDING_TEXT),
    Operation("get", "/api/v1/projects/{key}/health", "api.get_health",
              "A project's health", 200, "ProjectHealth", (400, 401, 404),
              parameters=(KEY,),
              description="The lead's latest report, every report newest first, and what "
                          "the data suggest (overdue actions, a late gate, a signal)."),
    Operation("post", "/api/v1/projects/{key}/health", "api.set_health",
              "Report a project's health", 201, "ProjectHealth",
              (400, 401, 403, 404, 409, 415, 422), body="HealthReportCreate",
              parameters=(KEY,),
              description="The project's lead, with a reason. Send `seen`, the id of the "
                          "newest report you read (0: none): when another came in since, "
                          "nothing is saved (409)."),
)


def extend(doc: dict[str, Any]) -> None:
    """Add the portfolio paths and schemas to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        if "ETag" in op.headers:
            item["responses"][str(op.ok)]["headers"]["ETag"] = ETAG
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(_schemas())
