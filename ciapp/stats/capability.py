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
from ._numeric import MAX_MAGNITUDE, check_scalar, check_scale, unit_scale
from .control_core import MR_METHOD, mr_sigma, rbar_sigma, subgroup_ranges
from .normality import AndersonDarling, anderson_darling

__all__ = ["Capability", "capability"]

FEW_POINTS = 30
_TAIL = 0.00135  # one-sided normal tail beyond 3 sigma: the percentile method's P0.135


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


# -- transforms -----------------------------------------------------------------------------


def _boxcox(x: np.ndarray) -> tuple[float, np.ndarray]:
    """Lambda by maximum likelihood and the transformed data (one log pass for both)."""
    if float(x.min()) <= 0:
        raise StatsInputError(
            f"Box-Cox needs positive data; {int(np.sum(x <= 0))} value(s) are zero or negative"
        )
    logx = np.log(x)
    lam = _boxcox_mle(logx)
    if lam == 0:
        return lam, logx
    y = logx * lam  # scipy.special.boxcox's formula, expm1(lam log x) / lam, on our logs
    np.expm1(y, out=y)
    y /= lam
    return lam, y


_SUBSAMPLE = 20_000
"""Above about this many points the search starts on an evenly spaced subsample."""


def _log_variance(centred: np.ndarray, lam: float) -> float:
    if abs(lam) < 1e-12:
        return math.log(float(np.var(centred)))
    with np.errstate(over="ignore", invalid="ignore"):
        u = centred * lam
        np.expm1(u, out=u)
        # one pass each for the sum and the sum of squares: the mean of u is near 0 (the
        # logs are centred), so E[u^2] - E[u]^2 loses nothing to cancellation
        mean = float(u.sum()) / u.size
        variance = (float(np.dot(u, u)) / u.size - mean * mean) / (lam * lam)
    return math.log(variance) if math.isfinite(variance) and variance > 0 else math.inf


