"""Variables charts: I, MR, Xbar, R, S, and the time-weighted EWMA and tabular CUSUM."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._base import StatsInputError
from .constants import c4, d2, d3
from .control_core import (
    MR_METHOD,
    SUBGROUP_SIGMA,
    ChartSpec,
    Estimate,
    Evaluated,
    Prepared,
    constant,
    individuals,
    moving_ranges,
    mr_sigma,
    per_size,
    require_positive_sigma,
    subgroup_sigma,
    subgroups,
    take,
    uniform,
)

# --- individuals and moving range ------------------------------------------------------


def _prepare_individuals(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: individuals charts take no subgroup sizes")
    return individuals(data)


def _estimate_individuals(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    if opts.get("sigma_method") not in (None, "mr"):
        raise StatsInputError(f"sigma_method {opts['sigma_method']!r} is not available for "
                              "individuals; the estimator is 'mr' (mean moving range / d2(2))")
    x = prep.values
    sigma, n_mr = mr_sigma(x, base, prep.adjacent, moving_ranges(prep))
    require_positive_sigma(sigma, "all moving ranges are 0 (values all equal)")
    return Estimate(float(take(x, base).mean()), sigma, MR_METHOD, int(np.count_nonzero(base)),
                    {"mean_mr": sigma * d2(2), "n_moving_ranges": n_mr})


def _evaluate_i(prep: Prepared, seg: slice, est: Estimate, k: float,
                opts: Mapping[str, Any]) -> Evaluated:
    x = prep.values[seg]
    c, s = est.center, est.sigma
    return Evaluated(x, constant(c, x.size), constant(c - k * s, x.size),
                     constant(c + k * s, x.size), constant(s, x.size))


def _prepare_mr(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: individuals charts take no subgroup sizes")
    return individuals(data, copy=False)  # it plots moving ranges, never the values


def _evaluate_mr(prep: Prepared, seg: slice, est: Estimate, k: float,
                 opts: Mapping[str, Any]) -> Evaluated:
    x = prep.values[seg]
    ranges = moving_ranges(prep)
    if seg.start == 0 and seg.stop == x.size == prep.values.size and prep.adjacent is None:
        mr = ranges.base  # one stage, nothing missing: NaN, then the moving ranges
    else:
        mr = np.empty(x.size)
        mr[0] = np.nan
        mr[1:] = ranges[seg][: x.size - 1]
        if prep.adjacent is not None:
            mr[1:][~prep.adjacent[seg][: x.size - 1]] = np.nan  # no range across a gap
    s, c = d3(2) * est.sigma, d2(2) * est.sigma
    return Evaluated(mr, constant(c, x.size), constant(max(c - k * s, 0.0), x.size),
                     constant(c + k * s, x.size), constant(s, x.size))


# --- Xbar, R, S ---------------------------------------------------------------------------


def _prepare_subgroups(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: subgroup sizes are read from the data; leave sizes out")
    # standard deviations only when an estimator needs them: Rbar is the default
    return subgroups(data, need_sd=opts.get("sigma_method") not in (None, "rbar"))


def _prepare_s(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: subgroup sizes are read from the data; leave sizes out")
    return subgroups(data)


def _method(opts: Mapping[str, Any], prep: Prepared, default: str) -> str:
    method = opts.get("sigma_method") or default
    if method == "auto":  # S chart: Sbar/c4 for equal sizes, pooled otherwise
        method = "sbar" if np.all(prep.sizes == prep.sizes[0]) else "pooled"
    return method


def _subgroup_estimate(prep: Prepared, base: np.ndarray, method: str) -> Estimate:
    sigma = subgroup_sigma(prep, base, method)
    require_positive_sigma(sigma, "every subgroup has zero spread")
    n, means = take(prep.sizes, base), take(prep.values, base)
    equal = uniform(n) is not None or n.min() == n.max()
    grand = float(means.mean()) if equal else float(np.dot(means, n) / np.sum(n))
    return Estimate(grand, sigma, SUBGROUP_SIGMA[method][2], int(np.count_nonzero(base)))


def _estimate_xbar(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    return _subgroup_estimate(prep, base, _method(opts, prep, "rbar"))


def _estimate_s(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    return _subgroup_estimate(prep, base, _method(opts, prep, "auto"))


def _evaluate_xbar(prep: Prepared, seg: slice, est: Estimate, k: float,
                   opts: Mapping[str, Any]) -> Evaluated:
    n = prep.sizes[seg]
    c = constant(est.center, n.size)
    if n.size and n.min() == n.max():
        s = est.sigma / math.sqrt(n[0])
        return Evaluated(prep.values[seg], c, constant(est.center - k * s, n.size),
                         constant(est.center + k * s, n.size), constant(s, n.size))
    s = est.sigma / np.sqrt(n)
    return Evaluated(prep.values[seg], c, c - k * s, c + k * s, s)


def _evaluate_r(prep: Prepared, seg: slice, est: Estimate, k: float,
                opts: Mapping[str, Any]) -> Evaluated:
    n = prep.sizes[seg]
    c = per_size(d2, n) * est.sigma
    s = per_size(d3, n) * est.sigma
    return Evaluated(prep.extra["range"][seg], c, np.maximum(c - k * s, 0.0), c + k * s, s)


def _evaluate_s(prep: Prepared, seg: slice, est: Estimate, k: float,
                opts: Mapping[str, Any]) -> Evaluated:
    c4s = per_size(c4, prep.sizes[seg])
    c, s = c4s * est.sigma, np.sqrt(1 - c4s**2) * est.sigma
    return Evaluated(prep.extra["sd"][seg], c, np.maximum(c - k * s, 0.0), c + k * s, s)


# --- EWMA and CUSUM: individuals or subgroup means --------------------------------------


def _prepare_series(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: subgroup sizes are read from the data; leave sizes out")
    arr_like_2d = (isinstance(data, np.ndarray) and data.ndim == 2) or (
        not isinstance(data, np.ndarray) and _first_is_sequence(data))
    if arr_like_2d:
        return _prepare_subgroups(data, None, opts)
    prep = individuals(data)
    prep.sizes = np.ones(prep.values.size)
    return prep


def _first_is_sequence(data: Any) -> bool:
    try:
        first = next(iter(data))
    except (TypeError, StopIteration):
        return False
    return isinstance(first, (list, tuple, np.ndarray))


def _estimate_series(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    if "range" in prep.extra:
        return _estimate_xbar(prep, base, opts)
    return _estimate_individuals(prep, base, opts)


def _ewma_params(opts: Mapping[str, Any], k: float) -> tuple[float, float]:
    lam = float(opts.get("lam", 0.2))
    width = float(opts.get("L", k))
    if not 0 < lam <= 1:
        raise StatsInputError(f"lam must be in (0, 1], got {lam}")
    if not width > 0:
        raise StatsInputError(f"L must be positive, got {width}")
    return lam, width


def _evaluate_ewma(prep: Prepared, seg: slice, est: Estimate, k: float,
                   opts: Mapping[str, Any]) -> Evaluated:
    from scipy.signal import lfilter

    lam, width = _ewma_params(opts, k)
    x, n = prep.values[seg], prep.sizes[seg]
    a = [1.0, -(1.0 - lam)]
    z = lfilter([lam], a, x, zi=[(1.0 - lam) * est.center])[0]
    # exact variance: v_i = (1-lam)^2 v_{i-1} + lam^2 sigma^2 / n_i, v_0 = 0
    # sigma outside the square root: sigma^2 of data near 1e-300 would underflow to 0
    v = lfilter([lam**2], [1.0, -(1.0 - lam) ** 2], 1.0 / n)
    s = est.sigma * np.sqrt(v)
    c = constant(est.center, x.size)
    return Evaluated(z, c, c - width * s, c + width * s, s,
                     {"smoothed": z, "values": x})


def _cusum_params(opts: Mapping[str, Any]) -> tuple[float, float]:
    k, h = float(opts.get("k", 0.5)), float(opts.get("h", 4.0))
    if not (k >= 0 and h > 0):
        raise StatsInputError(f"CUSUM needs k >= 0 and h > 0, got k={k}, h={h}")
    return k, h


def _lindley(increments: np.ndarray) -> np.ndarray:
    """C_i = max(0, C_{i-1} + a_i), C_0 = 0, as S_i - min(0, min_{j<=i} S_j) without a loop."""
    s = np.cumsum(increments)
    return s - np.minimum(np.minimum.accumulate(s), 0.0)


def _evaluate_cusum(prep: Prepared, seg: slice, est: Estimate, k_sigma: float,
                    opts: Mapping[str, Any]) -> Evaluated:
    k, h = _cusum_params(opts)
    x, n = prep.values[seg], prep.sizes[seg]
    se = est.sigma / np.sqrt(n)
    equal = bool(np.all(prep.sizes == prep.sizes[0]))
    unit = se if equal else np.ones(n.size)  # data units when sizes are equal, else z units
    y = (x - est.center) / se
    upper = _lindley(y - k) * unit
    lower = -_lindley(-y - k) * unit
    return Evaluated(upper, constant(0.0, x.size), -h * unit * np.ones(x.size),
                     h * unit * np.ones(x.size), unit * np.ones(x.size),
                     {"upper": upper, "lower": lower, "values": x})


_SUBGROUP_OPTS = frozenset({"sigma_method"})

VARIABLE_CHARTS: dict[str, ChartSpec] = {
    "i": ChartSpec("individuals (I) chart", _prepare_individuals, _estimate_individuals,
                   _evaluate_i),
    "mr": ChartSpec("moving range (MR) chart, span 2", _prepare_mr,
                    _estimate_individuals, _evaluate_mr, allowed_rules=frozenset({1, 2, 3, 4}),
                    named_rules=(1,), center_override=False),
    "xbar": ChartSpec("Xbar chart", _prepare_subgroups, _estimate_xbar, _evaluate_xbar,
                      options=_SUBGROUP_OPTS),
    "r": ChartSpec("R chart", _prepare_subgroups, _estimate_xbar, _evaluate_r,
                   options=_SUBGROUP_OPTS, allowed_rules=frozenset({1, 2, 3, 4}),
                   named_rules=(1,), center_override=False),
    "s": ChartSpec("S chart", _prepare_s, _estimate_s, _evaluate_s,
                   options=_SUBGROUP_OPTS, allowed_rules=frozenset({1, 2, 3, 4}),
                   named_rules=(1,), center_override=False),
    "ewma": ChartSpec("EWMA chart (exact time-varying limits)", _prepare_series,
                      _estimate_series, _evaluate_ewma,
                      options=frozenset({"lam", "L", "sigma_method"}),
                      allowed_rules=frozenset({1}), named_rules=(1,)),
    "cusum": ChartSpec("tabular CUSUM", _prepare_series, _estimate_series, _evaluate_cusum,
                       options=frozenset({"k", "h", "sigma_method"}),
                       allowed_rules=frozenset({1}), named_rules=(1,)),
}

__all__ = ["VARIABLE_CHARTS"]
