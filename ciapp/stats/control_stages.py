"""Stages, phase I selection, exclusions and control-card values: which points set the
limits of each stage, and the center and sigma estimated from them. Split from control.py.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._base import StatsInputError
from .control_core import ChartSpec, Estimate, Prepared


def segments(labels: list[Any] | None, n: int) -> list[tuple[int, int]]:
    if labels is None or n == 0:
        return [(0, n)]
    cuts = [i for i in range(1, n) if labels[i] != labels[i - 1]]
    edges = [0, *cuts, n]
    return list(zip(edges[:-1], edges[1:], strict=True))


def stage_labels(stages: Any, prep: Prepared) -> list[Any] | None:
    if stages is None:
        return None
    labels = list(stages.tolist() if isinstance(stages, np.ndarray) else stages)
    if len(labels) != prep.n_total:
        raise StatsInputError(f"stages: got {len(labels)} labels for {prep.n_total} points")
    return [labels[i] for i in prep.index.tolist()]


def excluded(exclude: Any, prep: Prepared) -> tuple[np.ndarray, dict[int, str]]:
    mask = np.zeros(prep.values.size, dtype=bool)
    if not exclude:
        return mask, {}
    items = exclude.items() if isinstance(exclude, Mapping) else ((i, "") for i in exclude)
    position = {int(orig): k for k, orig in enumerate(prep.index.tolist())}
    reasons: dict[int, str] = {}
    for raw, reason in items:
        i = int(raw)
        if not 0 <= i < prep.n_total:
            raise StatsInputError(f"exclude: position {i} is outside 0..{prep.n_total - 1}")
        reasons[i] = str(reason)
        if i in position:
            mask[position[i]] = True
    return mask, reasons


def selection(limits_from: Any, prep: Prepared, labels: list[Any] | None):
    """Boolean base mask over plotted points, and a description for the result."""
    n = prep.values.size
    if limits_from is None:
        return np.ones(n, dtype=bool), None
    if isinstance(limits_from, slice):
        chosen = np.zeros(prep.n_total, dtype=bool)
        chosen[limits_from] = True
        return chosen[prep.index], f"points {limits_from.start}:{limits_from.stop}"
    if isinstance(limits_from, (list, tuple, np.ndarray)) and len(limits_from) == prep.n_total \
            and np.asarray(limits_from).dtype == bool:
        return np.asarray(limits_from, dtype=bool)[prep.index], "a chosen set of points"
    if labels is not None and limits_from in labels:
        first = labels.index(limits_from)
        mask = np.array([i < first or lab == limits_from for i, lab in enumerate(labels)])
        return mask, f"stage {limits_from!r}"
    raise StatsInputError(
        f"limits_from must be a slice, a boolean mask of {prep.n_total} points or a stage "
        f"label, got {limits_from!r}"
    )


def override(est: Estimate, spec: ChartSpec, kind: str, center: Any, sigma: Any) -> Estimate:
    if center is not None:
        if not spec.center_override:
            raise StatsInputError(f"center cannot be given for a {kind!r} chart")
        est = dataclasses.replace(est, center=finite(center, "center"))
    if sigma is not None:
        if not spec.sigma_override:
            raise StatsInputError(f"sigma cannot be given for a {kind!r} chart: it follows "
                                  "from the center")
        value = finite(sigma, "sigma")
        if value <= 0:
            raise StatsInputError(f"sigma must be positive, got {value}")
        est = dataclasses.replace(est, sigma=value, sigma_method="given")
    return est


def finite(value: Any, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise StatsInputError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise StatsInputError(f"{name} must be finite, got {value!r}")
    return out


def estimates(spec, prep, segments, base, opts, labels) -> list[tuple[Estimate, str]]:
    out: list[tuple[Estimate, str]] = []
    for start, stop in segments:
        seg_base = np.zeros(base.size, dtype=bool)
        seg_base[start:stop] = base[start:stop]
        where = f" (stage {labels[start]!r})" if labels is not None else ""
        if seg_base.any():
            try:
                out.append((spec.estimate(prep, seg_base, opts), "computed"))
            except StatsInputError as exc:
                raise StatsInputError(f"{exc}{where}") from None
        elif out:
            out.append((out[-1][0], "inherited"))
        else:
            raise StatsInputError(f"no points to compute the limits from{where}")
    return out


def estimate_all(spec, kind, prep, segments, base, opts, labels, center, sigma):
    full_card = center is not None and (sigma is not None or not spec.sigma_override)
    if full_card and spec.center_override:
        # a validated control card: nothing is estimated from the data
        card = override(Estimate(0.0, math.nan, "given", 0), spec, kind, center, sigma)
        return [(card, "given")] * len(segments)
    found = estimates(spec, prep, segments, base, opts, labels)
    given = center is not None or sigma is not None
    return [(override(est, spec, kind, center, sigma), "given" if given else how)
            for est, how in found]
