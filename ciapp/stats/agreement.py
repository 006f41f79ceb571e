"""Attribute agreement analysis: the measurement check for pass/fail or graded inspection.

Follows Minitab's Attribute Agreement Analysis (Stat > Quality Tools): each appraiser rates
each sample the same number of times (trials), optionally against a known standard.

- Within appraiser (repeatability): a sample matches when all of the appraiser's trials
  agree; Fleiss' kappa with the trials as raters; Cohen's kappa when there are two trials.
- Each appraiser vs standard: a sample matches when every trial equals the standard; kappa
  is the mean over trials of the kappa of (trial, standard), as Minitab computes it.
- Between appraisers (reproducibility): a sample matches when every rating of every
  appraiser agrees; Fleiss' kappa with all appraiser-trials as raters; Cohen's kappa for
  two appraisers with one trial each.
- All appraisers vs standard: a sample matches when every rating equals the standard; kappa
  is the mean over all appraiser-trials of the kappa against the standard.

Percent matched carries an exact (Clopper-Pearson) interval, one-sided when all or none
matched (as Minitab). The summary rates the
headline kappa with the AIAG MSA guideline (4th ed.): above 0.75 good agreement, 0.40 to
0.75 marginal, below 0.40 poor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, StatsInputError
from .kappa import (
    CohenKappa,
    FleissKappa,
    average_cohen,
    average_fleiss,
    cohen_from_table,
    fleiss_from_counts,
    label,
    order_categories,
)

__all__ = ["AgreementRow", "AttributeAgreement", "attribute_agreement"]

KAPPA_GOOD = 0.75
KAPPA_POOR = 0.40


@dataclass(frozen=True)
class AgreementRow(Result):
    """One line of an assessment agreement table, with its kappas.

    ``appraiser`` is None for the rows about all appraisers. ``percent`` and the interval
    are in percent. ``cohen`` is None where Cohen's kappa does not apply (more than two
    rating sets compared at once).
    """

    appraiser: str | None
    inspected: int
    matched: int
    percent: float
    ci_low: float
    ci_high: float
    fleiss: FleissKappa
    cohen: CohenKappa | None


@dataclass(frozen=True)
class AttributeAgreement(Result):
    """Result of ``attribute_agreement``.

    ``within_appraiser`` is empty with one trial; ``vs_standard`` is empty and
    ``all_vs_standard`` None without a standard; ``between_appraisers`` is None with one
    appraiser. ``acceptability`` is "good", "marginal" or "poor" for the headline kappa
    named in ``verdict`` (all appraisers vs standard when there is a standard, else between
    appraisers, else within the one appraiser).
    """

    n_samples: int
    n_appraisers: int
    n_trials: int
    appraisers: tuple[str, ...]
    categories: tuple[str, ...]
    has_standard: bool
    confidence: float
    within_appraiser: tuple[AgreementRow, ...]
    vs_standard: tuple[AgreementRow, ...]
    between_appraisers: AgreementRow | None
    all_vs_standard: AgreementRow | None
    acceptability: str
    verdict: str
    method: str


def clopper_pearson(matched: int, n: int, confidence: float) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for matched / n, as a proportion.

    When every sample matched (or none did) the interval is one-sided, all of 1 - confidence
    on the open side, as Minitab prints it: 15 of 15 gives (81.90%, 100%), not the two-sided
    (78.20%, 100%).
    """
    from scipy import stats

    alpha = 1 - confidence
    if matched == n:
        return float(stats.beta.ppf(alpha, n, 1)), 1.0
    if matched == 0:
        return 0.0, float(stats.beta.ppf(1 - alpha, 1, n))
    return (float(stats.beta.ppf(alpha / 2, matched, n - matched + 1)),
            float(stats.beta.ppf(1 - alpha / 2, matched + 1, n - matched)))


def _labels(values: Any, name: str, n: int | None = None) -> list[str]:
    if isinstance(values, (str, bytes)):
        raise StatsInputError(f"{name}: expected a sequence, got text")
    out = [label(v, name, i + 1) for i, v in enumerate(values)]
    if n is not None and len(out) != n:
        raise StatsInputError(f"{name}: expected {n} values, one per rating, got {len(out)}")
    return out


