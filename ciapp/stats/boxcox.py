"""Box-Cox transformation for capability: lambda by maximum likelihood, fast on 10^6 points.

Split from capability.py: the lambda search is its own piece of numerics, tested against R
(the profile likelihood maximised by ``optimize`` and ``car::powerTransform``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._base import StatsInputError

__all__ = ["bc", "bc_limit", "boxcox_fit"]


def boxcox_fit(x: np.ndarray) -> tuple[float, np.ndarray]:
    """Lambda by maximum likelihood and the transformed data (one log pass for both)."""
    if float(x.min()) <= 0:
        raise StatsInputError(
            f"Box-Cox needs positive data; {int(np.sum(x <= 0))} value(s) are zero or negative"
        )
    logx = np.log(x)
    lam = _boxcox_mle(logx)
    if lam == 0:
        return lam, logx
    y = np.multiply(logx, lam, out=logx)  # scipy.special.boxcox's formula,
    np.expm1(y, out=y)  # expm1(lam log x) / lam, on our logs (ours: overwritten in place)
    y /= lam
    return lam, y


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of products in numpy's own loop: BLAS's threaded dot spends more time in thread
    hand-offs than in arithmetic on a loaded machine."""
    return float(np.einsum("i,i->", a, b))


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
        variance = (_dot(u, u) / u.size - mean * mean) / (lam * lam)
    return math.log(variance) if math.isfinite(variance) and variance > 0 else math.inf


def _boxcox_mle(logx: np.ndarray) -> float:
    """Box-Cox lambda by maximum likelihood, as ``scipy.stats.boxcox_normmax(method="mle")``
    finds it, with a handful of passes over large samples.

    Dividing the data by its geometric mean (centring the logs) changes the log-likelihood
    only by a constant, and then maximising it is minimising the variance of
    ``expm1(lam * log x) / lam``. On large samples Brent's search runs on an evenly spaced
    subsample (its lambda is within a few hundredths of the full one, and a coarse tolerance
    is enough for a start), and Newton's method on the full data finishes it: each step is
    one ``expm1`` pass giving both derivatives, and from that start three steps reach the
    precision R's ``optimize(tol = 1e-12)`` reports. Parabolic interpolation on the
    likelihood itself (about 6 passes) takes over where Newton's formulas lose precision.
    """

    centred = logx - logx.mean()

    def full(lam: float) -> float:
        return _log_variance(centred, lam)

    if centred.size <= 2 * _SUBSAMPLE:
        return _brent(full)
    sub = np.ascontiguousarray(centred[:: centred.size // _SUBSAMPLE])
    start = _brent(lambda lam: _log_variance(sub, lam), tol=1e-4)
    found = _newton(centred, start)
    if found is None:
        found = _parabolic_min(full, start, 0.03)
    return found if found is not None else _brent(full)


_NEWTON_MIN = 1e-5
"""Newton's derivatives subtract terms of order (lam * sd(log x))^2 to get one of order
(lam * sd)^3: below this lam * sd they would keep too few digits, and the search falls back
to the likelihood itself."""


def _newton(centred: np.ndarray, lam: float, steps: int = 8) -> float | None:
    """Minimise log var(expm1(lam c) / lam) by Newton's method; None if it does not settle.

    With t = lam c, u = expm1(t), h = t e^t - u and k = t^2 e^t - 2 t e^t + 2 u, the
    derivatives of f = log var(u) - 2 log |lam| are f' = 2 cov(u, h) / (lam var(u)) and
    f'' = 2 (var(h) + cov(u, k)) / (lam^2 var(u)) - f'^2, so one pass gives both.
    """
    n = centred.size
    spread = math.sqrt(_dot(centred, centred) / n)
    t, u, h = np.empty(n), np.empty(n), np.empty(n)
    lo, hi = lam - 0.5, lam + 0.5  # a start from the subsample is within hundredths
    with np.errstate(all="ignore"):
        for _ in range(steps):
            if not (lo < lam < hi and abs(lam) * spread >= _NEWTON_MIN):
                return None
            np.multiply(centred, lam, out=t)
            np.expm1(t, out=u)
            np.multiply(t, u, out=h)  # h = t u + t - u = t e^t - u
            h += t
            h -= u
            s_u, s_h = float(u.sum()) / n, float(h.sum()) / n
            var_u = _dot(u, u) / n - s_u * s_u
            cov_uh = _dot(u, h) / n - s_u * s_h
            var_h = _dot(h, h) / n - s_h * s_h
            h += u  # t e^t
            t *= h  # t^2 e^t
            t -= h
            t -= h
            t += u
            t += u  # k = t^2 e^t - 2 t e^t + 2 u
            cov_uk = _dot(u, t) / n - s_u * float(t.sum()) / n
            d1 = 2 * cov_uh / (lam * var_u)
            d2 = 2 * (var_h + cov_uk) / (lam * lam * var_u) - d1 * d1
            if not (math.isfinite(d1) and d2 > 0):
                return None
            step = d1 / d2
            lam -= step
            if abs(step) < 1e-7:  # quadratic convergence: the next step would be ~1e-14
                return lam
    return None


def _brent(f: Any, tol: float = 1.48e-8) -> float:
    """Brent's search from the bracket (-2, 2); when the values span so many orders of
    magnitude that the likelihood overflows there, a bounded search, else a clear error."""
    from scipy import optimize

    # the likelihood is infinite where the transform overflows: Brent steps over those
    # points, and the arithmetic on them must not surface as warnings
    with np.errstate(all="ignore"):
        try:
            lam = float(optimize.brent(f, brack=(-2.0, 2.0), tol=tol))
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


def bc(values: Any, lam: float) -> Any:
    from scipy import special

    return special.boxcox(values, lam)


def bc_limit(value: float | None, lam: float, label: str) -> float | None:
    if value is None:
        return None
    if value < 0 or (value == 0 and lam <= 0):
        raise StatsInputError(
            f"{label} ({value}) cannot be Box-Cox transformed with lambda {lam:.3g}; "
            "use the percentile method or drop this limit"
        )
    return float(bc(value, lam))
