"""Before / after comparisons that say, in one sentence, whether the change is an improvement.

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

from ._base import Result, StatsInputError, clean_1d, readonly
from ._numeric import MAX_MAGNITUDE, check_scale
from .hodges_lehmann import shift_one_sample, shift_two_sample
from .normality import anderson_darling

__all__ = [
    "Anova", "ChiSquare", "Comparison", "anova_oneway", "chi_square", "compare",
    "compare_means", "compare_medians", "compare_proportions", "compare_rates",
    "compare_variances",
]

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


@dataclass(frozen=True)
class Anova(Result):
    """One-way ANOVA (classic F or Welch's) with the group summaries."""

    test: str
    statistic: float
    p_value: float
    df: tuple[float, float]
    group_n: np.ndarray
    group_means: np.ndarray
    group_sds: np.ndarray
    grand_mean: float
    ss_between: float
    ss_within: float
    ms_within: float
    significant: bool
    alpha: float
    n_missing: int


@dataclass(frozen=True)
class ChiSquare(Result):
    """Pearson chi-square test of independence on a contingency table."""

    statistic: float
    p_value: float
    df: int
    expected: np.ndarray
    yates: bool
    significant: bool
    alpha: float
    warnings: tuple[str, ...] = field(default_factory=tuple)


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
            pct_ci: tuple[float, float] | None = None) -> Comparison:
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
        reason=reason, warnings=tuple(warnings),
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


def _no_spread(*samples: np.ndarray) -> None:
    if all(np.ptp(s) == 0 for s in samples):
        raise StatsInputError("all values are equal in every sample: no variation to test")


# -- means ------------------------------------------------------------------------------------


def _power_t(effect: float, n_b: int, n_a: int, alpha: float, alternative: str,
             paired: bool) -> tuple[float | None, int | None]:
    """Power at the observed standardized effect, and the n per group for 80 % power."""
    from statsmodels.stats.power import TTestIndPower, TTestPower

    _load_sm_warnings()
    if not math.isfinite(effect) or effect == 0:
        return None, None
    alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    if alt != "two-sided" and (effect > 0) != (alt == "larger"):
        return None, None
    size = abs(effect) if alt == "two-sided" else effect
    with _quiet():
        if paired:
            solver = TTestPower()
            power = solver.power(effect_size=effect, nobs=n_b, alpha=alpha, alternative=alt)
            need = solver.solve_power(effect_size=size, nobs=None, alpha=alpha,
                                      power=TARGET_POWER, alternative=alt)
        else:
            solver = TTestIndPower()
            power = solver.power(effect_size=effect, nobs1=n_b, ratio=n_a / n_b, alpha=alpha,
                                 alternative=alt)
            need = solver.solve_power(effect_size=size, nobs1=None, ratio=1.0, alpha=alpha,
                                      power=TARGET_POWER, alternative=alt)
    return _power_pair(power, need)


def _power_pair(power: Any, need: Any) -> tuple[float | None, int | None]:
    p, n = _finite_or_none(power), _finite_or_none(need)
    return p, (int(math.ceil(n)) if n is not None and n > 0 else None)


def compare_means(
    before: Any, after: Any, *, paired: bool = False, equal_var: bool = False,
    alternative: Alternative = "two-sided", better: Better = "lower", alpha: float = 0.05,
    unit: str = "", _reason: str = "",
) -> Comparison:
    """Welch's t-test (default), Student's t (``equal_var=True``) or the paired t-test.

    The interval is the t interval for after - before (Welch-Satterthwaite df for Welch).
    Power and sample size come from statsmodels' ``TTestIndPower`` / ``TTestPower`` at the
    observed Cohen's d (pooled sd for independent samples, sd of differences when paired).
    """
    _check_options(alternative, better, alpha)
    b, a, n_missing = _two_samples(before, after, paired, min_n=2)
    _no_spread(b, a)
    with _quiet():
        res, test, effect = _t_core(a, b, paired, equal_var, alternative)
        ci = res.confidence_interval(confidence_level=1 - alpha)
    if not math.isfinite(res.statistic):
        raise StatsInputError("the t statistic is undefined: no variation within the samples "
                              "(or within the paired differences)")
    ci = (float(ci.low), float(ci.high)) if alternative == "two-sided" else _two_sided_t_ci(
        a, b, paired, equal_var, alpha)
    power, need = _power_t(effect, b.size, a.size, alpha, alternative, paired)
    return _finish(
        test=test, statistic=res.statistic, p=res.pvalue, df=float(res.df),
        alternative=alternative, alpha=alpha, better=better, measure="mean",
        before=b.mean(), after=a.mean(), change=a.mean() - b.mean(), ci=ci, n_b=b.size,
        n_a=a.size, n_missing=n_missing, assumptions=_assumptions(b, a, paired), power=power,
        n_needed=need, unit=unit, reason=_reason,
    )


