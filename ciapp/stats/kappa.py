"""Chance-corrected agreement: Fleiss' kappa (any number of raters) and Cohen's kappa (two).

Fleiss' kappa follows Fleiss (1971); its standard errors are those under H0: kappa = 0 of
Fleiss, Nee & Landis (1979), the ones Minitab's Attribute Agreement Analysis and R's
``irr::kappam.fleiss(detail = TRUE)`` print. Cohen's kappa and its null standard error
(Fleiss, Cohen & Everitt 1969) come from ``statsmodels.stats.inter_rater``. P-values are
one-sided, H1: kappa > 0, as Minitab's "P(vs > 0)": agreement worse than chance is not what
an attribute study tries to detect.

A kappa is NaN where it is undefined (every rating in one category, so chance agreement is
already perfect); Minitab prints "*" there. ``to_dict()`` turns NaN into None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._base import Result, StatsInputError

__all__ = ["CohenKappa", "FleissKappa", "cohens_kappa", "fleiss_kappa"]


@dataclass(frozen=True)
class FleissKappa(Result):
    """Fleiss' kappa over all categories and for each category (a 2-category split).

    ``by_category`` maps each category that occurs to a dict with kappa, se, z, p_value.
    ``n_subjects`` and ``n_raters`` describe one table; for an average over several tables
    (``n_tables`` > 1) kappa is the mean and se = sqrt(sum of se^2) / n_tables.
    """

    kappa: float
    se: float
    z: float
    p_value: float
    by_category: dict[str, dict[str, float]]
    n_subjects: int
    n_raters: int
    n_tables: int
    method: str


@dataclass(frozen=True)
class CohenKappa(Result):
    """Cohen's (unweighted) kappa of two raters; ``se`` is the standard error under H0."""

    kappa: float
    se: float
    z: float
    p_value: float
    observed_agreement: float
    expected_agreement: float
    n_subjects: int
    n_tables: int
    method: str


def _test(kappa: float, se: float) -> tuple[float, float]:
    from scipy import stats

    if not (math.isfinite(kappa) and math.isfinite(se)) or se <= 0:
        return math.nan, math.nan
    z = kappa / se
    return z, float(stats.norm.sf(z))


def fleiss_from_counts(counts: np.ndarray, categories: Sequence[str]) -> FleissKappa:
    """Fleiss' kappa from an (subjects x categories) table of rating counts.

    Every row must sum to the same number of raters m >= 2 (checked by the callers that
    build the table; ``fleiss_kappa`` checks user tables).
    """
    import warnings

    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    counts = np.asarray(counts, dtype=float)
    n, m = counts.shape[0], int(round(counts[0].sum()))
    p = counts.sum(axis=0) / (n * m)
    pq = p * (1 - p)
    base = math.sqrt(2.0 / (n * m * (m - 1)))
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(sm_fleiss(counts, method="fleiss")) if pq.sum() > 0 else math.nan
    total_pq = float(pq.sum())
    if total_pq > 0:
        se = base * math.sqrt(max(total_pq ** 2 - float(np.sum(pq * (1 - 2 * p))), 0.0)) \
            / total_pq
    else:
        se = math.nan
    z, pv = _test(kappa, se)
    by_cat: dict[str, dict[str, float]] = {}
    for j, name in enumerate(categories):
        if p[j] == 0:
            continue  # a category nobody used has no kappa (Minitab leaves it out)
        if pq[j] > 0:
            kj = 1 - float(np.sum(counts[:, j] * (m - counts[:, j]))) \
                / (n * m * (m - 1) * float(pq[j]))
        else:
            kj = math.nan
        zj, pj = _test(kj, base)
        by_cat[str(name)] = {"kappa": kj, "se": base, "z": zj, "p_value": pj}
    return FleissKappa(kappa=kappa, se=se, z=z, p_value=pv, by_category=by_cat, n_subjects=n,
                       n_raters=m, n_tables=1,
                       method="Fleiss' kappa (Fleiss 1971); standard errors under H0 "
                              "(Fleiss, Nee & Landis 1979); one-sided p, H1: kappa > 0")


def cohen_from_table(table: np.ndarray) -> CohenKappa:
    """Cohen's kappa from a square table of counts (rater 1 rows x rater 2 columns)."""
    import warnings

    from statsmodels.stats.inter_rater import cohens_kappa as sm_cohen

    table = np.asarray(table, dtype=float)
    n = float(table.sum())
    po = float(np.trace(table)) / n
    pe = float(np.sum(table.sum(axis=1) * table.sum(axis=0))) / n ** 2
    if pe >= 1.0:
        kappa = se = math.nan
    else:
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            res = sm_cohen(table)
        kappa, se = float(res.kappa), float(res.std_kappa0)
    z, pv = _test(kappa, se)
    return CohenKappa(kappa=kappa, se=se, z=z, p_value=pv, observed_agreement=po,
                      expected_agreement=pe, n_subjects=int(n), n_tables=1,
                      method="Cohen's kappa (unweighted); standard error under H0 "
                             "(Fleiss, Cohen & Everitt 1969); one-sided p, H1: kappa > 0")


