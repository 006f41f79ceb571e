"""The analysis endpoints in the OpenAPI document (see ``openapi.document``)."""

from __future__ import annotations

from typing import Any

from ..analyses.services import ANALYSES, CHART_OPTIONS
from .openapi import KEY, Operation, _operation, obj, ref
from .openapi_datasets import DATASET_ID, IDEMPOTENCY, VERSION

RECORD_ID = {"name": "record_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 0}}
RERUN = {"name": "rerun", "in": "query", "required": False,
         "description": "`true`: run the analysis again on the data versions it names and "
                        "say whether the numbers agree.", "schema": {"type": "boolean"}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


CHART_PARAMS = (
    VERSION,
    _query("type", "Chart kind (i, xbar, ewma, cusum, g, t, p, np, laney_p, c, u, laney_u); "
                   "suggested from the data when absent, with the reason."),
    _query("rules", "A rule set's name (nelson, western_electric, ...) or rule numbers "
                    "such as 1,2,5."),
    _query("run_lengths", "Run lengths per rule, e.g. 2:8,3:7."),
    _query("limits_from", "A stage whose limits judge the later stages, or a count N of "
                          "first points."),
    *(_query(name, f"Chart option '{name}' as ciapp.stats.control_chart takes it.")
      for name in CHART_OPTIONS if name not in ("type", "rules", "run_lengths", "limits_from")),
)
DRAWING_PARAMS = (
    *CHART_PARAMS,
    _query("window_start", "First point shown (from 1); above 2,000 points the chart shows "
                           "a window.", {"type": "integer", "minimum": 1}),
    _query("window_end", "Last point shown.", {"type": "integer", "minimum": 1}),
    _query("specs", "`true`: draw the specification limits too (I chart).",
           {"type": "boolean"}),
)
CAPABILITY_PARAMS = (
    VERSION,
    _query("lsl", "Lower specification limit (default: the project's).", {"type": "number"}),
    _query("usl", "Upper specification limit (default: the project's).", {"type": "number"}),
    _query("target", "Target, for Cpm.", {"type": "number"}),
    _query("method", "normal (default), boxcox or percentile.",
           {"type": "string", "enum": ["normal", "boxcox", "percentile"]}),
    _query("stage", "Only this stage's points."),
)
SOURCE_INFO = obj({"dataset": {"type": "integer"}, "name": {"type": "string"},
                   "version": {"type": "integer"}, "sha256": {"type": "string"},
                   "stage": {"type": ["string", "null"]}})
ERRORS = (400, 401, 403, 404, 422)


def _open(required: list[str], properties: dict[str, Any], description: str
          ) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties,
            "additionalProperties": True, "description": description}


def _schemas() -> dict[str, Any]:
    side = obj({"dataset": {"type": "integer"}, "stage": {"type": "string"},
                "version": {"type": "integer", "minimum": 1}}, ["dataset"])
    return {
        "AnalysisSource": SOURCE_INFO,
        "ChartResult": _open(["kind", "method", "version", "hash"], {
            "kind": {"type": "string"}, "method": {"type": "string"},
            "version": {"type": "integer"}, "hash": {"type": "string"},
            "reason": {"type": "string"}, "dataset": ref("AnalysisSource")},
            "The chart result's to_dict() (ciapp.stats.ControlChart), with the data "
            "version and hash it was computed on."),
        "CapabilityResult": _open(["version", "hash"], {
            "version": {"type": "integer"}, "hash": {"type": "string"},
            "dataset": ref("AnalysisSource")},
            "ciapp.stats.Capability's to_dict(), with the data version and hash."),
        "ComparisonRequest": obj({"before": side, "after": side,
                                  "test": {"type": "string", "enum": [
                                      "welch", "student", "paired", "mann-whitney",
                                      "two-proportions", "fisher", "poisson"]},
                                  "paired": {"type": "boolean"}}, ["before", "after"]),
        "ComparisonResult": _open(["verdict", "before", "after"], {
            "verdict": {"type": "string"}, "before": ref("AnalysisSource"),
            "after": ref("AnalysisSource")},
            "ciapp.stats.Comparison's to_dict(): change with its confidence interval, "
            "p-value, assumptions, power, verdict."),
        "AnalysisCreate": obj({
            "dataset": {"type": "integer"},
            "analysis": {"type": "string", "enum": list(ANALYSES)},
            "options": {"type": "object"}, "title": {"type": "string", "maxLength": 200},
            "stage": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
            "after": side}, ["dataset", "analysis"]),
        "Analysis": _open(["id", "analysis", "inputs", "options", "result", "software"], {
            "id": {"type": "integer"}, "project": {"type": "string"},
            "analysis": {"type": "string"}, "title": {"type": "string"},
            "inputs": {"type": "array", "items": SOURCE_INFO}, "options": {"type": "object"},
            "result": {"type": "object"}, "software": {"type": "string"},
            "reproduced": {"type": "boolean"},
            "differences": {"type": "array", "items": {"type": "string"}},
            "newer_versions": {"type": "array", "items": {"type": "string"}}},
            "A saved analysis; with ?rerun=true also whether it reproduced."),
    }


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/api/v1/datasets/{dataset_id}/chart", "api.chart",
              "A data set's control chart", 200, "ChartResult", ERRORS,
              parameters=(DATASET_ID, *CHART_PARAMS)),
    Operation("get", "/api/v1/datasets/{dataset_id}/chart.svg", "api.chart_svg",
              "The control chart as SVG", 200, "", ERRORS,
              parameters=(DATASET_ID, *DRAWING_PARAMS),
              description="Every point carries a tooltip and a link to its row."),
    Operation("get", "/api/v1/datasets/{dataset_id}/chart.png", "api.chart_png",
              "The control chart as PNG", 200, "", ERRORS,
              parameters=(DATASET_ID, *DRAWING_PARAMS)),
    Operation("get", "/api/v1/datasets/{dataset_id}/capability", "api.capability",
              "A data set's process capability", 200, "CapabilityResult", ERRORS,
              parameters=(DATASET_ID, *CAPABILITY_PARAMS)),
    Operation("post", "/api/v1/projects/{key}/comparisons", "api.compare",
              "Compare before and after", 200, "ComparisonResult", ERRORS,
              body="ComparisonRequest", parameters=(KEY,),
              description="Two data sets, or two stages of one. The test is chosen from the "
                          "data when `test` is absent, and `reason` says why."),
    Operation("post", "/api/v1/projects/{key}/analyses", "api.save_analysis",
              "Save an analysis as a record", 201, "Analysis", (*ERRORS, 409),
              body="AnalysisCreate", parameters=(KEY, IDEMPOTENCY), headers=("Location",)),
    Operation("get", "/api/v1/analyses/{record_id}", "api.get_analysis",
              "A saved analysis, optionally re-run", 200, "Analysis", (401, 403, 404, 422),
              parameters=(RECORD_ID, RERUN)),
)
MEDIA = {"api.chart_svg": "image/svg+xml", "api.chart_png": "image/png"}


def extend(doc: dict[str, Any]) -> None:
    """Add the analysis paths and schemas to ``doc``."""
    for op in OPERATIONS:
        item = _operation(op)
        if op.endpoint in MEDIA:
            item["responses"]["200"]["content"] = {MEDIA[op.endpoint]: {"schema": {
                "type": "string"}}}
        doc["paths"].setdefault(op.path, {})[op.method] = item
    doc["components"]["schemas"].update(_schemas())
