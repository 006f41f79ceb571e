"""Pareto ranking: order, cumulative percent, vital few, duplicates, bad counts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.pareto import pareto


def test_sorted_with_cumulative_percent_and_vital_few():
    r = pareto(["scratch", "dent", "stain", "crack", "other"], [12, 45, 8, 30, 5])
    assert r.labels == ("dent", "crack", "scratch", "stain", "other")
    assert list(r.counts) == [45, 30, 12, 8, 5]
    assert r.total == 100
    assert list(r.percent) == pytest.approx([45, 30, 12, 8, 5])
    assert list(r.cumulative_percent) == pytest.approx([45, 75, 87, 95, 100])
    # 80 % is crossed by the third category, which belongs to the vital few
    assert r.vital_few == ("dent", "crack", "scratch")


def test_exact_threshold_stops_at_that_category():
    r = pareto(["a", "b", "c"], [50, 30, 20])
    assert r.vital_few == ("a", "b")  # cumulative 80 % reached exactly by b
    assert pareto(["a", "b", "c"], [50, 30, 20], vital_few=0.5).vital_few == ("a",)


def test_duplicate_labels_are_merged():
    r = pareto(["a", "b", "a", "c"], [5, 8, 4, 1])
    assert r.labels == ("a", "b", "c")
    assert list(r.counts) == [9, 8, 1]
    assert r.merged_duplicates == ("a",)


def test_ties_keep_first_seen_order():
    assert pareto(["x", "y", "z"], [3, 3, 3]).labels == ("x", "y", "z")


def test_arrays_are_read_only():
    r = pareto(["a", "b"], [1, 2])
    with pytest.raises(ValueError):
        r.counts[0] = 5
    json.dumps(r.to_dict())


def test_large_input():
    labels = [f"c{i % 1000}" for i in range(100_000)]
    r = pareto(labels, np.ones(100_000))
    assert r.total == 100_000 and len(r.labels) == 1000


@pytest.mark.parametrize(
    ("labels", "counts", "kwargs", "message"),
    [
        (["a", "b"], [1, -2], {}, "negative"),
        (["a", "b"], [1], {}, "labels but"),
        ([], [], {}, "at least one"),
        (["a", "b"], [0, 0], {}, "all counts are zero"),
        (["a", "b"], [1, float("nan")], {}, "not finite"),
        (["a", "b"], [1, "x"], {}, "not a number"),
        (["a"], [1], {"vital_few": 0}, "vital_few"),
    ],
)
def test_bad_input(labels, counts, kwargs, message):
    with pytest.raises(StatsInputError, match=message):
        pareto(labels, counts, **kwargs)