def average_fleiss(results: Sequence[FleissKappa]) -> FleissKappa:
    """Mean of several kappas (each trial vs the standard), as Minitab reports them.

    The tables are treated as independent, so se = sqrt(sum se^2) / k; per category the mean
    is over the tables where that category's kappa is defined.
    """
    kappa, se = _mean_kappa([(r.kappa, r.se) for r in results])
    z, pv = _test(kappa, se)
    names = order_categories({c for r in results for c in r.by_category})
    by_cat = {}
    for c in names:
        kc, sc = _mean_kappa([(r.by_category[c]["kappa"], r.by_category[c]["se"])
                              for r in results if c in r.by_category])
        zc, pc = _test(kc, sc)
        by_cat[c] = {"kappa": kc, "se": sc, "z": zc, "p_value": pc}
    first = results[0]
    return FleissKappa(kappa=kappa, se=se, z=z, p_value=pv, by_category=by_cat,
                       n_subjects=first.n_subjects, n_raters=first.n_raters,
                       n_tables=len(results),
                       method=first.method + f"; mean of {len(results)} tables")


def average_cohen(results: Sequence[CohenKappa]) -> CohenKappa:
    kappa, se = _mean_kappa([(r.kappa, r.se) for r in results])
    z, pv = _test(kappa, se)
    first = results[0]
    return CohenKappa(kappa=kappa, se=se, z=z, p_value=pv,
                      observed_agreement=float(np.mean([r.observed_agreement for r in results])),
                      expected_agreement=float(np.mean([r.expected_agreement for r in results])),
                      n_subjects=first.n_subjects, n_tables=len(results),
                      method=first.method + f"; mean of {len(results)} tables")


def _mean_kappa(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    ok = [(k, s) for k, s in pairs if math.isfinite(k) and math.isfinite(s)]
    if not ok:
        return math.nan, math.nan
    return (float(np.mean([k for k, _ in ok])),
            math.sqrt(sum(s * s for _, s in ok)) / len(ok))


def label(value: Any, name: str, position: int) -> str:
    """One rating as text: 1, 1.0 and "1" are the same category; missing values raise."""
    if value is None or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        raise StatsInputError(f"{name}: value {position} is missing; every rating is needed")
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isinf(value):
            raise StatsInputError(f"{name}: value {position} is infinite")
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value).strip()
    if not text:
        raise StatsInputError(f"{name}: value {position} is empty; every rating is needed")
    return text


def order_categories(names: set[str]) -> list[str]:
    """Numeric order when every category is a number (-2 < -1 < 0), else alphabetical."""
    try:
        return sorted(names, key=float)
    except ValueError:
        return sorted(names)


def fleiss_kappa(ratings: Any, *, counts: bool = False) -> FleissKappa:
    """Fleiss' kappa of subjects rated by the same number of raters.

    Parameters
    ----------
    ratings : 2-D sequence
        Subjects x raters table of category labels; or, with ``counts=True``, a subjects x
        categories table of how many raters chose each category (categories are then named
        by column number, from 1).

    Raises
    ------
    StatsInputError
        Fewer than 2 subjects or raters, missing ratings, rows of counts with different
        totals or negative or fractional counts.
    """
    if counts:
        try:
            table = np.asarray(ratings, dtype=float)
        except (TypeError, ValueError) as exc:
            raise StatsInputError(f"counts must be numbers ({exc})") from None
        if table.ndim != 2 or table.shape[0] < 2 or table.shape[1] < 2:
            raise StatsInputError("counts: expected a subjects x categories table with at "
                                  "least 2 rows and 2 columns")
        if not np.all(np.isfinite(table)) or (table < 0).any() or \
                not np.all(table == np.round(table)):
            raise StatsInputError("counts must be whole numbers of raters, 0 or more")
        totals = table.sum(axis=1)
        if totals.min() != totals.max():
            row = int(np.flatnonzero(totals != totals[0])[0]) + 1
            raise StatsInputError(f"counts: row {row} sums to {totals[row - 1]:g} raters, "
                                  f"row 1 to {totals[0]:g}; every subject needs the same "
                                  "number of ratings")
        if totals[0] < 2:
            raise StatsInputError("counts: each subject needs at least 2 ratings")
        return fleiss_from_counts(table, [str(j + 1) for j in range(table.shape[1])])
    rows = [list(r) for r in ratings]
    if len(rows) < 2 or any(len(r) != len(rows[0]) for r in rows) or len(rows[0]) < 2:
        raise StatsInputError("ratings: expected a subjects x raters table (at least 2 x 2, "
                              "every row as long as the first)")
    m = len(rows[0])
    labels = [[label(v, "ratings", i * m + j + 1) for j, v in enumerate(r)]
              for i, r in enumerate(rows)]
    cats = order_categories({v for r in labels for v in r})
    index = {c: j for j, c in enumerate(cats)}
    table = np.zeros((len(rows), len(cats)))
    for i, r in enumerate(labels):
        for v in r:
            table[i, index[v]] += 1
    return fleiss_from_counts(table, cats)


def cohens_kappa(rater1: Any, rater2: Any) -> CohenKappa:
    """Cohen's kappa of two raters who rated the same subjects (labels in the same order)."""
    a, b = list(rater1), list(rater2)
    if len(a) != len(b):
        raise StatsInputError(f"rater1 has {len(a)} ratings, rater2 {len(b)}; both must rate "
                              "the same subjects")
    if len(a) < 2:
        raise StatsInputError("need at least 2 subjects rated by both raters")
    la = [label(v, "rater1", i + 1) for i, v in enumerate(a)]
    lb = [label(v, "rater2", i + 1) for i, v in enumerate(b)]
    cats = order_categories(set(la) | set(lb))
    index = {c: j for j, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(la, lb, strict=True):
        table[index[x], index[y]] += 1
    return cohen_from_table(table)