def _t_core(a: np.ndarray, b: np.ndarray, paired: bool, equal_var: bool,
            alternative: str) -> tuple[Any, str, float]:
    from scipy import stats

    if paired:
        res = stats.ttest_rel(a, b, alternative=alternative)
        test = "paired t-test"
        effect = float(np.mean(a - b) / np.std(a - b, ddof=1)) if np.ptp(a - b) > 0 else math.nan
    else:
        res = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
        test = "2-sample t-test (Student)" if equal_var else "Welch t-test"
        sp = math.sqrt(((b.size - 1) * b.var(ddof=1) + (a.size - 1) * a.var(ddof=1))
                       / (b.size + a.size - 2))
        effect = (a.mean() - b.mean()) / sp if sp > 0 else math.nan
    return res, test, effect


def _two_sided_t_ci(a: np.ndarray, b: np.ndarray, paired: bool, equal_var: bool,
                    alpha: float) -> tuple[float, float]:
    """The two-sided interval also for a one-sided test, so the change has finite bounds."""
    from scipy import stats

    with _quiet():
        res = stats.ttest_rel(a, b) if paired else stats.ttest_ind(a, b, equal_var=equal_var)
        ci = res.confidence_interval(confidence_level=1 - alpha)
    return float(ci.low), float(ci.high)


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


# -- medians ----------------------------------------------------------------------------------


def compare_medians(
    before: Any, after: Any, *, paired: bool = False, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "", _reason: str = "",
) -> Comparison:
    """Mann-Whitney test (Wilcoxon signed-rank test when ``paired``).

    ``before_level`` / ``after_level`` are the sample medians; ``change`` is the
    Hodges-Lehmann estimate that goes with the test (median of all after - before
    differences, or of the Walsh averages of paired differences) with its interval.
    SciPy chooses exact or normal-approximation p-values by sample size and ties.
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    b, a, n_missing = _two_samples(before, after, paired, min_n=2)
    _no_spread(b, a)
    if paired:
        d = a - b
        if np.all(d == 0):
            raise StatsInputError("paired data: every difference is zero; nothing to test")
        with _quiet():
            res = stats.wilcoxon(d, alternative=alternative)
        test = "Wilcoxon signed-rank test"
        est, ci = shift_one_sample(d, alpha)
    else:
        with _quiet():
            res = stats.mannwhitneyu(a, b, alternative=alternative)
        test = "Mann-Whitney test"
        est, ci = shift_two_sample(a, b, alpha)
    return _finish(
        test=test, statistic=res.statistic, p=res.pvalue, df=None, alternative=alternative,
        alpha=alpha, better=better, measure="median", before=float(np.median(b)),
        after=float(np.median(a)), change=est, ci=ci, n_b=b.size, n_a=a.size,
        n_missing=n_missing, assumptions=_assumptions(b, a, paired), power=None, n_needed=None,
        unit=unit, reason=_reason,
    )


# -- spread -----------------------------------------------------------------------------------


def compare_variances(
    before: Any, after: Any, *, method: Literal["brown-forsythe", "levene", "f"] = "brown-forsythe",
    alternative: Alternative = "two-sided", better: Better = "lower", alpha: float = 0.05,
    unit: str = "",
) -> Comparison:
    """Compare spread: Brown-Forsythe (Levene on medians, default), Levene (means) or F.

    The change is sd_after - sd_before; its interval is the F interval for the variance
    ratio turned into a ratio of standard deviations and scaled by sd_before. The F test is
    exact only for normal data; the other two are robust to non-normality. ``alternative``
    other than two-sided is only supported by the F test.
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    if method not in ("brown-forsythe", "levene", "f"):
        raise StatsInputError(f"method must be 'brown-forsythe', 'levene' or 'f', got {method!r}")
    if method != "f" and alternative != "two-sided":
        raise StatsInputError("Levene / Brown-Forsythe tests are two-sided; use method='f'")
    b, a, n_missing = _two_samples(before, after, False, min_n=2)
    sb, sa = float(b.std(ddof=1)), float(a.std(ddof=1))
    if sb == 0:
        raise StatsInputError("before: all values are equal; the variance ratio is undefined")
    df1, df2 = a.size - 1, b.size - 1
    ratio = sa**2 / sb**2
    f_p = _f_p(ratio, df1, df2, alternative)
    q = stats.f.ppf([1 - alpha / 2, alpha / 2], df1, df2)
    sd_ratio_ci = np.sqrt(ratio / q)
    if method == "f":
        test, statistic, p, df = "F test", ratio, f_p, (float(df1), float(df2))
    else:
        center = "median" if method == "brown-forsythe" else "mean"
        with _quiet():
            res = stats.levene(a, b, center=center)
        if not math.isfinite(res.statistic):
            raise StatsInputError("no variation of the deviations from the center within the "
                                  "samples: the test statistic is undefined")
        test = "Brown-Forsythe test" if center == "median" else "Levene test"
        statistic, p, df = res.statistic, res.pvalue, (1.0, float(a.size + b.size - 2))
    assumptions = _assumptions(b, a, False)
    assumptions["f_test"] = {"statistic": ratio, "p_value": f_p}
    return _finish(
        test=test, statistic=statistic, p=p, df=df, alternative=alternative, alpha=alpha,
        better=better, measure="standard deviation", before=sb, after=sa, change=sa - sb,
        ci=(sb * (sd_ratio_ci[0] - 1), sb * (sd_ratio_ci[1] - 1)), n_b=b.size, n_a=a.size,
        n_missing=n_missing, assumptions=assumptions, power=None, n_needed=None, unit=unit,
    )


