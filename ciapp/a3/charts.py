"""The A3's numbers: the current condition (the baseline control chart and capability) and
the results (the staged chart, the after stages judged against the baseline's limits, and
the before/after verdict), from the project's primary-metric data set and saved analyses.

Charts are drawn through ``analyses.render`` (the shared cache, the same drawing as the
chart pages) and made to fit their box. What cannot be shown yet comes back as a sentence
saying what is missing, never as an error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..analyses import criteria, render
from ..analyses import services as analyses
from ..charts.svg import without_style_element
from ..core.errors import DomainError
from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..datasets.models import AnalysisRecord, Dataset
from ..projects.models import Project
from ..stats import StatsInputError

ROOT_SIZE = re.compile(r'\s(width|height)="[^"]*"')
ID_REF = re.compile(r'( id="|href="#|url\(#)')
INDICES = ("cp", "cpk", "pp", "ppk")


@dataclass(frozen=True)
class Drawn:
    """A chart for a box of the A3, or the reason there is none."""

    svg: str | None = None
    caption: str = ""
    missing: str = ""


@dataclass(frozen=True)
class Capability:
    title: str = ""
    indices: dict[str, float] = field(default_factory=dict)
    ppm: float | None = None
    note: str = ""
    missing: str = ""


@dataclass(frozen=True)
class Verdict:
    title: str = ""
    text: str = ""
    better: bool = False
    significant: bool = False
    details: str = ""
    missing: str = ""


def fit(svg: str, scope: str) -> str:
    """The SVG sized by its box (CSS) instead of by matplotlib's inches (the root's width
    and height become 100%, and its viewBox keeps the proportions), with its ids prefixed by
    ``scope``: matplotlib numbers them the same in every figure, and one page holds several
    figures (a repeated id is invalid HTML, and a reference could reach the wrong one)."""
    # Drawings cached before charts.svg removed matplotlib's <style> element still hold it.
    svg = ID_REF.sub(lambda m: f"{m.group(1)}{scope}-", without_style_element(svg))
    end = svg.index(">")
    root = ROOT_SIZE.sub(lambda m: f' {m.group(1)}="100%"', svg[:end])
    return root + ' preserveAspectRatio="xMidYMid meet"' + svg[end:]


def primary(project: Project) -> Dataset | None:
    found = criteria.primary_datasets(project)
    return found[0] if found else None


@dataclass(frozen=True)
class _Points:
    chart_type: str
    count: int
    stages: list[str]  # in order; empty without stages
    point_stages: list[str] | None  # each plotted point's stage


def _points(table: Any, dataset: Dataset) -> _Points:
    """The chart the data set suggests, and its plotted points' stages."""
    chart_type, _ = adapt.suggest_chart(dataset.kind, table, dataset.subgroup_size)
    points = adapt.points(table, dataset.subgroup_size,
                          subgrouped=chart_type in adapt.SUBGROUPED)
    count = len(points.values)
    if points.stages is None:
        return _Points(chart_type, count, [], None)
    return _Points(chart_type, count, list(dict.fromkeys(points.stages)), list(points.stages))


def baseline_chart(project: Project, dataset: Dataset | None) -> Drawn:
    """The baseline stage's control chart (the first stage, as the before/after page takes
    it), or the whole data set while it has no stages."""
    if dataset is None:
        return Drawn(missing="No data set on the primary metric yet.")
    try:
        src = analyses.source(project, dataset.id)
        pts = _points(datasets.load(dataset, src.version), dataset)
        shown, n, window = "all", pts.count, None
        if pts.point_stages:
            shown = pts.stages[0]
            n = next((i for i, s in enumerate(pts.point_stages) if s != shown), pts.count)
            window = (0, n)
        svg = render.chart_drawing(project, src, {}, "image/svg+xml", window=window,
                                   title=f"{dataset.name}: {shown} data").decode()
    except (DomainError, StatsInputError) as exc:
        return Drawn(missing=f"The baseline chart of '{dataset.name}' cannot be drawn: "
                             f"{exc}")
    label = adapt.CHART_LABELS.get(pts.chart_type, pts.chart_type)
    return Drawn(fit(svg, "a3-baseline"), f"{label} chart; {n} points ({shown}) of "
                                          f"'{dataset.name}', version {src.version}.")


def _latest(project: Project, analysis: str) -> AnalysisRecord | None:
    found = analyses.project_records(project, analysis)
    return found[0] if found else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def capability(project: Project, dataset: Dataset | None) -> Capability:
    """The latest saved capability; else one computed now on the baseline stage."""
    if project.lsl is None and project.usl is None:
        return Capability(missing="No specification limits on the primary metric: "
                                  "capability does not apply.")
    record = _latest(project, "capability")
    if record is not None:
        return _capability(record.title, record.result, "Saved analysis.")
    if dataset is None:
        return Capability(missing="No capability yet: there is no baseline data.")
    try:
        stages = _points(datasets.load(dataset), dataset).stages
        src = analyses.source(project, dataset.id, stage=stages[0] if stages else None)
        result, _ = analyses.run("capability", project, [src], {})
    except (DomainError, StatsInputError) as exc:
        return Capability(missing=f"No capability saved, and it cannot be computed: "
                                  f"{exc}")
    return _capability(f"Capability: {dataset.name}" + (f" ({src.stage})" if src.stage else ""),
                       analyses.plain(result.to_dict()), "Computed now, not saved.")


def _capability(title: str, result: dict[str, Any], note: str) -> Capability:
    indices = {name: v for name in INDICES if (v := _number(result.get(name))) is not None}
    ppm = _number((result.get("ppm_overall") or {}).get("total"))
    return Capability(title, indices, ppm, note)


def staged_chart(project: Project, dataset: Dataset | None) -> Drawn:
    """The whole primary data set with every later stage judged against the first
    stage's limits, as on the before/after page."""
    if dataset is None:
        return Drawn(missing="No data set on the primary metric yet.")
    try:
        src = analyses.source(project, dataset.id)
        stages = _points(datasets.load(dataset, src.version), dataset).stages
        if len(stages) < 2:
            return Drawn(missing=f"'{dataset.name}' has no after-change stage yet.")
        svg = render.chart_drawing(project, src, {"limits_from": stages[0]}, "image/svg+xml",
                                   title=f"{dataset.name}: {', '.join(stages[1:])} against "
                                         f"the {stages[0]} limits").decode()
    except (DomainError, StatsInputError) as exc:
        return Drawn(missing=f"The staged chart of '{dataset.name}' cannot be drawn: "
                             f"{exc}")
    return Drawn(fit(svg, "a3-staged"),
                 f"Stages: {', '.join(stages)}; limits from {stages[0]}.")


def verdict(project: Project) -> Verdict:
    """The latest saved before/after comparison, in the project's words for 'better'."""
    record = _latest(project, "comparison")
    if record is None:
        return Verdict(missing="No before/after comparison saved yet.")
    result = record.result
    details = []
    change, low_high = _number(result.get("change")), result.get("change_ci") or []
    if change is not None:
        ci = [_number(v) for v in low_high]
        details.append(f"change {change:.4g}" + (f" ({ci[0]:.4g} to {ci[1]:.4g})"
                                                 if len(ci) == 2 and None not in ci else ""))
    p_value = _number(result.get("p_value"))
    if p_value is not None:
        details.append(f"p = {p_value:.3g}")
    if result.get("test"):
        details.append(str(result["test"]))
    return Verdict(record.title, str(result.get("verdict") or ""),
                   bool(result.get("improved")), bool(result.get("significant")),
                   "; ".join(details))
