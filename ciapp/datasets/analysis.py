"""From a data set's rows to the statistics: which chart the data call for, and the calls
into :mod:`ciapp.stats` for charts, capability, before/after comparisons, Pareto and Gage
R&R. Pure: a pyarrow table in, a stats result out; no Flask, no database.

A point on a chart is a row for individuals and attribute charts, and a subgroup (the rows
sharing a subgroup label, or consecutive rows by the data set's subgroup size) for Xbar
charts. A point is left out of the limits when any of its rows is excluded; it stays
plotted and tested, as in Minitab.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import stats

CHART_LABELS = {
    "i": "I-MR (individuals)", "xbar": "Xbar-R / Xbar-S (subgroups)", "ewma": "EWMA",
    "cusum": "CUSUM", "p": "P (proportion defective)", "np": "NP (number defective)",
    "laney_p": "Laney P′ (large samples)", "c": "C (defects)", "u": "U (defects per unit)",
    "laney_u": "Laney U′ (large samples)", "g": "G (opportunities between events)",
    "t": "T (time between events)",
}
CHARTS_FOR_KIND = {
    "continuous": ("i", "xbar", "ewma", "cusum", "g", "t"),
    "defectives": ("p", "np", "laney_p"),
    "defects": ("u", "c", "laney_u"),
    "categories": (),
    "gage": (),
}
SUBGROUPED = ("xbar", "ewma", "cusum")
# Laney's sigma_z above this means the binomial / Poisson limits are too narrow for the
# data (overdispersion): Laney (2002) shows sigma_z near 1 when the simple model holds.
# Overdispersion is a large-sample effect; with small samples or few points a high sigma_z
# is more likely a real signal inflating the moving ranges, so Laney is only suggested past
# both minimums below (the belt can still choose it).
LANEY_THRESHOLD = 1.5
LANEY_MIN_MEAN_SIZE = 500
LANEY_MIN_POINTS = 15


@dataclass(frozen=True)
class Points:
    """The plotted points of a data set: values (1-D, or one array per subgroup), sample
    sizes, stage labels, exclusions, and which rows each point came from."""

    values: Any
    sizes: np.ndarray | None
    stages: list[str] | None
    exclude: dict[int, str]
    rows: list[np.ndarray] | None  # the rows of each subgroup; None for one row per point
    subgrouped: bool


def stage_labels(table: pa.Table) -> list[str] | None:
    """Each row's stage, a blank cell taking the stage above it (appended rows continue the
    last stage; leading blanks take the first stage named); None when the data set has no
    stages."""
    if "stage" not in table.column_names:
        return None
    # In Arrow and through a dictionary: a million labels take tens of milliseconds, where
    # a pandas object Series took half a second (the chart page computes this every view).
    trimmed = pc.utf8_trim_whitespace(table.column("stage").combine_chunks())
    named = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    if named.null_count == len(named):
        return None
    filled = pc.fill_null_backward(pc.fill_null_forward(named)).dictionary_encode()
    words = np.asarray(filled.dictionary.to_pylist(), dtype=object)
    return words[filled.indices.to_numpy()].tolist()


def _groups(table: pa.Table, subgroup_size: int | None) -> list[np.ndarray] | None:
    """Row indexes per subgroup in order of first appearance, or None for individuals."""
    n = table.num_rows
    if "subgroup" in table.column_names:
        labels = table.column("subgroup").to_pylist()
        order: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            order.setdefault(label, []).append(i)
        if len(order) < n:
            return [np.asarray(rows) for rows in order.values()]
    if subgroup_size and subgroup_size > 1:
        return [np.arange(i, min(i + subgroup_size, n)) for i in range(0, n, subgroup_size)]
    return None


def _exclusions(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the excluded rows and their reasons."""
    if "excluded" not in table.column_names:
        return np.array([], dtype=int), np.array([], dtype=object)
    where = np.flatnonzero(table.column("excluded").to_numpy(zero_copy_only=False))
    reasons = table.column("exclude_reason").take(pa.array(where)).to_pylist() \
        if "exclude_reason" in table.column_names else [""] * len(where)
    return where, np.asarray([r or "excluded" for r in reasons], dtype=object)