def _f_p(ratio: float, df1: int, df2: int, alternative: str) -> float:
    from scipy import stats

    lower, upper = stats.f.cdf(ratio, df1, df2), stats.f.sf(ratio, df1, df2)
    if alternative == "less":
        return float(lower)
    if alternative == "greater":
        return float(upper)
    return float(min(1.0, 2 * min(lower, upper)))


# -- proportions --------------------------------------------------------------------------------


def _check_counts(x: float, n: float, label: str) -> None:
    for name, v in ((f"{label} count", x), (f"{label} size", n)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer, float)) or \
                not math.isfinite(v) or v != int(v):
            raise StatsInputError(f"{name} must be a whole number, got {v!r}")
    if x < 0:
        raise StatsInputError(f"{label} count is negative ({x})")
    if n <= 0:
        raise StatsInputError(f"{label} size must be positive, got {n}")
    if x > n:
        raise StatsInputError(f"{label} count ({x}) exceeds its sample size ({n})")


def compare_proportions(
    x1: int, n1: int, x2: int, n2: int, *, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "",
    method: Literal["auto", "z", "fisher"] = "auto",
) -> Comparison:
    """Two-proportion z-test (pooled, no continuity correction), or Fisher's exact test.

    With ``method="auto"`` Fisher's exact test replaces the z-test when any expected count of
    the 2x2 table is below 5; ``"z"`` or ``"fisher"`` force one.
    ``x1`` of ``n1`` before, ``x2`` of ``n2`` after. The interval for p2 - p1 is the
    unpooled Wald interval. Power and sample size: statsmodels ``NormalIndPower`` with
    Cohen's h (``proportion_effectsize``).
    """
    from scipy import stats

    _check_options(alternative, better, alpha)
    if method not in ("auto", "z", "fisher"):
        raise StatsInputError(f"method must be 'auto', 'z' or 'fisher', got {method!r}")
    _check_counts(x1, n1, "before")
    _check_counts(x2, n2, "after")
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    table = np.array([[x2, n2 - x2], [x1, n1 - x1]], dtype=float)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if pooled in (0.0, 1.0):
        raise StatsInputError("every item is a success (or none is) in both samples: "
                              "nothing to test")
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se0
    if method == "fisher" or (method == "auto" and expected.min() < 5):
        res = stats.fisher_exact(table.astype(int), alternative=alternative)
        test, statistic, p = "Fisher's exact test", float(res.statistic), float(res.pvalue)
        reason = (f"an expected count is below 5 ({expected.min():.2g}): Fisher's exact test"
                  if method == "auto" else "Fisher's exact test on request")
    else:
        test, statistic = "two-proportion z-test", z
        p = _z_p(z, alternative)
        reason = ("all expected counts are at least 5: two-proportion z-test"
                  if method == "auto" else "two-proportion z-test on request")
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    half = stats.norm.isf(alpha / 2) * se
    power, need = _power_prop(p1, p2, n1, n2, alpha, alternative)
    return _finish(
        test=test, statistic=statistic, p=p, df=None, alternative=alternative, alpha=alpha,
        better=better, measure="proportion", before=p1, after=p2, change=p2 - p1,
        ci=(p2 - p1 - half, p2 - p1 + half), n_b=int(n1), n_a=int(n2), n_missing=0,
        assumptions={"expected_counts": readonly(expected), "min_expected": float(expected.min()),
                     "n_before": int(n1), "n_after": int(n2)},
        power=power, n_needed=need, unit=unit, reason=reason,
    )


