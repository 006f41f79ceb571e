"""What the analysis pages show, built from ``services.run`` results: the control chart with
its signals in words, capability, before/after, Pareto, Gage R&R. Routes stay thin."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
from werkzeug.datastructures import MultiDict

from .. import stats
from ..charts import summary
from ..charts.svg import to_svg
from ..charts.words import describe_rule
from ..core.errors import DomainError
from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..datasets.models import Dataset
from ..projects.models import Project
from . import render, services
from .services import Source

CHART_FIELDS = ("type", "rules", "limits_from", "center", "sigma", "nsigmas")
RULE_SET_CHOICES = (("nelson", "Nelson (all eight)"), ("western_electric", "Western Electric"),
                    ("1", "Limits only (rule 1)"))
MAX_SIGNAL_ROWS = 200
LABELS = {"chart": "Control chart", "capability": "Capability", "comparison": "Before / after",
          "pareto": "Pareto", "gage": "Gage R&R"}
FOR_KIND = {"continuous": ("chart", "capability", "comparison"),
            "defectives": ("chart", "comparison"), "defects": ("chart", "comparison"),
            "categories": ("pareto",), "gage": ("gage",)}


def tabs(dataset: Dataset) -> list[tuple[str, str]]:
    """The analyses that apply to this kind of data, for the pages' tabs."""
    return [(name, LABELS[name]) for name in FOR_KIND.get(dataset.kind, ())]


def chart_options(args: MultiDict[str, str]) -> dict[str, Any]:
    """The chart's options from the page's query string (the URL keeps them, so a view can
    be shared); rule numbers may be written 1,2,5."""
    options: dict[str, Any] = {}
    for name in CHART_FIELDS:
        value = args.get(name, "").strip()
        if value:
            options[name] = value
    rules = options.get("rules")
    if rules and rules[0].isdigit():
        try:
            options["rules"] = [int(r) for r in rules.split(",")]
        except ValueError:
            raise DomainError("Rules are a set's name or numbers such as 1,2,5.",
                              field="rules") from None
    return options


def stages_of(dataset: Dataset, version: int) -> list[str]:
    labels = adapt.stage_labels(datasets.load(dataset, version)) or []
    return list(dict.fromkeys(labels))


def chart_context(project: Project, dataset: Dataset, args: MultiDict[str, str]
                  ) -> dict[str, Any]:
    src = services.source(project, dataset.id, args.get("version"))
    options = chart_options(args)
    result, reason = services.run("chart", project, [src], options)
    window = render.window_arg(args)
    show_specs = args.get("specs") == "on"
    svg = render.chart_drawing(project, src, options, "image/svg+xml", window=window,
                               show_specs=show_specs, result=result).decode()
    values = np.asarray(result.statistics, dtype=float)
    signals = []
    by_point: dict[int, list[int]] = {}
    for rule, positions in result.violations.items():
        for p in positions:
            by_point.setdefault(int(p), []).append(int(rule))
    for p in sorted(by_point)[:MAX_SIGNAL_ROWS]:
        signals.append({"point": p + 1, "value": float(values[p]) if p < len(values) else None,
                        "rules": [(r, describe_rule(r, result.run_lengths.get(r)))
                                  for r in sorted(by_point[p])]})
    n = len(values)
    context = {
        "src": src, "result": result, "reason": reason, "svg": svg, "options": options,
        "signals": signals, "signal_count": len(by_point),
        "stages": list(dict.fromkeys(result.stages or ())),
        "charts": adapt.CHARTS_FOR_KIND.get(dataset.kind, ()), "chart_labels": adapt.CHART_LABELS,
        "rule_sets": RULE_SET_CHOICES, "n_points": n, "window": window,
        "windowed": n > 2000, "show_specs": show_specs, "args": args,
        "options_json": json.dumps(options), "notes": list(result.notes),
    }
    if result.kind == "i" and n >= 10:
        context["autocorrelation"] = stats.autocorrelation(values)
        shift = stats.suggest_shift(values)
        context["shift"] = shift if shift.significant else None
    return context


