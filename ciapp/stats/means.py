"""Means and spread: Welch / Student / paired t-tests and the tests for equal variances."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from ._base import StatsInputError
from ._compare_core import (
    TARGET_POWER,
    Alternative,
    Better,
    Comparison,
    _assumptions,
    _check_options,
    _finish,
    _load_sm_warnings,
    _no_spread,
    _power_pair,
    _quiet,
    _two_samples,
    pow2_scale,
)

__all__ = ["compare_means", "compare_variances"]


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
    b0, a0, n_missing = _two_samples(before, after, paired, min_n=2)
    _no_spread(b0, a0)
    scale = pow2_scale(b0, a0)  # exact; variances of 1e-300 data would underflow to 0
    b, a = b0 / scale, a0 / scale
    with _quiet():
        res, test, effect = _t_core(a, b, paired, equal_var, alternative)
        ci = res.confidence_interval(confidence_level=1 - alpha)
    if not math.isfinite(res.statistic):
        raise StatsInputError("the t statistic is undefined: no variation within the samples "
                              "(or within the paired differences)")
    ci = (float(ci.low), float(ci.high)) if alternative == "two-sided" else _two_sided_t_ci(
        a, b, paired, equal_var, alpha)
    power, need = _power_t(effect, b.size, a.size, alpha, alternative, paired)
    desc = {"paired t-test": "paired t-test on after - before",
            "Welch t-test": "Welch t-test, Welch-Satterthwaite df (no equal-variance assumption)",
            }.get(test, "Student's 2-sample t-test, pooled variance")
    return _finish(
        test=test, statistic=res.statistic, p=res.pvalue, df=float(res.df),
        alternative=alternative, alpha=alpha, better=better, measure="mean",
        before=b0.mean(), after=a0.mean(), change=(a.mean() - b.mean()) * scale,
        ci=(ci[0] * scale, ci[1] * scale), n_b=b.size, n_a=a.size, n_missing=n_missing,
        assumptions=_assumptions(b, a, paired), power=power, n_needed=need, unit=unit,
        reason=_reason, method=desc,
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
    scale = pow2_scale(b, a)  # ratios do not depend on it; sds are reported in data units
    b, a = b / scale, a / scale
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
        better=better, measure="standard deviation", before=sb * scale, after=sa * scale,
        change=(sa - sb) * scale, ci=(sb * scale * (sd_ratio_ci[0] - 1),
                                      sb * scale * (sd_ratio_ci[1] - 1)), n_b=b.size, n_a=a.size,
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