def _z_p(z: float, alternative: str) -> float:
    from scipy import stats

    if alternative == "less":
        return float(stats.norm.cdf(z))
    if alternative == "greater":
        return float(stats.norm.sf(z))
    return float(2 * stats.norm.sf(abs(z)))


def _power_prop(p1: float, p2: float, n1: int, n2: int, alpha: float,
                alternative: str) -> tuple[float | None, int | None]:
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    _load_sm_warnings()
    h = float(proportion_effectsize(p2, p1))
    if h == 0 or not math.isfinite(h):
        return None, None
    alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    if alt != "two-sided" and (h > 0) != (alt == "larger"):
        return None, None
    solver = NormalIndPower()
    with _quiet():
        power = solver.power(effect_size=h, nobs1=n1, ratio=n2 / n1, alpha=alpha,
                             alternative=alt)
        need = solver.solve_power(effect_size=abs(h) if alt == "two-sided" else h, nobs1=None,
                                  ratio=1.0, alpha=alpha, power=TARGET_POWER, alternative=alt)
    return _power_pair(power, need)


# -- rates ------------------------------------------------------------------------------------


def compare_rates(
    c1: int, t1: float, c2: int, t2: float, *, alternative: Alternative = "two-sided",
    better: Better = "lower", alpha: float = 0.05, unit: str = "",
) -> Comparison:
    """Exact conditional test of two Poisson rates (as R's ``poisson.test``).

    Given the total count, the after count is binomial with p = t2 / (t1 + t2) under equal
    rates; the test is SciPy's exact binomial test and the rate-ratio interval comes from the
    Clopper-Pearson interval for p. ``change`` is rate2 - rate1 (events per unit exposure);
    its interval is rate1 times (ratio interval - 1), and the percent interval is exact.
    statsmodels' score test (``test_poisson_2indep``) is reported in ``assumptions`` as a
    second opinion. ``power`` is statsmodels' ``power_poisson_ratio_2indep`` (Wald-type test
    of the log rate ratio) at the observed rates and exposures; no sample size is given,
    since for rates it is an exposure.
    """
    from scipy import stats
    from statsmodels.stats.rates import test_poisson_2indep

    _check_options(alternative, better, alpha)
    for label, c, t in (("before", c1, t1), ("after", c2, t2)):
        if isinstance(c, bool) or c != int(c) or c < 0:
            raise StatsInputError(f"{label} count must be a whole number >= 0, got {c!r}")
        if not (math.isfinite(t) and t > 0):
            raise StatsInputError(f"{label} exposure must be a positive number, got {t!r}")
        if not 1 / MAX_MAGNITUDE <= t <= MAX_MAGNITUDE:
            raise StatsInputError(f"{label} exposure {t:g} is out of range: rescale its unit")
    if not 1e-12 <= t1 / t2 <= 1e12:
        raise StatsInputError(f"exposures {t1:g} and {t2:g} differ by more than 10^12 times: "
                              "check that they are in the same unit")
    total = int(c1) + int(c2)
    if total == 0:
        raise StatsInputError("no events in either period: nothing to test")
    r1, r2 = c1 / t1, c2 / t2
    if r1 == 0:
        raise StatsInputError("no events before: the percent change is undefined")
    res = stats.binomtest(int(c2), total, t2 / (t1 + t2), alternative=alternative)
    pci = stats.binomtest(int(c2), total, t2 / (t1 + t2)).proportion_ci(1 - alpha)
    with np.errstate(divide="ignore"):
        ratio_ci = [pp / (1 - pp) * t1 / t2 if pp < 1 else math.inf
                    for pp in (pci.low, pci.high)]
    score = test_poisson_2indep(int(c2), t2, int(c1), t1, method="score",
                                alternative={"two-sided": "two-sided", "less": "smaller",
                                             "greater": "larger"}[alternative])
    return _finish(
        test="exact Poisson rate test (conditional binomial)", statistic=float(c2),
        p=res.pvalue, df=None, alternative=alternative, alpha=alpha, better=better,
        measure="rate", before=r1, after=r2, change=r2 - r1,
        ci=(r1 * (ratio_ci[0] - 1), r1 * (ratio_ci[1] - 1)), n_b=int(c1), n_a=int(c2),
        n_missing=0,
        assumptions={"rate_ratio": r2 / r1, "rate_ratio_ci": (ratio_ci[0], ratio_ci[1]),
                     "expected_after_count": total * t2 / (t1 + t2),
                     "score_test_p_value": float(score.pvalue)},
        power=_power_rates(r1, r2, t1, t2, alpha, alternative), n_needed=None, unit=unit,
        pct_ci=((ratio_ci[0] - 1) * 100, (ratio_ci[1] - 1) * 100),
    )