def _layout(ratings: list[str], samples: list[str], appraisers: list[str], cats: list[str]
            ) -> tuple[list[str], np.ndarray]:
    """The ratings as an (samples x appraisers x trials) array of category numbers."""
    sample_names = list(dict.fromkeys(samples))
    appraiser_names = list(dict.fromkeys(appraisers))
    cells: dict[tuple[str, str], list[str]] = {}
    for r, s, a in zip(ratings, samples, appraisers, strict=True):
        cells.setdefault((s, a), []).append(r)
    trials = {len(v) for v in cells.values()}
    for s in sample_names:
        for a in appraiser_names:
            if (s, a) not in cells:
                raise StatsInputError(f"appraiser {a!r} never rated sample {s!r}; every "
                                      "appraiser must rate every sample")
    if len(trials) > 1:
        raise StatsInputError(f"unbalanced study: appraisers rated a sample between "
                              f"{min(trials)} and {max(trials)} times; every appraiser needs "
                              "the same number of trials on every sample")
    index = {c: j for j, c in enumerate(cats)}
    t = trials.pop()
    grid = np.array([[[index[r] for r in cells[(s, a)]] for a in appraiser_names]
                     for s in sample_names])
    return appraiser_names, grid.reshape(len(sample_names), -1, t)


def _standard(standard: Any, samples: list[str], sample_names: list[str]) -> list[str]:
    if isinstance(standard, Mapping):
        given = {label(k, "standard sample", i + 1): label(v, "standard", i + 1)
                 for i, (k, v) in enumerate(standard.items())}
        missing = [s for s in sample_names if s not in given]
        if missing:
            raise StatsInputError(f"standard: no known value for sample {missing[0]!r}")
        return [given[s] for s in sample_names]
    rows = _labels(standard, "standard", len(samples))
    per_sample: dict[str, str] = {}
    for s, v in zip(samples, rows, strict=True):
        if per_sample.setdefault(s, v) != v:
            raise StatsInputError(f"standard: sample {s!r} has two known values "
                                  f"({per_sample[s]!r} and {v!r}); it needs one")
    return [per_sample[s] for s in sample_names]


def _counts(codes: np.ndarray, k: int) -> np.ndarray:
    """(samples x raters) category numbers -> (samples x categories) counts."""
    return np.stack([(codes == j).sum(axis=1) for j in range(k)], axis=1).astype(float)


