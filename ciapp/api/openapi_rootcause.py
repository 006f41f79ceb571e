"""The root-cause endpoints in the OpenAPI document: 5-Whys chains and their whys, fishbone
causes, the FMEA and the SIPOC (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..rootcause.fmea_models import SIPOC_COLUMNS
from ..rootcause.models import CAUSE_STATUSES
from . import fmea, rootcause
from .openapi import obj, ref
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
    path_id,
)

CHAINS = Resource(
    "whys", "chain_id", "Chain",
    ("list_chains", "create_chain", "get_chain", "update_chain", "delete_chain"),
    "a 5-Whys chain", {
        "list_chains": "Each chain with its whys nested in reading order (depth first).",
        "create_chain": "A problem statement, and optionally the first whys, each "
                        "answering the one before. An empty problem statement: 422.",
        "delete_chain": "With every why of the chain and their root causes.",
    })
WHYS = Resource(
    "whys/{chain_id}/whys", "why_id", "Why",
    ("list_whys", "add_why", "get_why", "update_why", "delete_why"), "a why", {
        "add_why": "`parent_id` is the why this answers (null: the problem statement); a "
                   "second answer to the same why is a branch.",
        "update_why": "Text, the why it answers (`parent_id`: it moves with the whys "
                      "that answer it; null: the problem statement), place among the "
                      "answers to the same why, whether it is a root cause (`root_cause`), "
                      "and that root cause's verification: `verified` needs `evidence`, "
                      "and `record_id` names a saved analysis of this project. The why's "
                      "version covers its root cause too.",
        "delete_why": "With every why that answers it.",
    }, parent=(path_id("chain_id"),))
CAUSES = Resource(
    "causes", "cause_id", "Cause",
    ("list_causes", "create_cause", "get_cause", "update_cause", "delete_cause"),
    "a fishbone cause", {
        "list_causes": "Category by category, causes by votes; with the fishbone's effect "
                       "and categories.",
        "create_cause": "On a category of the fishbone, named by `category_id` or by "
                        "`category` (its name); a category the fishbone does not have: 422. "
                        "The first cause starts the fishbone on the 6 Ms.",
        "update_cause": "`verified` and `ruled_out` need `evidence`; verified makes the "
                        "cause a root cause.",
        "delete_cause": "With its sub-causes.",
    })
FMEA = Resource(
    "fmea", "fmea_id", "FmeaRow",
    ("list_fmea", "create_fmea_row", "get_fmea_row", "update_fmea_row", "delete_fmea_row"),
    "a failure mode", {
        "list_fmea": "Highest RPN first.",
        "create_fmea_row": "Severity, occurrence and detection are whole numbers from 1 "
                           "to 10; the RPN (their product) and the action priority are "
                           "computed.",
    })
SIPOC = Resource(
    "sipoc", "item_id", "SipocItem",
    ("list_sipoc", "create_sipoc_item", "get_sipoc_item", "update_sipoc_item",
     "delete_sipoc_item"), "a SIPOC entry",
    {"list_sipoc": "Column by column (suppliers to customers), each in its order."})


def _schemas() -> dict[str, Any]:
    root = obj({"id": INTEGER, "verified": {"type": "boolean"}, "evidence": TEXT,
                "record_id": nullable_of(INTEGER), "verified_at": nullable_of(WHEN)})
    why = obj({"id": INTEGER, "chain_id": INTEGER, "parent_id": nullable_of(INTEGER),
               "position": INTEGER, "depth": {"type": "integer", "description": "1: the "
                                                                               "first why"},
               "branch": {"type": "boolean", "description": "One of two or more answers to "
                                                            "the same why."},
               "text": TEXT, "root_cause": nullable_of(ref("RootCauseState")),
               "version": VERSION, "links": links("self")})
    chain = obj({"id": INTEGER, "project": TEXT, "problem": TEXT, "created_at": WHEN,
                 "version": VERSION, "whys": {"type": "array", "items": ref("Why")},
                 "links": links("self", "whys", "page")})
    category = obj({"id": INTEGER, "name": TEXT})
    cause = obj({"id": INTEGER, "category": category, "parent_id": nullable_of(INTEGER),
                 "position": INTEGER, "text": TEXT, "votes": INTEGER,
                 "status": {"type": "string", "enum": list(CAUSE_STATUSES)},
                 "evidence": TEXT, "record_id": nullable_of(INTEGER),
                 "root_cause_id": nullable_of(INTEGER), "version": VERSION,
                 "links": links("self")})
    scores = {name: INTEGER for name in ("severity", "occurrence", "detection")}
    row = obj({"id": INTEGER,
               **{name: TEXT for name in ("failure_mode", "effect", "cause", "current_control",
                                          "recommended_action", "owner")},
               **scores, **{f"new_{name}": nullable_of(INTEGER) for name in scores},
               "rpn": {"type": "integer", "description": "severity x occurrence x detection"},
               "new_rpn": nullable_of(INTEGER),
               "priority": {"type": "string", "enum": ["high", "medium", "low"]},
               "version": VERSION, "links": links("self")})
    sipoc = obj({"id": INTEGER, "column_key": {"type": "string", "enum": list(SIPOC_COLUMNS)},
                 "column_label": TEXT, "text": TEXT, "position": INTEGER,
                 "version": VERSION, "links": links("self")})
    first_whys = {"type": "array", "items": rootcause.WHY_TEXT.schema(),
                  "title": rootcause.CHAIN_NEW["whys"].label}
    return {
        "RootCauseState": root, "Why": why, "Chain": chain, "Cause": cause,
        "FmeaRow": row, "SipocItem": sipoc,
        "ChainList": listing("Chain"), "WhyList": listing("Why"),
        "CauseList": listing("Cause", effect=nullable_of(TEXT),
                             categories={"type": "array", "items": category}),
        "FmeaRowList": listing("FmeaRow"), "SipocItemList": listing("SipocItem"),
        "ChainCreate": create_schema(rootcause.CHAIN_NEW, {"whys": first_whys}),
        "ChainPatch": patch_schema(rootcause.CHAIN_EDIT),
        "WhyCreate": create_schema(rootcause.WHY_NEW),
        "WhyPatch": patch_schema(rootcause.WHY_EDIT),
        "CauseCreate": create_schema(rootcause.CAUSE_NEW, oneOf=[
            {"required": ["category_id"]}, {"required": ["category"]}]),
        "CausePatch": patch_schema(rootcause.CAUSE_EDIT),
        "FmeaRowCreate": create_schema(fmea.FMEA_FIELDS),
        "FmeaRowPatch": patch_schema(fmea.FMEA_EDIT),
        "SipocItemCreate": create_schema(fmea.SIPOC_NEW),
        "SipocItemPatch": patch_schema(fmea.SIPOC_EDIT),
    }


def extend(doc: dict[str, Any]) -> None:
    """Add the root-cause paths and schemas to ``doc``."""
    add(doc, (*CHAINS.operations(), *WHYS.operations(), *CAUSES.operations(),
              *FMEA.operations(), *SIPOC.operations()), _schemas())