def _power_rates(r1: float, r2: float, t1: float, t2: float, alpha: float,
                 alternative: str) -> float | None:
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    if r2 <= 0 or r1 <= 0 or r1 == r2:
        return None
    alt = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alternative]
    if alt != "two-sided" and (r2 > r1) != (alt == "larger"):
        return None
    _load_sm_warnings()
    with _quiet():
        value = power_poisson_ratio_2indep(rate1=r2, rate2=r1, nobs1=t2, nobs_ratio=t1 / t2,
                                           value=1, alpha=alpha, alternative=alt,
                                           return_results=False)
    return _finite_or_none(value)


# -- several groups, tables -------------------------------------------------------------------


def anova_oneway(*groups: Any, welch: bool = False, alpha: float = 0.05) -> Anova:
    """One-way ANOVA F test; ``welch=True`` for Welch's test without equal variances."""
    from scipy import stats

    if len(groups) < 2:
        raise StatsInputError(f"ANOVA needs at least 2 groups, got {len(groups)}")
    clean = [clean_1d(g, name=f"group {i + 1}", min_n=2) for i, g in enumerate(groups)]
    xs = [c[0] for c in clean]
    if all(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("every group has zero variance: the F ratio is undefined")
    if welch and any(np.ptp(x) == 0 for x in xs):
        raise StatsInputError("Welch's ANOVA needs variation within every group")
    res = stats.f_oneway(*xs, equal_var=not welch)
    allx = np.concatenate(xs)
    means = np.array([x.mean() for x in xs])
    ns = np.array([x.size for x in xs])
    ssb = float(np.sum(ns * (means - allx.mean()) ** 2))
    ssw = float(sum(np.sum((x - x.mean()) ** 2) for x in xs))
    k, n = len(xs), allx.size
    df = (float(k - 1), _welch_df2(xs) if welch else float(n - k))
    return Anova(
        test="Welch's ANOVA" if welch else "one-way ANOVA", statistic=float(res.statistic),
        p_value=float(res.pvalue), df=df, group_n=readonly(ns, int), group_means=readonly(means),
        group_sds=readonly([x.std(ddof=1) for x in xs]), grand_mean=float(allx.mean()),
        ss_between=ssb, ss_within=ssw, ms_within=ssw / (n - k),
        significant=bool(res.pvalue < alpha), alpha=alpha,
        n_missing=sum(c[1] for c in clean),
    )


def _welch_df2(xs: list[np.ndarray]) -> float:
    """Denominator df of Welch's ANOVA: (k^2 - 1) / (3 sum((1 - w_i/W)^2 / (n_i - 1)))."""
    w = np.array([x.size / x.var(ddof=1) for x in xs])
    ns = np.array([x.size for x in xs])
    a = float(np.sum((1 - w / w.sum()) ** 2 / (ns - 1)))
    return (len(xs) ** 2 - 1) / (3 * a)


def chi_square(table: Any, *, correction: bool = True, alpha: float = 0.05) -> ChiSquare:
    """Pearson chi-square test of independence, Yates-corrected for 2x2 tables (as R)."""
    from scipy import stats

    try:
        t = np.array(table, dtype=float)
    except (TypeError, ValueError) as exc:
        raise StatsInputError(f"table: counts must be numbers ({exc})") from None
    if t.ndim != 2 or min(t.shape) < 2:
        raise StatsInputError(f"table must be 2-D with at least 2 rows and 2 columns, "
                              f"got shape {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(t != np.round(t)):
        raise StatsInputError("table: counts must be finite whole numbers >= 0")
    if np.any(t.sum(axis=0) == 0) or np.any(t.sum(axis=1) == 0):
        raise StatsInputError("table: a row or column has no counts")
    res = stats.chi2_contingency(t, correction=correction)
    yates = bool(correction and t.shape == (2, 2))
    warn = []
    if res.expected_freq.min() < 5:
        warn.append(f"an expected count is {res.expected_freq.min():.2g} (< 5): the chi-square "
                    "approximation may be poor; for a 2x2 table use Fisher's exact test")
    return ChiSquare(statistic=float(res.statistic), p_value=float(res.pvalue), df=int(res.dof),
                     expected=readonly(res.expected_freq), yates=yates,
                     significant=bool(res.pvalue < alpha), alpha=alpha, warnings=tuple(warn))


# -- the chooser ------------------------------------------------------------------------------


def compare(
    before: Any, after: Any, *, kind: Literal["continuous", "proportion", "rate"] = "continuous",
    better: Better = "lower", paired: bool = False, alpha: float = 0.05, unit: str = "",
) -> Comparison:
    """Choose the test the data call for and run it; ``reason`` says why.

    continuous: the t-test (Welch, or paired) unless a sample of fewer than 30 fails the
    normality check (Anderson-Darling, Shapiro-Wilk below 8 points, at 0.05), in which case
    Mann-Whitney (Wilcoxon signed-rank when paired). With 30 or more points per sample the
    t-test stands on the central limit theorem.
    proportion: ``before`` and ``after`` are (count, size) pairs.
    rate: ``before`` and ``after`` are (events, exposure) pairs.
    """
    if kind == "proportion":
        (x1, n1), (x2, n2) = _pair(before, "before"), _pair(after, "after")
        return compare_proportions(x1, n1, x2, n2, better=better, alpha=alpha, unit=unit)
    if kind == "rate":
        (c1, t1), (c2, t2) = _pair(before, "before"), _pair(after, "after")
        return compare_rates(c1, t1, c2, t2, better=better, alpha=alpha, unit=unit)
    if kind != "continuous":
        raise StatsInputError(f"kind must be 'continuous', 'proportion' or 'rate', got {kind!r}")
    b, a, _ = _two_samples(before, after, paired, min_n=2)
    samples = {"differences": a - b} if paired else {"before": b, "after": a}
    failing = [name for name, x in samples.items()
               if x.size < SMALL_SAMPLE and _is_normal(_normality(x)) is False]
    if failing:
        reason = (f"normality fails for the {' and '.join(failing)} on a small sample "
                  f"(< {SMALL_SAMPLE}): rank test")
        return compare_medians(before, after, paired=paired, better=better, alpha=alpha,
                               unit=unit, _reason=reason)
    untested = [name for name, x in samples.items() if x.size < 3]
    if paired:
        reason = "paired data, differences consistent with normal: paired t-test"
    elif min(b.size, a.size) >= SMALL_SAMPLE:
        reason = (f"{SMALL_SAMPLE} or more points per sample: Welch t-test "
                  "(the central limit theorem covers moderate non-normality)")
    else:
        reason = "samples consistent with normal: Welch t-test (no equal-variance assumption)"
    if untested:
        reason += f"; too few points to check normality of the {' and '.join(untested)}"
    return compare_means(before, after, paired=paired, better=better, alpha=alpha, unit=unit,
                         _reason=reason)


def _pair(value: Any, label: str) -> tuple[Any, Any]:
    try:
        first, second = value
    except (TypeError, ValueError):
        raise StatsInputError(f"{label}: expected a (count, size or exposure) pair, "
                              f"got {value!r}") from None
    return first, second