def points(table: pa.Table, subgroup_size: int | None = None, *,
           subgrouped: bool = True) -> Points:
    values = table.column("value").to_numpy()
    where, reasons = _exclusions(table)
    stages = stage_labels(table)
    groups = _groups(table, subgroup_size) if subgrouped else None
    sizes = table.column("n").to_numpy() if "n" in table.column_names else None
    if groups is None:
        exclude = dict(zip(where.tolist(), reasons.tolist(), strict=True))
        return Points(values, sizes, stages, exclude, None, False)
    why = dict(zip(where.tolist(), reasons.tolist(), strict=True))
    exclude = {}
    for j, rows_j in enumerate(groups):
        found = [why[i] for i in rows_j.tolist() if i in why]
        if found:
            exclude[j] = "; ".join(found)
    return Points([values[g] for g in groups],
                  None if sizes is None else np.array([sizes[g].sum() for g in groups]),
                  None if stages is None else [stages[g[0]] for g in groups],
                  exclude, groups, True)


def suggest_chart(kind: str, table: pa.Table, subgroup_size: int | None = None
                  ) -> tuple[str, str]:
    """The chart the data call for, and why, as a belt would choose it."""
    if kind == "continuous":
        groups = _groups(table, subgroup_size)
        if groups is None:
            return "i", "One value per point: individuals and moving range (I-MR)."
        sizes = {len(g) for g in groups}
        largest = max(sizes)
        method = "Xbar-R" if largest <= 9 else "Xbar-S"
        why = "ranges are efficient up to 9" if largest <= 9 else "above 9 the standard " \
            "deviation uses the data better than the range"
        size_text = f"of {largest}" if len(sizes) == 1 else f"of {min(sizes)} to {largest}"
        return "xbar", f"Subgroups {size_text}: {method} ({why})."
    if kind in ("defectives", "defects"):
        sizes = table.column("n").to_numpy()
        equal = bool(np.all(sizes == sizes[0]))
        simple = ("np" if equal else "p") if kind == "defectives" else ("c" if equal else "u")
        laney = "laney_p" if kind == "defectives" else "laney_u"
        what = "defectives" if kind == "defectives" else "defects"
        sigma_z = None
        if sizes.mean() >= LANEY_MIN_MEAN_SIZE and len(sizes) >= LANEY_MIN_POINTS:
            try:
                sigma_z = stats.control_chart(laney, table.column("value").to_numpy(), sizes,
                                              rules=None).sigma
            except stats.StatsInputError:
                sigma_z = None
        if sigma_z is not None and sigma_z > LANEY_THRESHOLD:
            return laney, (f"Counts of {what} vary {sigma_z:.2f} times more than the "
                           f"{'binomial' if kind == 'defectives' else 'Poisson'} model allows "
                           f"(sigma_z > {LANEY_THRESHOLD}): Laney's chart keeps the limits "
                           "honest for large samples.")
        size_text = "equal sample sizes" if equal else "sample sizes that vary"
        return simple, f"Counts of {what} with {size_text}: {CHART_LABELS[simple]} chart."
    raise stats.StatsInputError(f"A {kind} data set has no control chart; use its "
                                f"{'Pareto' if kind == 'categories' else 'Gage R&R'} "
                                "analysis.")


def chart(table: pa.Table, kind: str, chart_type: str, *, subgroup_size: int | None = None,
          options: Mapping[str, Any] | None = None) -> stats.ControlChart:
    """The control chart ``chart_type`` of the data set's current rows.

    ``options``: ``rules`` (a rule-set name or rule numbers), ``run_lengths``,
    ``limits_from`` (a stage label, or an int N for the first N points), ``center`` and
    ``sigma`` (from a control card), ``nsigmas``, ``sigma_method``, ``lam``, ``L``, ``k``,
    ``h``, ``method`` as :func:`ciapp.stats.control_chart` takes them.
    """
    if chart_type not in CHARTS_FOR_KIND.get(kind, ()):
        allowed = ", ".join(CHARTS_FOR_KIND.get(kind, ())) or "none"
        raise stats.StatsInputError(f"A {kind} data set cannot be drawn as a "
                                    f"'{chart_type}' chart; its charts are: {allowed}.")
    opts = dict(options or {})
    pts = points(table, subgroup_size, subgrouped=chart_type in SUBGROUPED)
    if chart_type == "xbar" and not pts.subgrouped:
        raise stats.StatsInputError("This data set has no subgroups (give it a subgroup size "
                                    "or a subgroup column); use the I-MR chart for single "
                                    "values.")
    limits_from = opts.pop("limits_from", None)
    if isinstance(limits_from, int):
        limits_from = slice(0, limits_from)
    if chart_type == "xbar" and pts.subgrouped and "sigma_method" not in opts:
        opts["sigma_method"] = "rbar" if max(len(v) for v in pts.values) <= 9 else "sbar"
    data = pts.values
    if pts.subgrouped:
        data = _pad(pts.values)
    sizes = pts.sizes if chart_type in ("p", "np", "u", "c", "laney_p", "laney_u") else None
    if chart_type == "c":
        sizes = None
    return stats.control_chart(chart_type, data, sizes, stages=pts.stages,
                               limits_from=limits_from, exclude=pts.exclude or None, **opts)


