"""The improve endpoints in the OpenAPI document: countermeasures, actions, the control plan
and the caller's own actions (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..core.validators import MAX_ID
from ..improve.models import ACTION_STATUSES, CM_STATUSES
from ..improve.services import CONTROL_FIELDS
from . import improve
from .openapi import Operation, nullable, obj, ref
from .openapi_children import (
    INTEGER,
    TEXT,
    VERSION,
    WHEN,
    Resource,
    add,
    create_schema,
    links,
    listing,
    nullable_of,
    patch_schema,
)

DATE = {"type": "string", "format": "date"}
COUNTERMEASURES = Resource(
    "countermeasures", "countermeasure_id", "Countermeasure",
    ("list_countermeasures", "create_countermeasure", "get_countermeasure",
     "update_countermeasure", "delete_countermeasure"), "a countermeasure", {
        "create_countermeasure": "`root_cause_ids` are root causes of this project (see "
                                 "`/whys` and `/causes`); another project's: 404.",
        "delete_countermeasure": "With its actions.",
    })
ACTIONS = Resource(
    "actions", "action_id", "Action",
    ("list_actions", "create_action", "get_action", "update_action", "delete_action"),
    "an action", {
        "create_action": "For a countermeasure of this project, owned by an active user, "
                         "due on or after the day it is created (a due date before that: "
                         "422). The owner is notified.",
        "update_action": "A new owner is notified. `done` sets `completed_on` to today; "
                         "any other status clears it.",
    })
CONTROL_PLAN = Resource(
    "control-plan", "control_id", "ControlPlanRow",
    ("list_control_plan", "create_control_row", "get_control_row", "update_control_row",
     "delete_control_row"), "a control plan row", {
        "create_control_row": "`dataset_id` is a data set of this project, whose chart "
                              "watches the characteristic.",
    })
MINE = Operation("get", "/api/v1/me/actions", "api.my_actions",
                 "Your open actions in every project", 200, "MyActions", (401,),
                 description="Overdue first, then by due date; `overdue` counts them.")


def _schemas() -> dict[str, Any]:
    action = obj({"id": INTEGER, "project": TEXT, "countermeasure_id": INTEGER,
                  "title": TEXT, "owner": ref("UserRef"), "due_date": DATE,
                  "status": {"type": "string", "enum": list(ACTION_STATUSES)},
                  "completed_on": nullable_of(DATE), "created_at": WHEN,
                  "overdue": {"type": "boolean", "description": "Not done, and due before "
                                                                "today."},
                  "version": VERSION, "links": links("self")})
    cm = obj({"id": INTEGER, "project": TEXT, "title": TEXT, "description": TEXT,
              "status": {"type": "string", "enum": list(CM_STATUSES)},
              "root_causes": {"type": "array", "items": obj({
                  "id": INTEGER, "statement": TEXT, "found_by": TEXT,
                  "verified": {"type": "boolean"}})},
              "actions": {"type": "array", "items": ref("Action")},
              "created_at": WHEN, "version": VERSION, "links": links("self")})
    control = obj({"id": INTEGER, **{name: TEXT for name in CONTROL_FIELDS},
                   "dataset_id": nullable_of(INTEGER), "owner": nullable(ref("UserRef")),
                   "version": VERSION, "links": links("self")})
    ids = {"root_cause_ids": {"type": "array", "title": "Root causes it answers",
                              "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}}
    return {
        "Action": action, "Countermeasure": cm, "ControlPlanRow": control,
        "ActionList": listing("Action"), "CountermeasureList": listing("Countermeasure"),
        "ControlPlanRowList": listing("ControlPlanRow"),
        "MyActions": listing("Action", overdue={"type": "integer"}),
        "CountermeasureCreate": create_schema(improve.CM_NEW, ids),
        "CountermeasurePatch": patch_schema(improve.CM_EDIT, ids),
        "ActionCreate": create_schema(improve.ACTION_NEW),
        "ActionPatch": patch_schema(improve.ACTION_EDIT),
        "ControlPlanRowCreate": create_schema(improve.CONTROL_FIELDS),
        "ControlPlanRowPatch": patch_schema(improve.CONTROL_EDIT),
    }


def extend(doc: dict[str, Any]) -> None:
    """Add the improve paths and schemas to ``doc``."""
    add(doc, (*COUNTERMEASURES.operations(), *ACTIONS.operations(),
              *CONTROL_PLAN.operations(), MINE), _schemas())