def _boxcox_mle(logx: np.ndarray) -> float:
    """Box-Cox lambda by maximum likelihood, as ``scipy.stats.boxcox_normmax(method="mle")``
    finds it, with a handful of passes over large samples.

    Dividing the data by its geometric mean (centring the logs) changes the log-likelihood
    only by a constant, and then maximising it is minimising the variance of
    ``expm1(lam * log x) / lam``. On large samples Brent's search runs on an evenly spaced
    subsample (its lambda is within a few hundredths of the full one), and a few steps of
    parabolic interpolation on the full data finish it: about 5 passes instead of 27.
    """

    centred = logx - logx.mean()

    def full(lam: float) -> float:
        return _log_variance(centred, lam)

    if centred.size <= 2 * _SUBSAMPLE:
        return _brent(full)
    sub = np.ascontiguousarray(centred[:: centred.size // _SUBSAMPLE])
    start = _brent(lambda lam: _log_variance(sub, lam))
    found = _parabolic_min(full, start, 0.03)
    return found if found is not None else _brent(full)


def _brent(f: Any) -> float:
    """Brent's search from the bracket (-2, 2); when the values span so many orders of
    magnitude that the likelihood overflows there, a bounded search, else a clear error."""
    from scipy import optimize

    # the likelihood is infinite where the transform overflows: Brent steps over those
    # points, and the arithmetic on them must not surface as warnings
    with np.errstate(all="ignore"):
        try:
            lam = float(optimize.brent(f, brack=(-2.0, 2.0)))
        except (ValueError, RuntimeError):  # scipy's BracketError is a RuntimeError
            res = optimize.minimize_scalar(f, bounds=(-5.0, 5.0), method="bounded")
            lam = float(res.x)
    if not (math.isfinite(lam) and math.isfinite(f(lam))):
        raise StatsInputError("Box-Cox: the values span too many orders of magnitude for a "
                              "power transform; use the percentile method")
    return lam


def _parabolic_min(f: Any, x0: float, h: float, tol: float = 1.5e-8) -> float | None:
    """Minimum of a smooth convex-near-x0 function by successive parabolic interpolation;
    None when the three points do not bracket a minimum (the caller falls back to Brent).

    ``tol`` is Brent's default: closer than sqrt(machine epsilon) the function values no
    longer tell points apart, so asking for more only dithers."""
    pts = sorted((x, f(x)) for x in (x0 - h, x0, x0 + h))
    for _ in range(8):  # walk downhill, doubling the step, until the middle is lowest
        (a, fa), (b, fb), (c, fc) = pts
        if fb <= fa and fb <= fc:
            break
        h *= 2
        pts = [(a - h, f(a - h)), (a, fa), (b, fb)] if fa < fc else \
            [(b, fb), (c, fc), (c + h, f(c + h))]
    for _ in range(12):
        (a, fa), (b, fb), (c, fc) = pts
        if not (fb <= fa and fb <= fc) or not all(map(math.isfinite, (fa, fb, fc))):
            return None
        den = (b - a) * (fb - fc) - (b - c) * (fb - fa)
        if den == 0:
            return b
        x = b - 0.5 * ((b - a) ** 2 * (fb - fc) - (b - c) ** 2 * (fb - fa)) / den
        if not a < x < c:
            return None
        if abs(x - b) < tol * (1 + abs(b)):
            return x
        fx = f(x)
        if abs(fx - fb) <= 4e-16 * abs(fb):  # flat to rounding: as close as it can tell
            return x if fx < fb else b
        # keep the best point and its neighbours on either side
        pts = sorted([*pts, (x, fx)])
        best = min(range(4), key=lambda i: pts[i][1])
        lo = min(max(best - 1, 0), 1)
        pts = pts[lo:lo + 3]
    return pts[1][0]


def _bc(values: Any, lam: float) -> Any:
    from scipy import special

    return special.boxcox(values, lam)


def _bc_limit(value: float | None, lam: float, label: str) -> float | None:
    if value is None:
        return None
    if value < 0 or (value == 0 and lam <= 0):
        raise StatsInputError(
            f"{label} ({value}) cannot be Box-Cox transformed with lambda {lam:.3g}; "
            "use the percentile method or drop this limit"
        )
    return float(_bc(value, lam))


# -- indices --------------------------------------------------------------------------------


def _indices(mean: float, sigma: float, lsl: float | None,
             usl: float | None) -> tuple[float, float, float, float]:
    """(C_p, C_pk, C_pl, C_pu) for one sigma; NaN where a spec is missing or sigma is 0."""
    nan = math.nan
    if not sigma > 0:
        return nan, nan, nan, nan
    lower = (mean - lsl) / (3 * sigma) if lsl is not None else nan
    upper = (usl - mean) / (3 * sigma) if usl is not None else nan
    both = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else nan
    k = min(v for v in (lower, upper) if not math.isnan(v))
    return both, k, lower, upper


def _ppm_normal(mean: float, sigma: float, lsl: float | None,
                usl: float | None) -> dict[str, float]:
    from scipy.special import ndtr

    if not sigma > 0:
        return {"below_lsl": math.nan, "above_usl": math.nan, "total": math.nan}
    below = float(ndtr((lsl - mean) / sigma)) * 1e6 if lsl is not None else 0.0
    above = float(ndtr((mean - usl) / sigma)) * 1e6 if usl is not None else 0.0
    return {"below_lsl": below, "above_usl": above, "total": below + above}


def _ppm_observed(x: np.ndarray, lsl: float | None, usl: float | None) -> dict[str, float]:
    below = float(np.count_nonzero(x < lsl)) / x.size * 1e6 if lsl is not None else 0.0
    above = float(np.count_nonzero(x > usl)) / x.size * 1e6 if usl is not None else 0.0
    return {"below_lsl": below, "above_usl": above, "total": below + above}


def _z_bench(ppm: dict[str, float]) -> float:
    from scipy.special import ndtri

    p = ppm["total"] / 1e6
    if math.isnan(p):
        return math.nan
    return float(-ndtri(p)) if p > 0 else math.inf


def _cpm(n: int, mean: float, sd: float, target: float | None, lsl: float | None,
         usl: float | None) -> float:
    """Minitab's Cpm: distance from target to the nearer limit over 3 sqrt(sum (x-T)^2/(n-1)).

    sum (x - T)^2 = (n - 1) s^2 + n (xbar - T)^2: two non-negative terms, no pass over x.
    """
    if target is None:
        return math.nan
    tau = math.sqrt(sd * sd + n / (n - 1) * (mean - target) ** 2)
    gaps = [g for g in ((target - lsl) if lsl is not None else None,
                        (usl - target) if usl is not None else None) if g is not None]
    if not tau > 0 or not gaps:
        return math.nan
    return min(gaps) / (3 * tau)


def _ci_cp(value: float, n: int, conf: float) -> tuple[float, float]:
    from scipy import stats

    if math.isnan(value):
        return math.nan, math.nan
    nu = n - 1
    a = (1 - conf) / 2
    return (float(value * math.sqrt(stats.chi2.ppf(a, nu) / nu)),
            float(value * math.sqrt(stats.chi2.ppf(1 - a, nu) / nu)))


def _ci_cpk(value: float, n: int, conf: float) -> tuple[float, float]:
    from scipy import stats

    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return math.nan, math.nan  # no spread to speak of: an interval would overflow
    half = stats.norm.ppf(0.5 + conf / 2) * math.sqrt(1 / (9 * n) + value**2 / (2 * (n - 1)))
    return float(value - half), float(value + half)


# -- percentile method ----------------------------------------------------------------------


def _percentile_overall(x: np.ndarray, lsl: float | None,
                        usl: float | None) -> tuple[float, float, float, float, float]:
    """(Pp, Ppk, Ppl, Ppu, median) with P0.135 / P99.865 percentiles as the 6-sigma spread."""
    lo, med, hi = np.quantile(x, [_TAIL, 0.5, 1 - _TAIL])
    nan = math.nan
    ppl = (med - lsl) / (med - lo) if lsl is not None and med > lo else nan
    ppu = (usl - med) / (hi - med) if usl is not None and hi > med else nan
    pp = (usl - lsl) / (hi - lo) if lsl is not None and usl is not None and hi > lo else nan
    finite = [v for v in (ppl, ppu) if not math.isnan(v)]
    return pp, (min(finite) if finite else nan), ppl, ppu, float(med)


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
        lam, x = _boxcox(x)
        lsl, usl = _bc_limit(lsl, lam, "LSL"), _bc_limit(usl, lam, "USL")
        target = _bc_limit(target, lam, "target")
        tspecs = (lsl, usl)

        def fn(v: np.ndarray) -> np.ndarray:
            return _bc(v, lam)
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
    cp, cpk, cpl, cpu = _indices(mean, s_within, lsl, usl)
    pp, ppk, ppl, ppu = _indices(mean, s_overall, lsl, usl)
    ppm_w = _ppm_normal(mean, s_within, lsl, usl)
    ppm_o = _ppm_normal(mean, s_overall, lsl, usl)
    observed = _ppm_observed(x, lsl, usl)
    method = "normal"
    if transform == "percentile":
        pp, ppk, ppl, ppu, _ = _percentile_overall(x, lsl, usl)
        cp = cpk = cpl = cpu = math.nan
        ppm_w = {k: math.nan for k in ppm_w}
        ppm_o = dict(observed)
        method = "percentile (P0.135 / P50 / P99.865, ISO 22514-2)"
        if n < 1 / _TAIL:
            warnings.append(
                f"the percentile method needs many points to estimate P0.135 and P99.865; "
                f"with {n} they are extrapolated from the extremes"
            )
    elif transform == "boxcox":
        method = f"normal on Box-Cox transformed data (lambda = {lam:.4g})"
    normality = anderson_darling(x)
    _collect_warnings(warnings, n, normality, transform, stable)
    ci = {
        "cp": _ci_cp(cp, n, confidence), "pp": _ci_cp(pp, n, confidence),
        "cpk": _ci_cpk(cpk, n, confidence), "ppk": _ci_cpk(ppk, n, confidence),
    }
    if transform == "percentile":
        ci = {k: (math.nan, math.nan) for k in ci}
    return Capability(
        n=n, n_missing=n_missing, lsl=specs[0], usl=specs[1], target=specs[2],
        mean=mean, sigma_within=s_within, sigma_within_method=within_method,
        sigma_overall=s_overall, sigma_overall_method="sample standard deviation (n - 1)",
        cp=cp, cpk=cpk, cpl=cpl, cpu=cpu, pp=pp, ppk=ppk, ppl=ppl, ppu=ppu,
        cpm=_cpm(n, mean, s_overall, target, lsl, usl), ppm_within=ppm_w, ppm_overall=ppm_o,
        ppm_observed=observed, z_bench_within=_z_bench(ppm_w), z_bench_overall=_z_bench(ppm_o),
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
