"""The benefits endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..benefits.models import CATEGORIES, COST_KINDS, STATES
from ..core.validators import MAX_ID
from .benefits import COST, DECISION, DERIVE, LINE, MONTH, REOPENING, SUBMISSION
from .openapi import KEY, Operation, _operation, input_schema, nullable, obj, ref
from .openapi_datasets import IDEMPOTENCY

LINE_ID = {"name": "line_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
            "description": 'The line\'s version you last read, quoted: "3" (its ETag); or * '
                           "to skip the check. Without it or a `version` field: 428; a "
                           "version that is no longer the line's: 409.",
            "schema": {"type": "string", "pattern": r'^(\*|"[1-9][0-9]{0,8}")$'}}
VERSION = {"type": "integer", "minimum": 1, "maximum": MAX_ID,
           "description": "The version you last read (instead of If-Match)."}
AMOUNT_TEXT = ("Amounts are decimal strings with at most two places (\"1250.50\") or whole "
               "numbers; a JSON float is refused, as money is never binary.")
COST_ID = {"name": "cost_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}}
DELETE_IF_MATCH = {**IF_MATCH, "description": 'Optional: the line\'s version you last read, '
                   'quoted ("3"); a line changed since is not deleted (409).'}
WRITE = (401, 403, 404, 409, 415, 422, 428)


def _schemas() -> dict[str, Any]:
    text, money = {"type": "string"}, {"type": "string", "description": "Decimal amount"}
    when = nullable({"type": "string", "format": "date-time"})
    user = nullable(obj({"id": {"type": "integer"}, "name": text}))
    state = {"type": "string", "enum": list(STATES)}
    totals = obj({name: money for name in ("projected", "projected_validated", "realized",
                                          "realized_validated")})
    estimate = nullable(obj({
        "analysis_id": nullable({"type": "integer"}), "change": {"type": "number"},
        "change_low": {"type": "number"}, "change_high": {"type": "number"},
        "p_value": nullable({"type": "number"}), "volume": money, "range_low": money,
        "range_high": money, "backed": {"type": "boolean"}}))
    month = obj({"month": text, "amount": money, "state": state, "comment": text,
                 "validated_by": user, "validated_at": when})
    line = obj({
        "id": {"type": "integer"}, "project": text,
        "category": {"type": "string", "enum": list(CATEGORIES)}, "description": text,
        "method": text, "quantity": text, "quantity_unit": text, "unit_value": money,
        "projected": money, "start_month": text, "estimate": estimate,
        "backed": {"type": "boolean", "description": "Estimated from a before/after test "
                                                     "that shows a significant improvement."},
        "projected_state": state, "projected_comment": text, "projected_by": user,
        "projected_at": when, "realized": money,
        "months": {"type": "array", "items": month},
        "version": {"type": "integer", "description": "Send it back as If-Match."},
        "links": obj({"self": text, "page": text})})
    return {
        "BenefitLineCreate": {"oneOf": [
            obj(input_schema(LINE), [n for n, s in LINE.items() if s.required]),
            obj(input_schema(DERIVE), [n for n, s in DERIVE.items() if s.required])],
            "description": "Typed (quantity x unit value), or estimated from a saved "
                           "comparison (`analysis_id`, `unit_cost`, `volume`). " + AMOUNT_TEXT},
        "BenefitLinePatch": obj(input_schema(LINE) | {"version": VERSION}, [],
                                minProperties=1),
        "BenefitMonthInput": obj(input_schema(MONTH) | {"version": VERSION},
                                 ["month", "amount"]),
        "BenefitSubmission": obj(input_schema(SUBMISSION) | {"version": VERSION}, ["part"]),
        "BenefitDecision": obj(input_schema(DECISION) | {"version": VERSION},
                               ["part", "decision"]),
        "BenefitReopening": obj(input_schema(REOPENING) | {"version": VERSION}, ["part"]),
        "BenefitLine": line,
        "BenefitList": obj({
            "project": text, "currency": text,
            "lines": {"type": "array", "items": ref("BenefitLine")},
            "costs": {"type": "array", "items": ref("ProjectCost")},
            "summary": obj({
                "total": totals, "by_category": {"type": "object",
                                                 "additionalProperties": totals},
                "cash_benefit": money, "one_off_costs": money, "running_costs": money,
                "roi_percent": nullable(text), "payback_months": nullable(text),
                "roi_all_percent": nullable(text), "payback_all_months": nullable(text),
                "backed_lines": {"type": "integer"}, "estimated_lines": {"type": "integer"},
                "waiting_lines": {"type": "integer"}})}),
        "ProjectCost": obj({"id": {"type": "integer"},
                            "kind": {"type": "string", "enum": list(COST_KINDS)},
                            "description": text, "amount": money}),
        "ProjectCostCreate": obj(input_schema(COST), list(COST),
                                 description=AMOUNT_TEXT),
        "ProjectCostList": obj({"project": text, "currency": text,
                                "items": {"type": "array", "items": ref("ProjectCost")}}),
        "BenefitQueue": obj({"items": {"type": "array", "items": ref("BenefitLine")}}),
    }


BASE = "/api/v1/projects/{key}/benefits"
ONE = BASE + "/{line_id}"
COSTS = "/api/v1/projects/{key}/costs"
OPERATIONS: tuple[Operation, ...] = (
    Operation("get", BASE, "api.list_benefits", "A project's benefits", 200, "BenefitList",
              (401, 404), parameters=(KEY,),
              description="Lines with their realized months, costs, and the summary: "
                          "projected, validated and realized totals, ROI and payback on "
                          "the cash benefits (hard savings and revenue)."),
    Operation("post", BASE, "api.create_benefit", "Create a benefit line", 201,
              "BenefitLine", (401, 403, 404, 409, 415, 422), body="BenefitLineCreate",
              parameters=(KEY, IDEMPOTENCY), headers=("Location", "ETag"),
              description="The projected figure is quantity x unit value, rounded to the "
                          "cent; estimated from a comparison, it is the improvement x unit "
                          "cost x volume, with the range the confidence interval gives. "
                          + AMOUNT_TEXT),
    Operation("get", ONE, "api.get_benefit", "Read a benefit line", 200, "BenefitLine",
              (401, 404), parameters=(KEY, LINE_ID), headers=("ETag",)),
    Operation("patch", ONE, "api.update_benefit", "Change a benefit line", 200,
              "BenefitLine", WRITE, body="BenefitLinePatch",
              parameters=(KEY, LINE_ID, IF_MATCH), headers=("ETag",),
              description="A projection finance validated is locked (409): reopen it first. "
                          "A change to one waiting for finance takes it back to draft."),
    Operation("delete", ONE, "api.delete_benefit", "Delete a benefit line", 204, "",
              (401, 403, 404, 409), parameters=(KEY, LINE_ID, DELETE_IF_MATCH),
              description="With its realized months. A line with a figure finance validated "
                          "(the projection or a month) is refused (409): reopen it first."),
    Operation("post", ONE + "/months", "api.set_benefit_month", "Set a realized month", 200,
              "BenefitLine", WRITE, body="BenefitMonthInput",
              parameters=(KEY, LINE_ID, IF_MATCH), headers=("ETag",),
              description="`amount` null removes the month. Months that have not begun and "
                          "validated months (locked) are refused."),
    Operation("post", ONE + "/submission", "api.submit_benefit",
              "Submit to finance", 200, "BenefitLine", WRITE, body="BenefitSubmission",
              parameters=(KEY, LINE_ID, IF_MATCH), headers=("ETag",),
              description="`projected`: the annual figure; `realized`: every month not yet "
                          "validated."),
    Operation("post", ONE + "/validation", "api.validate_benefit",
              "Approve or return (finance)", 200, "BenefitLine", WRITE,
              body="BenefitDecision", parameters=(KEY, LINE_ID, IF_MATCH),
              headers=("ETag",),
              description="Finance only, never on a project one leads, sponsors or works on. "
                          "Approving locks the figures; returning needs a `comment`. The "
                          "version must be the line finance looked at."),
    Operation("post", ONE + "/reopening", "api.reopen_benefit",
              "Reopen a validated figure", 200, "BenefitLine", WRITE,
              body="BenefitReopening", parameters=(KEY, LINE_ID, IF_MATCH),
              headers=("ETag",),
              description="Takes the validation away so the figure can change; it then "
                          "needs a new validation. `realized` names the `month`."),
    Operation("get", COSTS, "api.list_costs", "A project's costs", 200, "ProjectCostList",
              (401, 404), parameters=(KEY,),
              description="One-off costs and running costs (a year); ROI and payback in the "
                          "benefits summary follow from them."),
    Operation("post", COSTS, "api.create_cost", "Add a project cost", 201, "ProjectCost",
              (401, 403, 404, 409, 415, 422), body="ProjectCostCreate",
              parameters=(KEY, IDEMPOTENCY), headers=("Location",),
              description="`kind` one_off or running (a year); the amount above zero. "
                          + AMOUNT_TEXT),
    Operation("delete", COSTS + "/{cost_id}", "api.delete_cost", "Remove a project cost",
              204, "", (401, 403, 404), parameters=(KEY, COST_ID)),
    Operation("get", "/api/v1/benefits/queue", "api.benefit_queue",
              "Lines waiting for finance", 200, "BenefitQueue", (401, 403),
              description="Finance and admins; the longest waiting first."),
)
HEADERS = {"ETag": {"description": 'The line\'s version, quoted ("3"), for If-Match',
                    "schema": {"type": "string"}}}


def extend(doc: dict[str, Any]) -> None:
    """Add the benefits paths and schemas to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        ok = item["responses"][str(op.ok)]
        if op.ok == 204:
            item["responses"]["204"] = {"description": "Removed; no content."}
        elif "ETag" in op.headers:
            ok["headers"]["ETag"] = HEADERS["ETag"]
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(_schemas())
