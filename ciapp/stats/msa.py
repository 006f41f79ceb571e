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

    ``acceptability`` is "acceptable", "conditionally acceptable" or "unacceptable": the
    worst rating of the AIAG criteria listed in ``criteria`` (%study variation of total
    Gage R&R, number of distinct categories, and %tolerance when a tolerance is given);
    ``verdict`` says it in a sentence with the numbers behind it.
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
    acceptability: str
    verdict: str
    criteria: tuple[dict[str, Any], ...]
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
        parts, operators or replicates, no variation at all or none between replicates,
        and data whose variance lies outside the floating-point range (near 1e300 or
        1e-300: the message says which unit change is needed).
    """
    raw, n_missing = _measurements(measurements)
    p, np_ = _codes(parts, "parts", raw.size)
    o, no = _codes(operators, "operators", raw.size)
    r = _layout(raw, p, o, np_, no)
    if tolerance is not None and not (math.isfinite(tolerance) and tolerance > 0):
        raise StatsInputError(f"tolerance must be a positive number, got {tolerance!r}")
    if not (math.isfinite(study_var) and study_var > 0):
        raise StatsInputError(f"study_var must be a positive number, got {study_var!r}")
    y, e = _standardize(raw)
    grand = y.mean()
    part_means = np.bincount(p, y) / (no * r)
    op_means = np.bincount(o, y) / (np_ * r)
    cell_means = np.bincount(p * no + o, y, minlength=np_ * no) / r
    ss_total = float(np.sum((y - grand) ** 2))
    ss_p = float(no * r * np.sum((part_means - grand) ** 2))
    ss_o = float(np_ * r * np.sum((op_means - grand) ** 2))
    ss_e = float(np.sum((y - cell_means[p * no + o]) ** 2))
    ss_po = max(ss_total - ss_p - ss_o - ss_e, 0.0)
    if ss_e == 0:
        raise StatsInputError("every operator repeated each part's value exactly: repeatability "
                              "is zero, so the F tests are undefined; the gauge's resolution "
                              "is too coarse for this study (record more decimals)")
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
    full, used = _unscale(full, used, var, e)
    # means of the raw data, not back-transformed ones, so they are exactly what was measured
    part_means = np.bincount(p, raw) / (no * r)
    op_means = np.bincount(o, raw) / (np_ * r)
    return _summarize(var, e, full, used, p_inter, pooled, alpha_interaction, tolerance,
                      study_var, np_, no, r, part_means, op_means)


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


def _standardize(raw: np.ndarray) -> tuple[np.ndarray, int]:
    """Deviations from the mean in units of 2**e, near 1; returns them and e.

    ANOVA's F, p and every ratio of the study (%contribution, %study variation, ndc) do
    not depend on the unit, so they are computed on data near 1, where squares neither
    overflow (values near 1e300) nor underflow (near 1e-300). Scaling by powers of two is
    exact, so data of ordinary size give the same numbers as without it.
    """
    e0 = int(np.frexp(float(np.max(np.abs(raw))))[1])
    z = np.ldexp(raw, -e0)  # in [-1, 1]: the mean cannot overflow
    dev = z - z.mean()
    top = float(np.max(np.abs(dev)))
    if top == 0.0:
        raise StatsInputError("all measurements are equal: no variation to analyse")
    e1 = int(np.frexp(top)[1])
    return np.ldexp(dev, -e1), e0 + e1


def _times(x: float, e: int) -> float:
    """x * 2**e without overflow warnings (inf when it does not fit)."""
    try:
        return math.ldexp(x, e)
    except OverflowError:
        return math.copysign(math.inf, x)


def _unscale(full: tuple, used: tuple, var: dict[str, float], e: int) -> tuple[tuple, tuple]:
    """Sums of squares and mean squares back in the data's unit (times 2**(2e)).

    Raises when the total variance in that unit is not a normal float: the answer would be
    inf or 0 (a silent NaN in the ratios before), so the caller must change the unit.
    """
    total = _times(var["total"], 2 * e)
    spread = math.log10(math.sqrt(var["total"])) + e * math.log10(2)
    if not math.isfinite(total) or not math.isfinite(_times(full[-1]["ss"], 2 * e)):
        raise StatsInputError(
            f"measurements vary by about 1e{spread:+.0f}: their variance (about "
            f"1e{2 * spread:+.0f}) is beyond the floating-point range (1.8e308); express "
            "them in a larger unit (divide by a power of ten) before the study")
    if total < float(np.finfo(float).tiny):
        raise StatsInputError(
            f"measurements vary by only about 1e{spread:+.0f}: their variance (about "
            f"1e{2 * spread:+.0f}) is below the smallest floating-point number (2.2e-308); "
            "express them in a smaller unit (multiply by a power of ten) before the study")

    def rows(table: tuple) -> tuple:
        return tuple({**row, "ss": _times(row["ss"], 2 * e), "ms": _times(row["ms"], 2 * e)}
                     for row in table)

    return rows(full), rows(used)


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


def _summarize(var_s, e, full, used, p_inter, pooled, alpha, tolerance, k, np_, no, r,
               part_means, op_means) -> GageRR:  # noqa: ANN001
    """The study in the data's unit; ratios come from the scaled components (exact)."""
    sd_s = {s: math.sqrt(var_s[s]) for s in _SOURCES}
    sd = {s: _times(v, e) for s, v in sd_s.items()}
    sv = {s: k * sd[s] for s in _SOURCES}
    ndc = max(1, int(math.floor(math.sqrt(2) * sd_s["part_to_part"] / sd_s["total_gage_rr"])))
    pct_sv = {s: sd_s[s] / sd_s["total"] * 100 for s in _SOURCES}
    pct_tol = {s: sv[s] / tolerance * 100 for s in _SOURCES} if tolerance is not None else {}
    acceptability, verdict, criteria = _verdict(pct_sv["total_gage_rr"], ndc,
                                                pct_tol.get("total_gage_rr"))
    return GageRR(
        n_parts=np_, n_operators=no, n_replicates=r, anova_full=full, anova=used,
        interaction_p=float(p_inter), interaction_pooled=pooled, alpha_interaction=alpha,
        variance={s: _times(v, 2 * e) for s, v in var_s.items()}, sd=sd, study_var=k,
        study_variation=sv,
        percent_contribution={s: var_s[s] / var_s["total"] * 100 for s in _SOURCES},
        percent_study_variation=pct_sv, percent_tolerance=pct_tol,
        tolerance=tolerance, ndc=ndc, part_means=readonly(part_means),
        operator_means=readonly(op_means),
        acceptability=acceptability, verdict=verdict, criteria=criteria,
        method=("two-way ANOVA without interaction (part*operator pooled into repeatability, "
                f"p = {p_inter:.3g} > {alpha:g})" if pooled else
                f"two-way ANOVA with interaction (part*operator p = {p_inter:.3g})"),
    )


