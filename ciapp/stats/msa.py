"""Crossed Gage R&R by two-way ANOVA, as Minitab's Gage R&R Study (Crossed), ANOVA method.

The model is part + operator + part*operator + repeatability. When the interaction's
p-value exceeds ``alpha_interaction`` (Minitab: 0.05) the interaction is pooled into
repeatability and the reduced model is used; the result says which. Variance components
come from the expected mean squares of the random-effects model; negative estimates are set
to zero, as Minitab does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, readonly

__all__ = ["GageRR", "gage_rr"]

_SOURCES = ("total_gage_rr", "repeatability", "reproducibility", "operator", "operator_part",
            "part_to_part", "total")


@dataclass(frozen=True)
class GageRR(Result):
    """Variance components and the usual ratios of a crossed Gage R&R study.

    Dicts are keyed by source: total_gage_rr, repeatability, reproducibility, operator,
    operator_part (0 when pooled), part_to_part, total. ``percent_tolerance`` is empty
    without a tolerance. ``anova_full`` holds the table with interaction and ``anova`` the
    one used (the same unless the interaction was pooled); rows are dicts with source, df,
    ss, ms, f and p.
    """

    n_parts: int
    n_operators: int
    n_replicates: int
    anova_full: tuple[dict[str, Any], ...]
    anova: tuple[dict[str, Any], ...]
    interaction_p: float
    interaction_pooled: bool
    alpha_interaction: float
    variance: dict[str, float]
    sd: dict[str, float]
    study_var: float
    study_variation: dict[str, float]
    percent_contribution: dict[str, float]
    percent_study_variation: dict[str, float]
    percent_tolerance: dict[str, float]
    tolerance: float | None
    ndc: int
    part_means: np.ndarray
    operator_means: np.ndarray
    method: str


def _codes(values: Any, name: str, n: int) -> tuple[np.ndarray, int]:
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1 or arr.size != n:
        raise StatsInputError(f"{name}: expected {n} labels, one per measurement, got {arr.size}")
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in arr):
        raise StatsInputError(f"{name}: a label is missing")
    _, codes = np.unique(arr.astype(str), return_inverse=True)
    return codes, int(codes.max()) + 1


def _layout(y: np.ndarray, p: np.ndarray, o: np.ndarray, np_: int, no: int) -> int:
    counts = np.bincount(p * no + o, minlength=np_ * no)
    if counts.min() == 0:
        cell = int(np.argmin(counts))
        raise StatsInputError(f"unbalanced design: part #{cell // no + 1} was never measured by "
                              f"operator #{cell % no + 1}; a crossed study needs every "
                              "operator to measure every part")
    if counts.min() != counts.max():
        raise StatsInputError(f"unbalanced design: part/operator cells hold between "
                              f"{counts.min()} and {counts.max()} measurements; each needs the "
                              "same number of replicates")
    r = int(counts[0])
    if r < 2:
        raise StatsInputError("each operator must measure each part at least twice")
    if np_ < 2 or no < 2:
        raise StatsInputError(f"need at least 2 parts and 2 operators, got {np_} and {no}")
    return r


def _row(source: str, df: float, ss: float, denom_ms: float | None,
         denom_df: float | None) -> dict[str, Any]:
    from scipy import stats

    ms = ss / df
    f = p = math.nan
    if denom_ms is not None and denom_ms > 0:
        f = ms / denom_ms
        p = float(stats.f.sf(f, df, denom_df))
    return {"source": source, "df": df, "ss": ss, "ms": ms, "f": f, "p": p}


def gage_rr(
    measurements: Any, parts: Any, operators: Any, *, tolerance: float | None = None,
    study_var: float = 6.0, alpha_interaction: float = 0.05,
) -> GageRR:
    """Crossed Gage R&R (ANOVA method) on a balanced study.

    Parameters
    ----------
    measurements, parts, operators : sequences of equal length
        One row per measurement; labels may be any hashable values.
    tolerance : float, optional
        USL - LSL, for %tolerance = study_var * sd / tolerance * 100.
    study_var : float
        Multiplier of sd for study variation: 6 (Minitab 16 on) or 5.15 (AIAG, older).
    alpha_interaction : float
        Remove the part*operator term when its p-value is above this.

    Raises
    ------
    StatsInputError
        Missing values, unequal lengths, an unbalanced or incomplete design, fewer than 2
        parts, operators or replicates, no variation at all.
    """
    y, n_missing = _measurements(measurements)
    p, np_ = _codes(parts, "parts", y.size)
    o, no = _codes(operators, "operators", y.size)
    r = _layout(y, p, o, np_, no)
    if tolerance is not None and not (math.isfinite(tolerance) and tolerance > 0):
        raise StatsInputError(f"tolerance must be a positive number, got {tolerance!r}")
    if not (math.isfinite(study_var) and study_var > 0):
        raise StatsInputError(f"study_var must be a positive number, got {study_var!r}")
    grand = y.mean()
    part_means = np.bincount(p, y) / (no * r)
    op_means = np.bincount(o, y) / (np_ * r)
    cell_means = np.bincount(p * no + o, y, minlength=np_ * no) / r
    ss_total = float(np.sum((y - grand) ** 2))
    if ss_total == 0:
        raise StatsInputError("all measurements are equal: no variation to analyse")
    ss_p = float(no * r * np.sum((part_means - grand) ** 2))
    ss_o = float(np_ * r * np.sum((op_means - grand) ** 2))
    ss_e = float(np.sum((y - cell_means[p * no + o]) ** 2))
    ss_po = max(ss_total - ss_p - ss_o - ss_e, 0.0)
    df_p, df_o, df_po, df_e = np_ - 1, no - 1, (np_ - 1) * (no - 1), np_ * no * (r - 1)
    ms_po, ms_e = ss_po / df_po, ss_e / df_e
    full = (_row("part", df_p, ss_p, ms_po, df_po), _row("operator", df_o, ss_o, ms_po, df_po),
            _row("part*operator", df_po, ss_po, ms_e, df_e),
            _row("repeatability", df_e, ss_e, None, None),
            {"source": "total", "df": y.size - 1, "ss": ss_total, "ms": math.nan,
             "f": math.nan, "p": math.nan})
    p_inter = full[2]["p"]
    pooled = bool(not p_inter <= alpha_interaction) if math.isfinite(p_inter) else True
    if pooled:
        ms_pool = (ss_po + ss_e) / (df_po + df_e)
        used = (_row("part", df_p, ss_p, ms_pool, df_po + df_e),
                _row("operator", df_o, ss_o, ms_pool, df_po + df_e),
                _row("repeatability", df_po + df_e, ss_po + ss_e, None, None), full[4])
        var = _components(ms_pool, 0.0, full[1]["ms"], full[0]["ms"], ms_pool, np_, no, r)
    else:
        used = full
        var = _components(ms_e, max((ms_po - ms_e) / r, 0.0), full[1]["ms"], full[0]["ms"],
                          ms_po, np_, no, r)
    return _summarize(var, full, used, p_inter, pooled, alpha_interaction, tolerance, study_var,
                      np_, no, r, part_means, op_means, n_missing)


def _measurements(values: Any) -> tuple[np.ndarray, int]:
    try:
        y = np.array(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"measurements: values must be numbers ({exc})") from None
    if y.ndim != 1 or y.size == 0:
        raise StatsInputError("measurements: expected a non-empty 1-D sequence")
    if np.isnan(y).any():
        where = int(np.flatnonzero(np.isnan(y))[0]) + 1
        raise StatsInputError(f"measurements: value {where} is missing; a Gage R&R study needs "
                              "every measurement (a gap unbalances the design)")
    if np.isinf(y).any():
        raise StatsInputError("measurements: infinite value")
    return y, 0


def _components(repeat: float, inter: float, ms_o: float, ms_p: float, ms_ref: float,
                np_: int, no: int, r: int) -> dict[str, float]:
    """Variance components; ``ms_ref`` is MS(part*operator) or the pooled error MS."""
    op = max((ms_o - ms_ref) / (np_ * r), 0.0)
    part = max((ms_p - ms_ref) / (no * r), 0.0)
    reprod = op + inter
    gage = repeat + reprod
    return {"total_gage_rr": gage, "repeatability": repeat, "reproducibility": reprod,
            "operator": op, "operator_part": inter, "part_to_part": part,
            "total": gage + part}


def _summarize(var, full, used, p_inter, pooled, alpha, tolerance, k, np_, no, r,
               part_means, op_means, n_missing) -> GageRR:  # noqa: ANN001
    sd = {s: math.sqrt(var[s]) for s in _SOURCES}
    total_var, total_sd = var["total"], sd["total"]
    sv = {s: k * sd[s] for s in _SOURCES}
    gage_sd = sd["total_gage_rr"]
    ndc = max(1, int(math.floor(math.sqrt(2) * sd["part_to_part"] / gage_sd))) \
        if gage_sd > 0 else 1
    return GageRR(
        n_parts=np_, n_operators=no, n_replicates=r, anova_full=full, anova=used,
        interaction_p=float(p_inter), interaction_pooled=pooled, alpha_interaction=alpha,
        variance=var, sd=sd, study_var=k, study_variation=sv,
        percent_contribution={s: var[s] / total_var * 100 for s in _SOURCES},
        percent_study_variation={s: sd[s] / total_sd * 100 for s in _SOURCES},
        percent_tolerance=({s: sv[s] / tolerance * 100 for s in _SOURCES}
                           if tolerance is not None else {}),
        tolerance=tolerance, ndc=ndc, part_means=readonly(part_means),
        operator_means=readonly(op_means),
        method=("two-way ANOVA without interaction (part*operator pooled into repeatability, "
                f"p = {p_inter:.3g} > {alpha:g})" if pooled else
                f"two-way ANOVA with interaction (part*operator p = {p_inter:.3g})"),
    )
