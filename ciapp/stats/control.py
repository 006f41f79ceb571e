"""Control charts with stages, governed limits and tests for special causes.

``control_chart(kind, data, ...)`` looks the kind up in the explicit registry ``CHARTS`` and
returns a frozen ``ControlChart``. Limits are computed per stage from that stage's points
(less excluded ones), from a chosen baseline (``limits_from``), or from a validated control
card (``center`` / ``sigma``). Points are never dropped silently: missing values are listed
in ``missing``, and every index in the result (``violations``, ``excluded``, ``missing``,
``index``) is a 0-based position in the caller's data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._base import Result, StatsInputError, readonly
from .control_attributes import ATTRIBUTE_CHARTS
from .control_core import ChartSpec, Evaluated
from .control_stages import (
    estimate_all,
    excluded,
    finite,
    selection,
    stage_labels,
)
from .control_stages import segments as split_stages
from .control_variables import VARIABLE_CHARTS
from .rules import RULE_SETS, find_patterns
from .rulesets import RuleSet, resolve_rule_set

__all__ = ["CHARTS", "ControlChart", "control_chart"]

CHARTS: dict[str, ChartSpec] = {**VARIABLE_CHARTS, **ATTRIBUTE_CHARTS}


@dataclasses.dataclass(frozen=True, eq=False)
class ControlChart(Result):
    """A computed control chart.

    Attributes
    ----------
    kind, method : str
        Registry key and a description of the chart.
    statistics, center, lcl, ucl : ndarray
        Plotted values and the center line and limits that apply to each point (read-only,
        one value per plotted point). For CUSUM the statistics are the upper sums; for EWMA
        the smoothed series.
    sigma : float
        Process sigma behind the limits of the last stage (for Laney charts sigma_z, for
        p/np/c/u the binomial or Poisson sigma of one unit); per stage in ``stage_limits``.
    sigma_of_point : ndarray
        Standard deviation of each plotted statistic, the unit of the zones for the rules.
    sigma_method : str
        The estimator, e.g. ``"mean moving range / d2(2)"``, or ``"given"``.
    index : ndarray
        Position in the input of each plotted point (differs from 0..n-1 only when values
        were missing).
    stages : tuple or None
        Stage label of each plotted point.
    stage_limits : tuple of dict
        Per stage: label, first and last position, center, sigma, points used, and whether
        the limits were computed from the stage, inherited or given.
    violations : dict
        Rule number -> sorted input positions of the points that complete the pattern.
    rules : tuple of int
        The rules actually applied (see ``notes`` when some requested ones do not apply).
    rule_set : str or None
        Name of the rule set used (a published one such as ``"westgard"``, or a site's own);
        None when rule numbers were given directly.
    excluded : dict
        Input position -> reason, for points left out of the limit computation (still
        plotted and tested).
    missing : tuple of int
        Input positions dropped because their value was missing.
    upper, lower, smoothed, values : ndarray or None
        CUSUM upper and lower sums (lower as non-positive values), the EWMA series, and the
        raw series behind EWMA and CUSUM.
    """

    kind: str
    method: str
    statistics: np.ndarray
    center: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    sigma: float
    sigma_of_point: np.ndarray
    sigma_method: str
    nsigmas: float
    index: np.ndarray
    sizes: np.ndarray | None
    stages: tuple[Any, ...] | None
    stage_limits: tuple[dict[str, Any], ...]
    violations: dict[int, list[int]]
    rules: tuple[int, ...]
    run_lengths: dict[int, float]
    excluded: dict[int, str]
    missing: tuple[int, ...]
    limits_from: str | None
    upper: np.ndarray | None = None
    lower: np.ndarray | None = None
    smoothed: np.ndarray | None = None
    values: np.ndarray | None = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    notes: tuple[str, ...] = ()
    rule_set: str | None = None

    @property
    def signals(self) -> list[int]:
        """Sorted input positions flagged by any rule."""
        return sorted({i for hits in self.violations.values() for i in hits})


# --- rules ----------------------------------------------------------------------------


def _rules_for(spec: ChartSpec, kind: str, rules: Any, run_lengths: Any):
    name, chosen, lengths = resolve_rule_set(rules, run_lengths)
    notes: list[str] = []
    named = isinstance(rules, (str, RuleSet))
    if named and spec.named_rules is not None and name != "none":
        narrowed = tuple(r for r in chosen if r in spec.named_rules)
        if narrowed != chosen:
            notes.append(f"rule set {name!r} on a {kind!r} chart applies rule(s) "
                         f"{list(narrowed)} only (as Minitab does by default)")
        chosen = narrowed
    dropped = [r for r in chosen if r not in spec.allowed_rules]
    if dropped:
        notes.append(f"rules {dropped} do not apply to a {kind!r} chart (its statistic is "
                     "not symmetric and normal) and were skipped")
        chosen = tuple(r for r in chosen if r in spec.allowed_rules)
    return name, chosen, lengths, notes


def _violations(ev: Evaluated, chosen, lengths, segments, index,
                n_total: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    # plotted point j is input position index[j]; with nothing missing that is j itself
    to_input = (lambda hits: hits.tolist()) if index.size == n_total else \
        (lambda hits: index[hits].tolist())
    if 1 in chosen:
        x = ev.statistics
        with np.errstate(invalid="ignore"):
            beyond = (x > ev.ucl) | (x < ev.lcl)
            if "lower" in ev.extra:
                beyond |= ev.extra["lower"] < ev.lcl
        out[1] = to_input(np.flatnonzero(beyond))
    others = tuple(r for r in chosen if r != 1)
    if others:
        found = find_patterns(ev.statistics, ev.center, ev.sigma_point, rules=others,
                              run_lengths={r: v for r, v in lengths.items() if r != 1},
                              segments=segments)
        out.update({r: to_input(v) for r, v in found.items()})
    return dict(sorted(out.items()))


# --- the public entry point -------------------------------------------------------------


def _join(parts: list[Evaluated]) -> Evaluated:
    if len(parts) == 1:
        return parts[0]
    cat = np.concatenate
    keys = parts[0].extra.keys()
    return Evaluated(cat([p.statistics for p in parts]), cat([p.center for p in parts]),
                     cat([p.lcl for p in parts]), cat([p.ucl for p in parts]),
                     cat([p.sigma_point for p in parts]),
                     {k: cat([p.extra[k] for p in parts]) for k in keys})


def _stage_summary(segments, estimates, labels, index) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"label": labels[a] if labels is not None else None,
         "first": int(index[a]), "last": int(index[b - 1]),
         "center": est.center, "sigma": est.sigma, "n_used": est.n_base, "limits": how,
         **{k: v for k, v in est.params.items()}}
        for (a, b), (est, how) in zip(segments, estimates, strict=True)
    )


def _check_finite(ev: Evaluated) -> None:
    for name in ("center", "lcl", "ucl"):
        if not np.isfinite(_head(getattr(ev, name))).all():
            raise StatsInputError(f"the {name} could not be computed: the values are too "
                                  "large or too small in magnitude")
    # A sigma that underflowed to 0 (or to denormals) would flag every point: refuse it.
    if not (_head(ev.sigma_point) >= np.finfo(float).tiny).all():
        raise StatsInputError("the standard deviation of the plotted points is below the "
                              "floating-point range (about 1e-308): the values or sizes are "
                              "too extreme in magnitude; rescale them (another unit)")


def control_chart(
    kind: str,
    data: Any,
    sizes: Any = None,
    *,
    stages: Sequence[Any] | None = None,
    limits_from: Any = None,
    center: float | None = None,
    sigma: float | None = None,
    nsigmas: float = 3,
    sigma_method: str | None = None,
    rules: str | RuleSet | Sequence[int] | None = "nelson",
    **options: Any,
) -> ControlChart:
    """Compute a control chart of ``kind`` (a key of ``CHARTS``).

    Parameters
    ----------
    kind : str
        ``i``, ``mr``, ``xbar``, ``r``, ``s``, ``p``, ``np``, ``c``, ``u``, ``laney_p``,
        ``laney_u``, ``ewma``, ``cusum``, ``g`` or ``t``.
    data : array-like
        Individual values (i, mr, g, t, and ewma/cusum), subgroups as a 2-D array or a list
        of unequal-length lists (xbar, r, s, and ewma/cusum on subgroup means), or counts
        (p, np: defectives; c, u: defects; Laney charts).
    sizes : array-like or number, optional
        Sample size per point for p, np, u and the Laney charts.
    stages : sequence, optional
        A label per input point; each run of equal labels is a stage with its own limits.
    limits_from : slice, boolean mask or stage label, optional
        The points whose data set the limits (phase I); other points are judged against
        them. With a stage label, that stage's limits also apply to every later stage.
    center, sigma : float, optional
        Values from a validated control card; they replace the estimates in every stage.
        For p/np the center is p-bar, for c/u the rate, for g the mean count between events.
    nsigmas : float
        Width of the limits in sigmas of the plotted statistic (and of EWMA's L by default).
    sigma_method : str, optional
        ``xbar``/``r``/``ewma``/``cusum`` on subgroups: ``"rbar"`` (default), ``"sbar"`` or
        ``"pooled"``; ``s``: Sbar/c4 for equal sizes, ``"pooled"`` otherwise (default).
    rules : str, RuleSet or sequence of int
        A name from ``RULE_SETS`` (``"nelson"``, ``"western_electric"``, ``"montgomery"``,
        ``"aiag"``, ``"westgard"``, ``"ihi"``/``"healthcare"``...), a site's own ``RuleSet``
        (``rulesets.custom_rule_set``), or rule numbers 1-12. Rules 5-12 need a symmetric
        normal statistic and are applied to i, xbar only; p, np, c, u, Laney, g and t charts take
        rules 1-4 (as in Minitab); named sets on mr, r and s apply rule 1 only, explicit
        tuples there may add rules 2-4; EWMA and CUSUM take rule 1 (beyond the limits or the
        decision interval). Rule 1 is always "beyond the chart's limits", so floored or
        probability limits are honoured.
    **options
        ``exclude`` ({position: reason} or positions), ``run_lengths`` ({rule: K}),
        ``lam`` and ``L`` (EWMA, defaults 0.2 and ``nsigmas``), ``k`` and ``h`` (CUSUM, in
        sigmas of the plotted mean, defaults 0.5 and 4), ``method`` (t chart: ``"weibull"``
        default, ``"exponential"`` or ``"transform"`` for x^(1/3.6)).

    Raises
    ------
    StatsInputError
        For an unknown kind or option, too few points, a subgroup of one for Xbar/R/S,
        negative counts or more defectives than the sample, sizes missing or mismatched,
        zero sigma, infinite values.
    """
    spec = CHARTS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise StatsInputError(f"unknown chart kind {kind!r}; choose one of {', '.join(CHARTS)}")
    exclude = options.pop("exclude", None)
    run_lengths = options.pop("run_lengths", None)
    unknown = set(options) - spec.options
    if unknown:
        raise StatsInputError(f"unknown option(s) for a {kind!r} chart: {sorted(unknown)}")
    k = finite(nsigmas, "nsigmas")
    if k <= 0:
        raise StatsInputError(f"nsigmas must be positive, got {nsigmas}")
    opts = {**options, "sigma_method": sigma_method}
    try:
        with np.errstate(all="ignore"):  # magnitudes are checked on the result
            return _build(kind, spec, data, sizes, stages, limits_from, center, sigma, k,
                          opts, rules, run_lengths, exclude)
    except OverflowError:
        raise StatsInputError("values too large in magnitude to compute limits") from None


def _build(kind, spec, data, sizes, stages, limits_from, center, sigma, k, opts, rules,
           run_lengths, exclude) -> ControlChart:
    prep = spec.prepare(data, sizes, opts)
    labels = stage_labels(stages, prep)
    segments = split_stages(labels, prep.values.size)
    excluded_mask, reasons = excluded(exclude, prep)
    chosen_base, described = selection(limits_from, prep, labels)
    base = chosen_base & ~excluded_mask
    estimates = estimate_all(spec, kind, prep, segments, base, opts, labels, center, sigma)
    parts = [spec.evaluate(prep, slice(a, b), est, k, opts)
             for (a, b), (est, _) in zip(segments, estimates, strict=True)]
    ev = _join(parts)
    _check_finite(ev)
    rule_set, chosen, lengths, notes = _rules_for(spec, kind, rules, run_lengths)
    last = estimates[-1][0]
    return ControlChart(
        kind=kind, method=spec.title,
        statistics=_frozen(ev.statistics), center=_frozen(ev.center),
        lcl=_frozen(ev.lcl), ucl=_frozen(ev.ucl),
        sigma=float(last.sigma), sigma_of_point=_frozen(ev.sigma_point),
        sigma_method=last.sigma_method, nsigmas=k, index=_frozen_index(prep.index),
        sizes=readonly(prep.sizes) if prep.sizes is not None else None,
        stages=tuple(labels) if labels is not None else None,
        stage_limits=_stage_summary(segments, estimates, labels, prep.index),
        violations=_violations(ev, chosen, lengths, segments, prep.index, prep.n_total),
        rules=chosen, run_lengths={r: lengths[r] for r in chosen},
        excluded=reasons, missing=tuple(prep.missing), limits_from=described,
        upper=_maybe(ev, "upper"), lower=_maybe(ev, "lower"),
        smoothed=_maybe(ev, "smoothed"), values=_maybe(ev, "values"),
        params={**last.params, **_chart_params(kind, opts, k)},
        notes=tuple(prep.notes + notes + _limit_notes(kind)), rule_set=rule_set,
    )


def _frozen_index(index: np.ndarray) -> np.ndarray:
    """Positions are our own array (never the caller's): freeze it rather than copy it."""
    out = index.astype(int, copy=False).view()
    out.setflags(write=False)
    return out


def _head(arr: np.ndarray) -> np.ndarray:
    """A constant (zero-stride) array's one value, else the array: checks cost no pass."""
    return arr[:1] if arr.ndim == 1 and arr.size and arr.strides[0] == 0 else arr


def _maybe(ev: Evaluated, key: str) -> np.ndarray | None:
    return _frozen(ev.extra[key]) if key in ev.extra else None


def _frozen(arr: np.ndarray) -> np.ndarray:
    """Read-only without a copy: evaluate() returns arrays no caller can reach."""
    out = np.asarray(arr, dtype=float).view()
    out.setflags(write=False)
    return out


def _chart_params(kind: str, opts: Mapping[str, Any], k: float) -> dict[str, Any]:
    if kind == "ewma":
        return {"lam": float(opts.get("lam", 0.2)), "L": float(opts.get("L", k))}
    if kind == "cusum":
        return {"k": float(opts.get("k", 0.5)), "h": float(opts.get("h", 4.0))}
    if kind == "t":
        return {"method": opts.get("method", "weibull")}
    return {}


_LIMIT_NOTES = {
    "p": "LCL floored at 0 and UCL capped at 1",
    "np": "LCL floored at 0 and UCL capped at n",
    "c": "LCL floored at 0",
    "u": "LCL floored at 0",
    "laney_p": "LCL floored at 0 and UCL capped at 1",
    "laney_u": "LCL floored at 0",
    "g": "probability limits of the geometric distribution at the normal tail areas of "
         "+/- nsigmas (Minitab's G chart); center line is the median",
    "cusum": "statistics are the upper sums; lcl/ucl are -/+ h; in data units when subgroup "
             "sizes are equal, in standard errors otherwise",
}


def _limit_notes(kind: str) -> list[str]:
    return [_LIMIT_NOTES[kind]] if kind in _LIMIT_NOTES else []


# Re-exported for discoverability next to the charts.
RULE_SET_NAMES = tuple(RULE_SETS)