# AIAG, Measurement Systems Analysis reference manual (4th ed., 2010), chapter III: a
# %GRR (of study variation, or of tolerance) under 10% is acceptable, 10% to 30% may be
# acceptable depending on the application, over 30% is unacceptable; and the number of
# distinct categories should be 5 or more.
PCT_ACCEPTABLE = 10.0
PCT_UNACCEPTABLE = 30.0
MIN_NDC = 5
_RANK = {"acceptable": 0, "conditionally acceptable": 1, "unacceptable": 2}


def _rate_percent(value: float) -> str:
    if value < PCT_ACCEPTABLE:
        return "acceptable"
    return "conditionally acceptable" if value <= PCT_UNACCEPTABLE else "unacceptable"


def _verdict(pct_sv: float, ndc: int, pct_tol: float | None
             ) -> tuple[str, str, tuple[dict[str, Any], ...]]:
    """The worst rating of the AIAG criteria, and a sentence a reader can act on.

    ndc < 5 rates the system unacceptable: it cannot sort parts into even five groups, so it
    cannot follow the process (AIAG's rule). With the AIAG thresholds that happens only when
    %study variation is above about 27%.
    """
    criteria = [
        {"criterion": "percent_study_variation", "value": pct_sv,
         "rating": _rate_percent(pct_sv),
         "text": f"total Gage R&R is {pct_sv:.1f}% of the study variation"},
        {"criterion": "ndc", "value": ndc,
         "rating": "acceptable" if ndc >= MIN_NDC else "unacceptable",
         "text": f"{ndc} distinct categor{'y' if ndc == 1 else 'ies'} "
                 f"({'at least' if ndc >= MIN_NDC else 'fewer than'} {MIN_NDC})"},
    ]
    if pct_tol is not None:
        criteria.append({"criterion": "percent_tolerance", "value": pct_tol,
                         "rating": _rate_percent(pct_tol),
                         "text": f"total Gage R&R is {pct_tol:.1f}% of the tolerance"})
    overall = max((c["rating"] for c in criteria), key=_RANK.__getitem__)
    lead = {"acceptable": "The measurement system is acceptable",
            "conditionally acceptable": "The measurement system is conditionally acceptable "
                                        "(it may do, depending on the application, the cost "
                                        "of the gauge and of its errors)",
            "unacceptable": "The measurement system is unacceptable: improve it before "
                            "relying on its data"}[overall]
    reasons = "; ".join(c["text"] for c in criteria)
    verdict = (f"{lead}. By the AIAG guidelines (%Gage R&R under 10% acceptable, 10-30% "
               f"conditionally, over 30% unacceptable; at least {MIN_NDC} distinct "
               f"categories): {reasons}.")
    return overall, verdict, tuple(criteria)
