"""Process capability: Cp/Cpk (within), Pp/Ppk (overall), Cpm, expected and observed PPM.

Conventions follow Minitab's Normal Capability Analysis and R's qcc::process.capability:

* sigma within: mean moving range / d2(2) for individuals; Rbar / d2(n) for subgroups (the
  unbiased weighted form sum(f_i R_i / d2(n_i)) / sum(f_i), f_i = d2^2 / d3^2, when subgroup
  sizes differ); or a value handed over from a control chart.
* sigma overall: the sample standard deviation (n - 1).
* Confidence intervals: chi-square for Cp and Pp, Bissell's normal approximation for Cpk and
  Ppk, both with n - 1 degrees of freedom as qcc computes them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._base import Result, StatsInputError, as_float_array, check_specs, clean_1d
from ._numeric import check_scalar, check_scale, unit_scale
from .boxcox import bc, bc_limit, boxcox_fit
from .capability_indices import (
    TAIL,
    ci_cp,
    ci_cpk,
    cpm,
    indices,
    percentile_overall,
    ppm_normal,
    ppm_observed,
    z_bench,
)
from .control_core import MR_METHOD, mr_sigma, rbar_sigma, subgroup_ranges
from .normality import AndersonDarling, anderson_darling

__all__ = ["Capability", "capability"]

FEW_POINTS = 30


@dataclass(frozen=True)
class Capability(Result):
    """Capability of a process against its specification limits.

    Indices that a one-sided specification (or the percentile method, for the within indices)
    leaves undefined are NaN, which ``to_dict()`` turns into ``None``. PPM values are parts per
    million; ``z_bench_*`` is the standard normal quantile of the total fraction out of spec.
    Under ``transform="boxcox"`` every index, PPM and the normality test refer to the
    transformed data and limits, as in Minitab; ``mean`` and the sigmas too.
    """

    n: int
    n_missing: int
    lsl: float | None
    usl: float | None
    target: float | None
    mean: float
    sigma_within: float
    sigma_within_method: str
    sigma_overall: float
    sigma_overall_method: str
    cp: float
    cpk: float
    cpl: float
    cpu: float
    pp: float
    ppk: float
    ppl: float
    ppu: float
    cpm: float
    ppm_within: dict[str, float]
    ppm_overall: dict[str, float]
    ppm_observed: dict[str, float]
    z_bench_within: float
    z_bench_overall: float
    confidence: float
    ci: dict[str, tuple[float, float]]
    normality: AndersonDarling | None
    transform: str | None
    boxcox_lambda: float | None
    transformed_specs: tuple[float | None, float | None] | None
    method: str
    warnings: tuple[str, ...] = field(default_factory=tuple)


# -- sigma within ---------------------------------------------------------------------------


def _as_groups(arr: np.ndarray, size: int) -> np.ndarray:
    """Cut a 1-D sequence into consecutive subgroups of ``size`` (the last may be shorter)."""
    pad = (-arr.size) % size
    return np.concatenate([arr, np.full(pad, np.nan)]).reshape(-1, size)


def _parse_data(data: Any, subgroup_size: int) -> tuple[np.ndarray, np.ndarray | None, int]:
    """Return (clean values, subgroup matrix or None for individuals, missing count)."""
    if isinstance(subgroup_size, bool) or int(subgroup_size) != subgroup_size or subgroup_size < 1:
        raise StatsInputError(f"subgroup_size must be a whole number >= 1, got {subgroup_size!r}")
    raw = as_float_array(data if isinstance(data, np.ndarray) else _table(data), "data")
    if raw.ndim not in (1, 2):
        raise StatsInputError(f"data: expected 1-D values or a 2-D table, got {raw.ndim}-D")
    x, n_missing = clean_1d(raw.ravel(), name="data", min_n=2)
    if raw.ndim == 2:
        return x, (raw if raw.shape[1] > 1 else raw.T), n_missing
    if subgroup_size == 1:
        return x, raw[None, :], n_missing  # one row: moving ranges along it
    return x, _as_groups(raw, int(subgroup_size)), n_missing


def _table(data: Any) -> Any:
    """Rows of a 2-D table as one float array; a flat sequence as it is."""
    rows = list(data)
    if rows and all(isinstance(r, (list, tuple, np.ndarray)) for r in rows):
        try:
            return np.array(rows, dtype=float)
        except (TypeError, ValueError) as exc:
            raise StatsInputError(f"data: values must be numbers in a flat or 2-D table "
                                  f"({exc})") from None
    return rows


def _sigma_within(groups: np.ndarray, given: float | None, transform: Any,
                  x: np.ndarray) -> tuple[float, str]:
    """The control charts' own estimators: moving ranges (none across a missing value) for
    individuals, the unbiased weighted Rbar / d2(n) for subgroups. ``x`` is the clean data
    as analysed (transformed already), which individuals without gaps use as it is."""
    if given is not None:
        if not (math.isfinite(given) and given > 0):
            raise StatsInputError(f"sigma_within must be a positive number, got {given!r}")
        return float(given), "given (from the control chart)"
    if groups.shape[0] == 1 and groups.shape[1] == x.size:  # individuals, nothing missing
        sigma, _ = mr_sigma(x, np.ones(x.size, dtype=bool))
        return sigma, MR_METHOD
    if transform is not None:
        groups = transform(groups)
    if groups.shape[0] == 1:
        keep = np.flatnonzero(~np.isnan(groups[0]))
        try:
            sigma, _ = mr_sigma(groups[0][keep], np.ones(keep.size, dtype=bool),
                                np.diff(keep) == 1)
        except StatsInputError:
            raise StatsInputError("data: need two consecutive values for a moving range") \
                from None
        return sigma, MR_METHOD
    nan = np.isnan(groups)
    sizes = groups.shape[1] - nan.sum(axis=1)
    keep = sizes >= 2
    if not keep.any():
        raise StatsInputError("data: no subgroup has two or more values for a range")
    if not keep.all():
        groups, sizes = groups[keep], sizes[keep]
    ranges = subgroup_ranges(groups, bool(nan.any()))
    return rbar_sigma(ranges, sizes), f"Rbar / d2({groups.shape[1]})"


# -- entry point ----------------------------------------------------------------------------


def capability(
    data: Any,
    *,
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    subgroup_size: int = 1,
    sigma_within: float | None = None,
    transform: Literal["boxcox", "percentile"] | None = None,
    confidence: float = 0.95,
    stable: bool | None = None,
    chart: Any = None,
) -> Capability:
    """Capability indices, expected and observed PPM, and their confidence intervals.

    Parameters
    ----------
    data : sequence of numbers, or 2-D array with one subgroup per row
        Values in time order (the moving range depends on it). NaN / None are dropped and
        counted; a moving range spanning a missing value is skipped. A 2-D array sets the
        subgroup size to its number of columns; rows may be NaN-padded.
    lsl, usl, target : float, optional
        At least one specification limit. ``target`` enables Cpm (Minitab's definition).
    subgroup_size : int
        For 1-D data: 1 means individuals (moving range), n > 1 cuts the sequence into
        consecutive subgroups of n (Rbar / d2(n)).
    sigma_within : float, optional
        Within sigma from the control chart (``ControlChart.sigma``); overrides the estimate.
        It must be on the scale the indices are computed on (transformed data for Box-Cox).
    transform : {"boxcox", "percentile"}, optional
        ``"boxcox"``: lambda by maximum likelihood, applied to data, limits and target.
        ``"percentile"``: ISO 22514-2 / Clements-style overall indices from the empirical
        0.135 and 99.865 percentiles around the median; within indices are then NaN and
        expected PPM are the observed ones.
    confidence : float
        Level of the two-sided intervals for Cp, Cpk, Pp and Ppk.
    stable : bool, optional
        Pass ``False`` when the control chart shows special causes: adds a warning.
    chart : ControlChart, optional
        A variables chart (I, MR, Xbar, R, S) of the same data: its sigma becomes the
        within sigma and, unless ``stable`` is given, any rule violation marks the process
        unstable. ``sigma_within`` and ``chart`` are exclusive.

    Raises
    ------
    StatsInputError
        No specification limit, LSL >= USL, fewer than 2 values, all values equal,
        non-positive data under Box-Cox, an unknown transform, infinite values.
    """
    if chart is not None:
        sigma_within, stable, chart_method = _from_chart(chart, sigma_within, stable)
    check_specs(lsl, usl)
    if lsl is None and usl is None:
        raise StatsInputError("capability needs at least one specification limit (LSL or USL)")
    if transform not in (None, "boxcox", "percentile"):
        raise StatsInputError(
            f"transform must be None, 'boxcox' or 'percentile', got {transform!r}"
        )
    if not 0 < confidence < 1:
        raise StatsInputError(f"confidence must be between 0 and 1, got {confidence!r}")
    x, groups, n_missing = _parse_data(data, subgroup_size)
    lo, hi = float(x.min()), float(x.max())
    top = max(-lo, hi)
    check_scale(x, top=top)
    for label, value in (("LSL", lsl), ("USL", usl), ("target", target),
                         ("sigma_within", sigma_within)):
        check_scalar(value, label)
    if lo == hi:
        raise StatsInputError(
            f"data: all {x.size} values equal {x[0]:g}; capability is undefined with no spread"
        )
    _check_target(target, lsl, usl)
    warnings: list[str] = []
    specs = (lsl, usl, target)
    scale = unit_scale(x, top) if transform != "boxcox" else 1.0
    if scale != 1.0:
        # values near 1e-300: their squared deviations underflow; every index is
        # scale-free, so compute on x / 2^k and give mean and sigmas back in data units
        x, groups = x / scale, groups / scale
        lsl, usl, target, sigma_within = (v / scale if v is not None else None
                                          for v in (lsl, usl, target, sigma_within))
    lam = None
    tspecs = None
    fn = None
    if transform == "boxcox":
        lam, x = boxcox_fit(x)
        lsl, usl = bc_limit(lsl, lam, "LSL"), bc_limit(usl, lam, "USL")
        target = bc_limit(target, lam, "target")
        tspecs = (lsl, usl)

        def fn(v: np.ndarray) -> np.ndarray:
            return bc(v, lam)
    result = _compute(x, groups, n_missing, (lsl, usl, target), sigma_within, fn, transform,
                      lam, specs, tspecs, confidence, stable, warnings)
    if scale != 1.0:
        result = dataclasses.replace(result, mean=result.mean * scale,
                                     sigma_within=result.sigma_within * scale,
                                     sigma_overall=result.sigma_overall * scale)
    if chart is not None:
        result = dataclasses.replace(result, sigma_within_method=chart_method)
    return result


def _check_target(target: float | None, lsl: float | None, usl: float | None) -> None:
    """Cpm measures closeness to a target inside the tolerance; outside it is negative."""
    if target is None:
        return
    if (lsl is not None and target <= lsl) or (usl is not None and target >= usl):
        raise StatsInputError(
            f"target ({target:g}) must lie strictly between the specification limits "
            f"(LSL {lsl if lsl is not None else 'none'}, USL {usl if usl is not None else 'none'})"
        )


_CHART_KINDS = ("i", "mr", "xbar", "r", "s")


def _from_chart(chart: Any, sigma: float | None,
                stable: bool | None) -> tuple[float, bool | None, str]:
    """Within sigma and stability from a variables control chart."""
    if sigma is not None:
        raise StatsInputError("give either sigma_within or chart, not both")
    kind = getattr(chart, "kind", None)
    if kind not in _CHART_KINDS:
        raise StatsInputError(f"capability takes sigma from an I, MR, Xbar, R or S chart, "
                              f"not from a {kind!r} chart")
    if stable is None:
        stable = not any(getattr(chart, "violations", {}).values())
    return float(chart.sigma), stable, f"from the {kind} chart: {chart.sigma_method}"


def _compute(x, groups, n_missing, used, sigma_given, fn, transform, lam, specs, tspecs,
             confidence, stable, warnings) -> Capability:
    lsl, usl, target = used
    n = int(x.size)
    mean = float(x.mean())
    s_overall = float(x.std(ddof=1))
    s_within, within_method = _sigma_within(groups, sigma_given, fn, x)
    if not s_within > 0:
        warnings.append("within-subgroup variation is zero: within indices are undefined")
    cp, cpk, cpl, cpu = indices(mean, s_within, lsl, usl)
    pp, ppk, ppl, ppu = indices(mean, s_overall, lsl, usl)
    ppm_w = ppm_normal(mean, s_within, lsl, usl)
    ppm_o = ppm_normal(mean, s_overall, lsl, usl)
    observed = ppm_observed(x, lsl, usl)
    method = "normal"
    if transform == "percentile":
        pp, ppk, ppl, ppu, _ = percentile_overall(x, lsl, usl)
        cp = cpk = cpl = cpu = math.nan
        ppm_w = {k: math.nan for k in ppm_w}
        ppm_o = dict(observed)
        method = "percentile (P0.135 / P50 / P99.865, ISO 22514-2)"
        if n < 1 / TAIL:
            warnings.append(
                f"the percentile method needs many points to estimate P0.135 and P99.865; "
                f"with {n} they are extrapolated from the extremes"
            )
    elif transform == "boxcox":
        method = f"normal on Box-Cox transformed data (lambda = {lam:.4g})"
    normality = anderson_darling(x)
    _collect_warnings(warnings, n, normality, transform, stable)
    ci = {
        "cp": ci_cp(cp, n, confidence), "pp": ci_cp(pp, n, confidence),
        "cpk": ci_cpk(cpk, n, confidence), "ppk": ci_cpk(ppk, n, confidence),
    }
    if transform == "percentile":
        ci = {k: (math.nan, math.nan) for k in ci}
    return Capability(
        n=n, n_missing=n_missing, lsl=specs[0], usl=specs[1], target=specs[2],
        mean=mean, sigma_within=s_within, sigma_within_method=within_method,
        sigma_overall=s_overall, sigma_overall_method="sample standard deviation (n - 1)",
        cp=cp, cpk=cpk, cpl=cpl, cpu=cpu, pp=pp, ppk=ppk, ppl=ppl, ppu=ppu,
        cpm=cpm(n, mean, s_overall, target, lsl, usl), ppm_within=ppm_w, ppm_overall=ppm_o,
        ppm_observed=observed, z_bench_within=z_bench(ppm_w), z_bench_overall=z_bench(ppm_o),
        confidence=confidence, ci=ci, normality=normality, transform=transform,
        boxcox_lambda=lam, transformed_specs=tspecs, method=method, warnings=tuple(warnings),
    )


def _collect_warnings(warnings: list[str], n: int, normality: AndersonDarling | None,
                      transform: str | None, stable: bool | None) -> None:
    if n < FEW_POINTS:
        warnings.append(f"only {n} points: capability estimates are uncertain below {FEW_POINTS}")
    if normality is None:
        warnings.append("too few points to test normality (Anderson-Darling needs 8)")
    elif not normality.normal() and transform != "percentile":
        warnings.append(
            f"data do not look normal (Anderson-Darling p = {normality.p_value:.3g}): expected "
            "PPM and indices may mislead; consider transform='boxcox' or 'percentile'"
        )
    if stable is False:
        warnings.append(
            "the control chart shows the process unstable: capability describes no "
            "predictable process until special causes are removed"
        )