def _pad(groups: list[np.ndarray]) -> Any:
    sizes = {len(g) for g in groups}
    if len(sizes) == 1:
        return np.vstack(groups)
    return [list(g) for g in groups]


def _stage_rows(table: pa.Table, stage: str | None) -> np.ndarray:
    """Indexes of the rows in ``stage`` (all rows when None) that are not excluded."""
    keep = np.ones(table.num_rows, dtype=bool)
    keep[_exclusions(table)[0]] = False
    if stage:
        labels = np.asarray(stage_labels(table) or [], dtype=object)
        in_stage = labels == stage
        if not in_stage.any():
            have = sorted(set(labels.tolist()))
            raise stats.StatsInputError(
                f"There is no stage '{stage}' in this data set"
                + (f"; its stages are {', '.join(have)}." if have else "; it has no stages."))
        keep &= in_stage
    return np.flatnonzero(keep)


def capability(table: pa.Table, *, lsl: float | None, usl: float | None,
               target: float | None = None, transform: str | None = None,
               stage: str | None = None, subgroup_size: int | None = None
               ) -> stats.Capability:
    """Capability of the (stage's, non-excluded) values, with the within sigma and the
    stability check taken from the control chart of the same points."""
    rows = _stage_rows(table, stage)
    subset = table.take(pa.array(rows))
    groups = _groups(subset, subgroup_size)
    values = subset.column("value").to_numpy()
    if groups is None:
        data: Any = values
        chart_result = stats.control_chart("i", values, rules="nelson")
    else:
        data = _pad([values[g] for g in groups])
        if isinstance(data, list):
            width = max(len(g) for g in data)
            data = np.array([g + [np.nan] * (width - len(g)) for g in data])
        chart_result = stats.control_chart("xbar", data, rules="nelson")
    return stats.capability(data, lsl=lsl, usl=usl, target=target,
                            transform=transform, chart=chart_result)  # type: ignore[arg-type]


def sample(table: pa.Table, kind: str, stage: str | None) -> Any:
    """What a before/after comparison compares: the values, or (count, size) totals."""
    rows = _stage_rows(table, stage)
    values = table.column("value").to_numpy()[rows]
    if kind == "continuous":
        return values
    sizes = table.column("n").to_numpy()[rows]
    return float(values.sum()), float(sizes.sum())


TESTS = ("welch", "student", "paired", "mann-whitney", "two-proportions", "fisher",
         "poisson")


def comparison(before: Any, after: Any, kind: str, *, better: str, alpha: float,
               test: str | None = None, paired: bool = False, unit: str = ""
               ) -> stats.Comparison:
    """The before/after test; chosen from the data when ``test`` is None (and the result's
    reason says why)."""
    common = {"better": better, "alpha": alpha, "unit": unit}
    if test is None:
        compare_kind = {"continuous": "continuous", "defectives": "proportion",
                        "defects": "rate"}.get(kind)
        if compare_kind is None:
            raise stats.StatsInputError(f"A {kind} data set cannot be compared before/after.")
        return stats.compare(before, after, kind=compare_kind, paired=paired, **common)
    if test not in TESTS:
        raise stats.StatsInputError(f"Unknown test '{test}'; use one of {', '.join(TESTS)}.")
    if test in ("welch", "student", "paired"):
        return stats.compare_means(before, after, paired=test == "paired",
                                   equal_var=test == "student", **common)
    if test == "mann-whitney":
        return stats.compare_medians(before, after, paired=paired, **common)
    if not (isinstance(before, tuple) and isinstance(after, tuple)):
        raise stats.StatsInputError(f"The '{test}' test compares counts; these data sets "
                                    "hold measurements.")
    if test == "poisson":
        return stats.compare_rates(*before, *after, **common)
    return stats.compare_proportions(*before, *after,
                                     method="fisher" if test == "fisher" else "z", **common)


def pareto(table: pa.Table) -> stats.Pareto:
    rows = _stage_rows(table, None)
    cats = np.asarray(table.column("category").to_pylist(), dtype=object)[rows]
    return stats.pareto(list(cats), table.column("value").to_numpy()[rows])


def gage(table: pa.Table, *, tolerance: float | None = None) -> stats.GageRR:
    rows = _stage_rows(table, None)
    return stats.gage_rr(table.column("value").to_numpy()[rows],
                         np.asarray(table.column("part").to_pylist(), dtype=object)[rows],
                         np.asarray(table.column("operator").to_pylist(), dtype=object)[rows],
                         tolerance=tolerance)
