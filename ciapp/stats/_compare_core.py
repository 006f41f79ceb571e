"""Shared pieces of the before / after comparisons: the result, option checks, the verdict.

Every two-sample function takes ``before`` first and ``after`` second and reports the change as
``after - before``; ``alternative`` is about that change ("less": after is lower). ``better``
says which direction is an improvement for the metric ("lower" for cycle time, "higher" for
yield). Percent changes are relative to the before level, taken as known; their intervals are
the unit intervals divided by that level (for rates, the exact rate-ratio interval instead).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ._base import Result, StatsInputError, clean_1d
from ._numeric import check_scale
from .normality import anderson_darling

Alternative = Literal["two-sided", "less", "greater"]
Better = Literal["lower", "higher"]
SMALL_SAMPLE = 30
TARGET_POWER = 0.8

@dataclass(frozen=True)
class Comparison(Result):
    """Result of a before / after comparison.

    ``change`` is after - before in the metric's units (for ``compare_medians`` the
    Hodges-Lehmann shift, for ``compare_variances`` the change in standard deviation);
    ``change_ci`` and ``change_pct_ci`` are two-sided intervals at ``1 - alpha``.
    ``power`` is the power of the test at the observed effect size and ``n_needed`` the
    per-group size that would give 80 % power for it (``None`` where not computed).
    ``improved`` is true only for a significant change in the ``better`` direction.
    ``method`` names the convention used where practitioners' tools differ (continuity
    correction, exact or normal-approximation p-value, which odds ratio).
    """

    test: str
    statistic: float
    p_value: float
    df: float | tuple[float, float] | None
    alternative: str
    alpha: float
    better: str
    measure: str
    before_level: float
    after_level: float
    change: float
    change_ci: tuple[float, float]
    change_pct: float
    change_pct_ci: tuple[float, float]
    n_before: int
    n_after: int
    n_missing: int
    assumptions: dict[str, Any]
    power: float | None
    n_needed: int | None
    significant: bool
    improved: bool
    verdict: str
    reason: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    method: str = ""


# -- checks and small helpers ---------------------------------------------------------------


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence SciPy / statsmodels warnings about degenerate samples; callers check results.

    SciPy warns on precision loss for a constant sample and statsmodels on solver
    convergence; those cases are handled by checking that the numbers are finite.
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _load_sm_warnings() -> None:
    """Import statsmodels' warning classes before silencing anything.

    Their module adds ``simplefilter("always", ConvergenceWarning)`` when first imported; if
    that happens inside ``_quiet()`` (statsmodels imports it lazily on solver failure) the new
    filter lands in front of the "ignore" and the warning escapes.
    """
    import statsmodels.tools.sm_exceptions  # noqa: F401


def _finite_or_none(value: Any) -> float | None:
    v = float(np.squeeze(value))
    return v if math.isfinite(v) else None


def _check_options(alternative: str, better: str, alpha: float) -> None:
    if alternative not in ("two-sided", "less", "greater"):
        raise StatsInputError(f"alternative must be 'two-sided', 'less' or 'greater', "
                              f"got {alternative!r}")
    if better not in ("lower", "higher"):
        raise StatsInputError(f"better must be 'lower' or 'higher', got {better!r}")
    if not 0 < alpha < 1:
        raise StatsInputError(f"alpha must be between 0 and 1, got {alpha!r}")


def _two_samples(before: Any, after: Any, paired: bool,
                 min_n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Clean both samples; for paired data drop a pair when either value is missing."""
    if not paired:
        b, mb = clean_1d(before, name="before", min_n=min_n)
        a, ma = clean_1d(after, name="after", min_n=min_n)
        check_scale(b, "before")
        check_scale(a, "after")
        return b, a, mb + ma
    b, _ = clean_1d(before, name="before")
    a, _ = clean_1d(after, name="after")
    check_scale(b, "before")
    check_scale(a, "after")
    rb = np.array(before if isinstance(before, np.ndarray) else
                  [np.nan if v is None else v for v in before], dtype=float)
    ra = np.array(after if isinstance(after, np.ndarray) else
                  [np.nan if v is None else v for v in after], dtype=float)
    if rb.shape != ra.shape:
        raise StatsInputError(f"paired data need as many after values ({ra.size}) as before "
                              f"values ({rb.size})")
    keep = ~(np.isnan(rb) | np.isnan(ra))
    if int(keep.sum()) < min_n:
        raise StatsInputError(f"paired data: need at least {min_n} complete pairs, "
                              f"got {int(keep.sum())}")
    return rb[keep], ra[keep], int(rb.size - keep.sum())


def _pct(value: float, base: float) -> float:
    return value / abs(base) * 100.0 if base != 0 else math.nan


def _fmt(v: float) -> str:
    if v is None or not math.isfinite(v):
        return "n/a"
    return f"{v:.4g}"


def _fmt_p(p: float) -> str:
    return "p < 0.0001" if p < 1e-4 else f"p = {p:.2g}" if p < 0.001 else f"p = {p:.3g}"


