"""Attribute and rare-event charts: p, np, c, u, Laney p' and u', g and t."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._base import StatsInputError
from .control_core import (
    ChartSpec,
    Estimate,
    Evaluated,
    Prepared,
    constant,
    counts_and_sizes,
    individuals,
    mr_sigma,
    require_positive_sigma,
)

_ATTRIBUTE_RULES = frozenset({1, 2, 3, 4})


# --- p, np, c, u ------------------------------------------------------------------------


def _prepare_p(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    return counts_and_sizes(data, sizes, need_sizes=True, at_most_size=True)


def _prepare_u(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    return counts_and_sizes(data, sizes, need_sizes=True, at_most_size=False)


def _prepare_c(data: Any, sizes: Any, opts: Mapping[str, Any]) -> Prepared:
    prep = counts_and_sizes(data, sizes, need_sizes=False, at_most_size=False,
                            allow_sizes=False)
    prep.sizes = np.ones(prep.values.size)
    return prep


def _pooled_rate(prep: Prepared, base: np.ndarray) -> float:
    return float(prep.values[base].sum() / prep.sizes[base].sum())


def _estimate_p(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    pbar = _pooled_rate(prep, base)
    if not 0 < pbar < 1:
        raise StatsInputError(
            f"p-bar is {pbar:g}: with no (or only) defectives the limits are degenerate; "
            "for rare events use a 'g' or 't' chart"
        )
    return Estimate(pbar, math.sqrt(pbar * (1 - pbar)),
                    "binomial: sqrt(pbar (1 - pbar)), pbar = sum(d) / sum(n)", int(base.sum()))


def _estimate_u(prep: Prepared, base: np.ndarray, opts: Mapping[str, Any]) -> Estimate:
    ubar = _pooled_rate(prep, base)
    if not ubar > 0:
        raise StatsInputError("no defects counted: the limits are degenerate; for rare "
                              "events use a 'g' or 't' chart")
    return Estimate(ubar, math.sqrt(ubar), "Poisson: sqrt(ubar), ubar = sum(c) / sum(n)",
                    int(base.sum()))


def _limits(stat, center, s, k, cap=None) -> Evaluated:
    lcl = np.maximum(center - k * s, 0.0)
    ucl = center + k * s if cap is None else np.minimum(center + k * s, cap)
    return Evaluated(stat, center, lcl, ucl, s)


def _check_center(est: Estimate, proportion: bool) -> None:
    if proportion and not 0 < est.center < 1:
        raise StatsInputError(f"center must be a proportion in (0, 1), got {est.center}")
    if not est.center > 0:
        raise StatsInputError(f"center must be positive, got {est.center}")


def _evaluate_p(prep, seg, est, k, opts) -> Evaluated:
    _check_center(est, True)
    n = prep.sizes[seg]
    p = est.center
    # sqrt(p (1 - p)) / sqrt(n), not sqrt(p (1 - p) / n): the quotient underflows first
    return _limits(prep.values[seg] / n, constant(p, n.size),
                   math.sqrt(p * (1 - p)) / np.sqrt(n), k, 1.0)


def _evaluate_np(prep, seg, est, k, opts) -> Evaluated:
    _check_center(est, True)
    n = prep.sizes[seg]
    p = est.center
    return _limits(prep.values[seg], n * p, np.sqrt(n) * math.sqrt(p * (1 - p)), k, n)


def _evaluate_u(prep, seg, est, k, opts) -> Evaluated:
    _check_center(est, False)
    n = prep.sizes[seg]
    return _limits(prep.values[seg] / n, constant(est.center, n.size),
                   math.sqrt(est.center) / np.sqrt(n), k)


# --- Laney p' and u' ----------------------------------------------------------------------


def _laney(prep: Prepared, base: np.ndarray, est: Estimate, binomial: bool) -> Estimate:
    n = prep.sizes
    rate = prep.values / n
    var = est.center * (1 - est.center) if binomial else est.center
    z = (rate - est.center) / (math.sqrt(var) / np.sqrt(n))
    sigma_z, _ = mr_sigma(z, base, prep.adjacent)
    require_positive_sigma(sigma_z, "the standardised values do not vary")
    within = "sqrt(pbar (1 - pbar) / n)" if binomial else "sqrt(ubar / n)"
    return Estimate(est.center, sigma_z,
                    f"Laney: sigma_z = mean |MR of z| / d2(2) scales {within}", est.n_base,
                    {"sigma_z": sigma_z, "within_sigma": math.sqrt(var)})


def _estimate_laney_p(prep, base, opts) -> Estimate:
    return _laney(prep, base, _estimate_p(prep, base, opts), True)


def _estimate_laney_u(prep, base, opts) -> Estimate:
    return _laney(prep, base, _estimate_u(prep, base, opts), False)


def _evaluate_laney_p(prep, seg, est, k, opts) -> Evaluated:
    _check_center(est, True)
    n, p = prep.sizes[seg], est.center
    return _limits(prep.values[seg] / n, constant(p, n.size),
                   est.sigma * math.sqrt(p * (1 - p)) / np.sqrt(n), k, 1.0)


def _evaluate_laney_u(prep, seg, est, k, opts) -> Evaluated:
    _check_center(est, False)
    n = prep.sizes[seg]
    return _limits(prep.values[seg] / n, constant(est.center, n.size),
                   est.sigma * math.sqrt(est.center) / np.sqrt(n), k)


# --- g chart: geometric, Minitab's probability limits --------------------------------------


def _prepare_g(data, sizes, opts) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: the g chart takes counts between events, no sizes")
    prep = individuals(data)
    if (prep.values < 0).any():
        i = int(np.flatnonzero(prep.values < 0)[0])
        raise StatsInputError(f"point {int(prep.index[i]) + 1}: counts between events "
                              f"cannot be negative ({prep.values[i]:g})")
    return prep


def _estimate_g(prep, base, opts) -> Estimate:
    gbar = float(prep.values[base].mean())
    if not gbar > 0:
        raise StatsInputError("all counts between events are 0: the limits are degenerate")
    return _g_estimate(gbar, int(base.sum()))


def _g_estimate(gbar: float, n_base: int) -> Estimate:
    p = 1.0 / (gbar + 1.0)
    return Estimate(gbar, math.sqrt(1 - p) / p, "geometric: p = 1 / (gbar + 1), "
                    "sd sqrt(1 - p) / p", n_base, {"p": p, "mean": gbar})


def geometric_quantile(q: float, p: float) -> float:
    """Minitab's G chart quantile: the "number until" geometric INVCDF, linearly
    interpolated between integers, minus 1 (to count the opportunities *between* events)."""
    if not 0 < p < 1:
        raise StatsInputError("the mean count between events is too close to 0 for the g "
                              "chart: its limits are degenerate")
    log1p = math.log1p(-p)
    if log1p == 0.0:
        raise StatsInputError("the mean count between events is too large for the g chart")
    gb = max(1, math.ceil(math.log1p(-q) / log1p - 1e-12))
    if gb > 2**50:
        # Past this, gb + 1 no longer changes gb * log1p in floating point.
        raise StatsInputError("the mean count between events is too large for the g chart")
    for _ in range(4):  # the closed form is off by at most a step or two from rounding
        if -math.expm1(gb * log1p) >= q:
            break
        gb += 1
    else:
        raise StatsInputError("the g chart quantile did not converge; the mean count "
                              "between events is too large")
    pa = -math.expm1((gb - 1) * log1p)
    step = -math.exp((gb - 1) * log1p) * math.expm1(log1p)  # pb - pa, without cancellation
    return (gb - 1) + (q - pa) / step - 1.0


def _evaluate_g(prep, seg, est, k, opts) -> Evaluated:
    from scipy.special import ndtr

    if not est.center > 0:
        raise StatsInputError(f"center (the mean count between events) must be positive, "
                              f"got {est.center}")
    g = _g_estimate(est.center, est.n_base)
    p, size = g.params["p"], prep.values[seg].size
    tail = float(ndtr(-k))
    center = geometric_quantile(0.5, p)
    lcl = max(geometric_quantile(tail, p), 0.0)
    ucl = geometric_quantile(1 - tail, p)
    return Evaluated(prep.values[seg], constant(center, size), constant(lcl, size),
                     constant(ucl, size), constant(g.sigma, size))


# --- t chart: time between events -----------------------------------------------------------


def _prepare_t(data, sizes, opts) -> Prepared:
    if sizes is not None:
        raise StatsInputError("sizes: the t chart takes times between events, no sizes")
    prep = individuals(data)
    if (prep.values <= 0).any():
        i = int(np.flatnonzero(prep.values <= 0)[0])
        raise StatsInputError(f"point {int(prep.index[i]) + 1}: times between events must be "
                              f"positive ({prep.values[i]:g})")
    method = opts.get("method", "weibull")
    if method not in ("weibull", "exponential", "transform"):
        raise StatsInputError(f"t chart method must be 'weibull', 'exponential' or "
                              f"'transform', got {method!r}")
    return prep


def weibull_mle(x: np.ndarray) -> tuple[float, float]:
    """Two-parameter Weibull maximum likelihood (shape, scale), from the profile equation
    1/k + mean(ln x) - sum(x^k ln x) / sum(x^k) = 0 solved by bracketing."""
    from scipy.optimize import brentq

    y = np.log(x / x.max())
    if not np.isfinite(y).all() or np.ptp(y) > 700:
        raise StatsInputError("times between events span too many orders of magnitude "
                              "for a Weibull fit")
    if np.ptp(y) == 0:
        raise StatsInputError("all times between events are equal: a Weibull fit is degenerate")

    def profile(log_k: float) -> float:
        k = math.exp(log_k)
        w = np.exp(k * y)
        return 1.0 / k + y.mean() - float(np.sum(w * y) / np.sum(w))

    lo, hi = -10.0, 10.0
    if not (profile(lo) > 0 > profile(hi)):
        raise StatsInputError("times between events: the Weibull fit did not converge")
    shape = math.exp(brentq(profile, lo, hi, xtol=1e-14))
    scale = float(np.mean(np.exp(shape * y))) ** (1 / shape) * float(x.max())
    return shape, scale


def _estimate_t(prep, base, opts) -> Estimate:
    x, method = prep.values[base], opts.get("method", "weibull")
    if x.size < 2:
        raise StatsInputError("the t chart needs at least 2 times between events")
    if method == "weibull":
        shape, scale = weibull_mle(x)
        sd = scale * math.sqrt(math.gamma(1 + 2 / shape) - math.gamma(1 + 1 / shape) ** 2)
        return Estimate(scale, sd, "Weibull maximum likelihood (probability limits)",
                        x.size, {"shape": shape, "scale": scale})
    if method == "exponential":
        mean = float(x.mean())
        return Estimate(mean, mean, "exponential, mean time between events (probability "
                        "limits)", x.size, {"mean": mean})
    y = x ** (1 / 3.6)
    sigma, _ = mr_sigma(y, np.ones(y.size, dtype=bool), np.diff(prep.index[base]) == 1)
    require_positive_sigma(sigma, "all times between events are equal")
    return Estimate(float(y.mean()), sigma, "I chart on x^(1/3.6): mean moving range / "
                    "d2(2), limits transformed back", x.size, {"power": 1 / 3.6})


def _evaluate_t(prep, seg, est, k, opts) -> Evaluated:
    from scipy.special import ndtr

    x, method = prep.values[seg], opts.get("method", "weibull")
    tail = float(ndtr(-k))
    qs = np.array([tail, 0.5, 1 - tail])
    if method == "weibull":
        shape, scale = est.params["shape"], est.params["scale"]
        lcl, center, ucl = scale * (-np.log1p(-qs)) ** (1 / shape)
    elif method == "exponential":
        lcl, center, ucl = -est.center * np.log1p(-qs)
    else:
        low = max(est.center - k * est.sigma, 0.0)
        lcl, center, ucl = low**3.6, est.center**3.6, (est.center + k * est.sigma) ** 3.6
    return Evaluated(x, constant(center, x.size), constant(lcl, x.size), constant(ucl, x.size),
                     constant(est.sigma, x.size))


ATTRIBUTE_CHARTS: dict[str, ChartSpec] = {
    "p": ChartSpec("p chart (proportion defective)", _prepare_p, _estimate_p, _evaluate_p,
                   allowed_rules=_ATTRIBUTE_RULES, sigma_override=False),
    "np": ChartSpec("np chart (number defective)", _prepare_p, _estimate_p, _evaluate_np,
                    allowed_rules=_ATTRIBUTE_RULES, sigma_override=False),
    "c": ChartSpec("c chart (defects per unit)", _prepare_c, _estimate_u, _evaluate_u,
                   allowed_rules=_ATTRIBUTE_RULES, sigma_override=False),
    "u": ChartSpec("u chart (defects per unit, varying sizes)", _prepare_u, _estimate_u,
                   _evaluate_u, allowed_rules=_ATTRIBUTE_RULES, sigma_override=False),
    "laney_p": ChartSpec("Laney p' chart", _prepare_p, _estimate_laney_p, _evaluate_laney_p,
                         allowed_rules=_ATTRIBUTE_RULES),
    "laney_u": ChartSpec("Laney u' chart", _prepare_u, _estimate_laney_u, _evaluate_laney_u,
                         allowed_rules=_ATTRIBUTE_RULES),
    "g": ChartSpec("g chart (geometric, counts between events)", _prepare_g, _estimate_g,
                   _evaluate_g, allowed_rules=_ATTRIBUTE_RULES, sigma_override=False),
    "t": ChartSpec("t chart (time between events)", _prepare_t, _estimate_t, _evaluate_t,
                   options=frozenset({"method"}), allowed_rules=_ATTRIBUTE_RULES,
                   center_override=False, sigma_override=False),
}

__all__ = ["ATTRIBUTE_CHARTS", "geometric_quantile", "weibull_mle"]
