"""Drawing a data set's control chart for a page or a download, through the shared cache:
the same options and data version are drawn once, on whichever app server asks first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
from flask import url_for
from werkzeug.datastructures import MultiDict

from ..charts import control
from ..core.errors import DomainError
from ..datasets import analysis as adapt
from ..datasets import services as datasets
from ..projects.models import Project
from .services import Source, run


def window_arg(args: MultiDict[str, str]) -> tuple[int, int] | None:
    """``window_start`` / ``window_end`` (points counted from 1, both included) as the
    plotted range [start, stop)."""
    start, end = args.get("window_start", ""), args.get("window_end", "")
    if not start and not end:
        return None
    try:
        first = int(start) if start else 1
        last = int(end) if end else first + control.WINDOW - 1
    except ValueError:
        raise DomainError("window_start and window_end are point numbers.",
                          field="window_start") from None
    if first < 1 or last < first:
        raise DomainError("The window runs from point 1 up, and ends after it starts.",
                          field="window_start")
    return first - 1, last


def point_info(project: Project, src: Source, table: pa.Table, subgrouped: bool,
               subgroup_size: int | None, shown: list[int]) -> control.PointInfo:
    """Labels, notes and links of the chart's points in ``shown`` (the plotted window: a
    million-row data set draws two thousand of them): a point is a row, or a subgroup whose
    link opens its first row."""
    base = url_for("datasets.point", key=project.key, dataset_id=src.dataset.id, n=1)
    stem = base[: -len("/1")]
    if subgrouped:
        rows = adapt.points(table, subgroup_size).rows or []
        subgroup = table.column("subgroup").to_pylist() if "subgroup" in table.column_names \
            else None
        firsts = {j: int(rows[j][0]) for j in shown}
        return control.PointInfo(
            labels={j: f"subgroup {subgroup[r] if subgroup else j + 1}"
                    for j, r in firsts.items()},
            links={j: f"{stem}/{r + 1}" for j, r in firsts.items()})
    rows_shown = pa.array(shown, pa.int64())
    labels = {i: f"#{i + 1}" for i in shown}
    if "time" in table.column_names:
        times = table.column("time").take(rows_shown).to_numpy(zero_copy_only=False)
        labels = {i: f"#{i + 1} " + str(t)[:16].replace("T", " ") if not np.isnat(t)
                  else f"#{i + 1}" for i, t in zip(shown, times, strict=True)}
    notes = dict(zip(shown, table.column("note").take(rows_shown).to_pylist(), strict=True)) \
        if "note" in table.column_names else None
    return control.PointInfo(labels=labels, notes=notes,
                             links={i: f"{stem}/{i + 1}" for i in shown})


def chart_drawing(project: Project, src: Source, options: Mapping[str, Any], media_type: str,
                  *, window: tuple[int, int] | None = None, show_specs: bool = False,
                  title: str = "", result: Any = None) -> bytes:
    """The chart drawn (from the cache when it was drawn before); ``result`` spares the
    computation when the caller has the chart already."""
    what = {"options": dict(options), "window": window, "specs": show_specs, "title": title,
            "project_specs": [project.lsl, project.usl, project.target], "key": project.key}
    version = datasets.get_version(src.dataset, src.version)

    def draw() -> bytes:
        chart = result if result is not None else run("chart", project, [src], options)[0]
        table = datasets.load(src.dataset, src.version)
        subgrouped = chart.kind in adapt.SUBGROUPED
        start, stop = control.window_of(len(chart.statistics), window)
        shown = [int(p) for p in np.asarray(chart.index)[start:stop]]
        info = point_info(project, src, table, subgrouped, src.dataset.subgroup_size, shown)
        view = control.ChartView(
            title=title or f"{src.dataset.name}: {chart.method}",
            unit=src.dataset.unit or project.metric_unit or "",
            specs={"lsl": project.lsl, "usl": project.usl, "target": project.target},
            show_specs=show_specs and chart.kind == "i", window=window)
        if media_type == "image/png":
            return control.png(chart, info, view)
        return control.svg(chart, info, view).encode()

    return datasets.cached_chart(src.dataset, version, what, media_type, draw)
