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
               subgroup_size: int | None) -> control.PointInfo:
    """Labels, notes and links of the chart's points: a point is a row, or a subgroup whose
    link opens its first row."""
    n = table.num_rows
    if "time" in table.column_names:
        times = table.column("time").to_numpy(zero_copy_only=False)
        labels = [f"#{i + 1} " + str(t)[:16].replace("T", " ") if not np.isnat(t)
                  else f"#{i + 1}" for i, t in enumerate(times)]
    else:
        labels = [f"#{i + 1}" for i in range(n)]
    notes = table.column("note").to_pylist() if "note" in table.column_names else None
    base = url_for("datasets.point", key=project.key, dataset_id=src.dataset.id, n=1)
    stem = base[: -len("/1")]
    links: list[str | None] = [f"{stem}/{i + 1}" for i in range(n)]
    if subgrouped:
        rows = adapt.points(table, subgroup_size).rows or []
        subgroup = table.column("subgroup").to_pylist() if "subgroup" in table.column_names \
            else None
        labels = [f"subgroup {subgroup[int(r[0])] if subgroup else j + 1}"
                  for j, r in enumerate(rows)]
        notes = None
        links = [f"{stem}/{int(r[0]) + 1}" for r in rows]
    return control.PointInfo(labels=labels, notes=notes, links=links)


def chart_drawing(project: Project, src: Source, options: Mapping[str, Any], media_type: str,
                  *, window: tuple[int, int] | None = None, show_specs: bool = False,
                  title: str = "") -> bytes:
    what = {"options": dict(options), "window": window, "specs": show_specs, "title": title,
            "project_specs": [project.lsl, project.usl, project.target], "key": project.key}
    version = datasets.get_version(src.dataset, src.version)

    def draw() -> bytes:
        result, _ = run("chart", project, [src], options)
        table = datasets.load(src.dataset, src.version)
        subgrouped = result.kind in adapt.SUBGROUPED
        info = point_info(project, src, table, subgrouped, src.dataset.subgroup_size)
        view = control.ChartView(
            title=title or f"{src.dataset.name}: {result.method}",
            unit=src.dataset.unit or project.metric_unit or "",
            specs={"lsl": project.lsl, "usl": project.usl, "target": project.target},
            show_specs=show_specs and result.kind == "i", window=window)
        if media_type == "image/png":
            return control.png(result, info, view)
        return control.svg(result, info, view).encode()

    return datasets.cached_chart(src.dataset, version, what, media_type, draw)