def _verdict(measure: str, before: float, after: float, pct: float, pct_ci: tuple[float, float],
             unit: str, conf: float, significant: bool, better: str, test: str, p: float,
             alpha: float) -> str:
    """One sentence: what moved, by how much, and whether that is a significant improvement."""
    u = f" {unit}" if unit else ""
    moved = "rose" if after > before else "fell" if after < before else "stayed"
    head = f"The {measure} {moved} from {_fmt(before)} to {_fmt(after)}{u}"
    if math.isfinite(pct):
        ci = (f", {conf * 100:.0f}% CI {pct_ci[0]:+.1f}% to {pct_ci[1]:+.1f}%"
              if all(math.isfinite(c) for c in pct_ci) else "")
        head += f" ({pct:+.1f}%{ci})"
    good = (after < before) if better == "lower" else (after > before)
    if not significant:
        tail = f"not a significant change at alpha {alpha:g}"
    elif good:
        tail = f"a significant improvement at alpha {alpha:g}"
    else:
        tail = f"a significant change for the worse at alpha {alpha:g}"
    return f"{head}; {tail} ({test}, {_fmt_p(p)})."


def _finish(*, test: str, statistic: float, p: float, df: Any, alternative: str, alpha: float,
            better: str, measure: str, before: float, after: float, change: float,
            ci: tuple[float, float], n_b: int, n_a: int, n_missing: int,
            assumptions: dict[str, Any], power: float | None, n_needed: int | None, unit: str,
            reason: str = "", warnings: Sequence[str] = (),
            pct_ci: tuple[float, float] | None = None, method: str = "") -> Comparison:
    pct = _pct(change, before)
    if pct_ci is None:
        pct_ci = (_pct(ci[0], before), _pct(ci[1], before))
    significant = bool(p < alpha)
    good = change < 0 if better == "lower" else change > 0
    return Comparison(
        test=test, statistic=float(statistic), p_value=float(p), df=df, alternative=alternative,
        alpha=alpha, better=better, measure=measure, before_level=float(before),
        after_level=float(after), change=float(change), change_ci=(float(ci[0]), float(ci[1])),
        change_pct=pct, change_pct_ci=(float(pct_ci[0]), float(pct_ci[1])), n_before=n_b,
        n_after=n_a, n_missing=n_missing, assumptions=assumptions, power=power,
        n_needed=n_needed, significant=significant, improved=significant and good,
        verdict=_verdict(measure, before, after, pct, pct_ci, unit, 1 - alpha, significant,
                         better, test, p, alpha),
        reason=reason, warnings=tuple(warnings), method=method or test,
    )


def _normality(x: np.ndarray) -> dict[str, Any]:
    """AD from 8 points (as nortest), Shapiro-Wilk for 3 to 7, nothing below."""
    from scipy import stats

    ad = anderson_darling(x)
    if ad is not None:
        return {"test": "Anderson-Darling", "statistic": ad.statistic, "p_value": ad.p_value}
    if x.size >= 3 and np.ptp(x) > 0:
        with _quiet():
            res = stats.shapiro(x)
        return {"test": "Shapiro-Wilk", "statistic": float(res.statistic),
                "p_value": float(res.pvalue)}
    return {"test": None, "statistic": None, "p_value": None}


def _is_normal(check: dict[str, Any], alpha: float = 0.05) -> bool | None:
    p = check["p_value"]
    return None if p is None else bool(p >= alpha)


TINY = 1e-100
"""Below this largest |value| squared deviations underflow: such data are rescaled first."""


def pow2_scale(*samples: np.ndarray) -> float:
    """A power of two that brings data whose largest |value| is below ``TINY`` near 1, else 1.

    Dividing by a power of two is exact, and t, F and rank statistics do not depend on the
    scale, so tiny data (1e-300) get their true statistics instead of an underflowed
    "no variation"; locations and intervals are multiplied back.
    """
    top = max((float(np.max(np.abs(x))) for x in samples if x.size), default=0.0)
    if top == 0.0 or top >= TINY:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1])))


def _no_spread(*samples: np.ndarray) -> None:
    if all(np.ptp(s) == 0 for s in samples):
        raise StatsInputError("all values are equal in every sample: no variation to test")


def _power_pair(power: Any, need: Any) -> tuple[float | None, int | None]:
    p, n = _finite_or_none(power), _finite_or_none(need)
    return p, (int(math.ceil(n)) if n is not None and n > 0 else None)


def _assumptions(b: np.ndarray, a: np.ndarray, paired: bool) -> dict[str, Any]:
    from scipy import stats

    out: dict[str, Any] = {"n_before": int(b.size), "n_after": int(a.size)}
    if paired:
        out["normality_of_differences"] = _normality(a - b)
        return out
    out["normality_before"] = _normality(b)
    out["normality_after"] = _normality(a)
    with _quiet():
        bf = stats.levene(b, a, center="median")
    if math.isfinite(bf.statistic) and math.isfinite(bf.pvalue):
        out["equal_variances"] = {"test": "Brown-Forsythe", "statistic": float(bf.statistic),
                                  "p_value": float(bf.pvalue)}
    else:
        out["equal_variances"] = {"test": "Brown-Forsythe", "statistic": None, "p_value": None}
    return out


def _z_p(z: float, alternative: str) -> float:
    from scipy import stats

    if alternative == "less":
        return float(stats.norm.cdf(z))
    if alternative == "greater":
        return float(stats.norm.sf(z))
    return float(2 * stats.norm.sf(abs(z)))