def capability_context(project: Project, dataset: Dataset, args: MultiDict[str, str]
                       ) -> dict[str, Any]:
    src = services.source(project, dataset.id, args.get("version"))
    options = {k: args[k] for k in ("lsl", "usl", "target", "stage") if args.get(k)}
    method = args.get("method", "normal")
    if method in ("boxcox", "percentile"):
        options["transform"] = method
    result, _ = services.run("capability", project, [src], options)
    table = datasets.load(dataset, src.version)
    values = table.column("value").to_numpy()
    figure = summary.capability_figure(values[np.isfinite(values)], result,
                                       unit=dataset.unit or project.metric_unit or "",
                                       title=f"{dataset.name}: capability")
    return {"src": src, "result": result, "svg": to_svg(figure), "options": options,
            "method": method, "stages": stages_of(dataset, src.version), "args": args,
            "options_json": json.dumps(options),
            "specs": {k: options.get(k, getattr(project, k)) for k in ("lsl", "usl",
                                                                       "target")}}


def comparison_sources(project: Project, dataset: Dataset, args: MultiDict[str, str]
                       ) -> tuple[Source, Source] | None:
    before_id = args.get("before", str(dataset.id))
    after_id = args.get("after", str(dataset.id))
    stages = stages_of(dataset, dataset.current)
    before_stage = args.get("before_stage", stages[0] if stages else "")
    after_stage = args.get("after_stage", stages[1] if len(stages) > 1 else "")
    if before_id == after_id and (not before_stage or before_stage == after_stage):
        return None
    return (services.source(project, before_id, stage=before_stage or None),
            services.source(project, after_id, stage=after_stage or None))


def comparison_context(project: Project, dataset: Dataset, args: MultiDict[str, str]
                       ) -> dict[str, Any]:
    project_sets = datasets.project_datasets(project.id)
    context: dict[str, Any] = {"datasets": project_sets, "args": args,
                               "stages": {d.id: stages_of(d, d.current) for d in project_sets
                                          if d.kind == dataset.kind},
                               "tests": adapt.TESTS}
    pair = comparison_sources(project, dataset, args)
    if pair is None:
        context["needs_choice"] = True
        return context
    options = {k: args[k] for k in ("test",) if args.get(k)}
    if args.get("paired") == "on":
        options["paired"] = True
    result, reason = services.run("comparison", project, list(pair), options)
    context |= {"pair": pair, "result": result, "reason": reason, "options": options,
                "options_json": json.dumps(options)}
    before, after = pair
    if before.dataset.id == after.dataset.id and before.stage and after.stage:
        # The staged chart of the same data: the after stage judged by the before limits.
        whole = Source(before.dataset, before.version, before.sha256)
        context["staged_svg"] = render.chart_drawing(
            project, whole, {"limits_from": before.stage}, "image/svg+xml").decode()
    if dataset.kind == "continuous":
        samples = [adapt.sample(datasets.load(s.dataset, s.version), "continuous", s.stage)
                   for s in pair]
        labels = tuple(f"{s.dataset.name}" + (f" ({s.stage})" if s.stage else "")
                       for s in pair)
        context["svg"] = to_svg(summary.comparison_figure(
            samples[0], samples[1], labels=labels,  # type: ignore[arg-type]
            unit=dataset.unit or project.metric_unit or ""))
    return context


def summary_context(project: Project, dataset: Dataset, analysis: str) -> dict[str, Any]:
    src = services.source(project, dataset.id)
    result, _ = services.run(analysis, project, [src], {})
    figure = summary.pareto_figure(result, title=f"{dataset.name}: Pareto") \
        if analysis == "pareto" else summary.gage_figure(result, title=f"{dataset.name}: "
                                                                       "Gage R&R")
    return {"src": src, "result": result, "svg": to_svg(figure), "options_json": "{}"}


def record_context(project: Project, record_id: Any, rerun: bool) -> dict[str, Any]:
    record = services.get_record(project, record_id)
    context: dict[str, Any] = {"record": record}
    if rerun:
        context["rerun"] = services.rerun(project, record)
    return context


def parse_options(text: str) -> Mapping[str, Any]:
    try:
        options = json.loads(text or "{}")
    except ValueError:
        options = None
    if not isinstance(options, dict):
        raise DomainError("The analysis options were not readable; open the analysis again "
                          "and save it from there.", field="options")
    return options