def _cross(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(float)


def _row(name: str | None, matches: np.ndarray, fleiss: FleissKappa,
         cohen: CohenKappa | None, confidence: float) -> AgreementRow:
    n, hit = int(matches.size), int(matches.sum())
    low, high = clopper_pearson(hit, n, confidence)
    return AgreementRow(appraiser=name, inspected=n, matched=hit, percent=100 * hit / n,
                        ci_low=100 * low, ci_high=100 * high, fleiss=fleiss, cohen=cohen)


def attribute_agreement(
    ratings: Any, samples: Any, appraisers: Any, *, standard: Any = None,
    confidence: float = 0.95,
) -> AttributeAgreement:
    """Attribute agreement analysis of a balanced study in long form (one row per rating).

    Parameters
    ----------
    ratings, samples, appraisers : sequences of equal length
        Labels of any kind (1, 1.0 and "1" are the same). Repeated (sample, appraiser)
        rows are the trials, in the order given (the order matters only to Cohen's kappa
        of two trials).
    standard : sequence aligned with the ratings, or mapping sample -> known value
        The known (master) rating of each sample, optional.
    confidence : float
        Level of the Clopper-Pearson intervals for percent matched.

    Raises
    ------
    StatsInputError
        Missing labels, unequal lengths, an appraiser who skipped a sample, unequal trials,
        fewer than 2 samples, a sample with two standards, or nothing to compare (one
        appraiser, one trial and no standard).
    """
    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise StatsInputError(f"confidence must be between 0 and 1, got {confidence!r}")
    r = _labels(ratings, "ratings")
    s = _labels(samples, "samples", len(r))
    a = _labels(appraisers, "appraisers", len(r))
    sample_names = list(dict.fromkeys(s))
    if len(sample_names) < 2:
        raise StatsInputError(f"need at least 2 samples, got {len(sample_names)}")
    std_labels = _standard(standard, s, sample_names) if standard is not None else []
    cats = order_categories(set(r) | set(std_labels))
    names, grid = _layout(r, s, a, cats)
    n, n_app, t = grid.shape
    std = np.array([cats.index(v) for v in std_labels]) if standard is not None else None
    if t < 2 and n_app < 2 and std is None:
        raise StatsInputError("nothing to compare: one appraiser rated each sample once and "
                              "there is no standard; add trials, appraisers or a standard")
    k = len(cats)
    within = tuple(
        _row(name, np.all(grid[:, i, :] == grid[:, i, :1], axis=1),
             fleiss_from_counts(_counts(grid[:, i, :], k), cats),
             cohen_from_table(_cross(grid[:, i, 0], grid[:, i, 1], k)) if t == 2 else None,
             confidence)
        for i, name in enumerate(names)) if t >= 2 else ()
    vs_std: tuple[AgreementRow, ...] = ()
    all_std = None
    if std is not None:
        pairs = [[(fleiss_from_counts(_counts(np.column_stack([grid[:, i, j], std]), k), cats),
                   cohen_from_table(_cross(grid[:, i, j], std, k))) for j in range(t)]
                 for i in range(n_app)]
        vs_std = tuple(
            _row(name, np.all(grid[:, i, :] == std[:, None], axis=1),
                 average_fleiss([f for f, _ in pairs[i]]),
                 average_cohen([c for _, c in pairs[i]]), confidence)
            for i, name in enumerate(names))
        flat = [p for row in pairs for p in row]
        all_std = _row(None, np.all(grid == std[:, None, None], axis=(1, 2)),
                       average_fleiss([f for f, _ in flat]),
                       average_cohen([c for _, c in flat]), confidence)
    between = None
    if n_app >= 2:
        everyone = grid.reshape(n, -1)
        between = _row(None, np.all(everyone == everyone[:, :1], axis=1),
                       fleiss_from_counts(_counts(everyone, k), cats),
                       cohen_from_table(_cross(grid[:, 0, 0], grid[:, 1, 0], k))
                       if n_app == 2 and t == 1 else None, confidence)
    rating, verdict = _verdict(within, between, all_std)
    return AttributeAgreement(
        n_samples=n, n_appraisers=n_app, n_trials=t, appraisers=tuple(names),
        categories=tuple(cats), has_standard=std is not None, confidence=float(confidence),
        within_appraiser=within, vs_standard=vs_std, between_appraisers=between,
        all_vs_standard=all_std, acceptability=rating, verdict=verdict,
        method=("Attribute agreement analysis (as Minitab): percent matched with exact "
                f"Clopper-Pearson {confidence:.0%} intervals; Fleiss' kappa (Fleiss 1971) "
                "with standard errors under H0 (Fleiss, Nee & Landis 1979), one-sided "
                "p-values; kappa vs standard averaged over trials; Cohen's kappa for two "
                "rating sets"),
    )


def _verdict(within: tuple[AgreementRow, ...], between: AgreementRow | None,
             all_std: AgreementRow | None) -> tuple[str, str]:
    if all_std is not None:
        row, what = all_std, "all appraisers vs the standard"
    elif between is not None:
        row, what = between, "between appraisers"
    else:
        row, what = within[0], f"within appraiser {within[0].appraiser}"
    kappa = row.fleiss.kappa
    agree = (f"{row.matched} of {row.inspected} samples ({row.percent:.1f}%) matched "
             f"{what}")
    if not math.isfinite(kappa):
        return "undefined", (f"Kappa {what} is undefined: every rating is in one category, "
                             f"so agreement cannot be told from chance; {agree}.")
    if kappa > KAPPA_GOOD:
        rating, text = "good", "Good agreement"
    elif kappa >= KAPPA_POOR:
        rating, text = "marginal", "Marginal agreement"
    else:
        rating, text = "poor", "Poor agreement"
    return rating, (f"{text}: Fleiss' kappa {what} is {kappa:.3f} (AIAG: above 0.75 is good, "
                    f"below 0.40 poor); {agree}.")
