"""Nelson's rules on crafted sequences: each flags exactly the point that completes it."""

from __future__ import annotations

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.rules import RULE_SETS, nelson_rules


def only(rule: int, values, **kw) -> list[int]:
    return nelson_rules(values, 0.0, 1.0, rules=(rule,), **kw)[rule]


def test_rule1_beyond_three_sigma_strictly() -> None:
    assert only(1, [0, 3.0, 3.01, -3.5, 0]) == [2, 3]


def test_rule2_nine_on_one_side_flags_ninth_and_later() -> None:
    values = [0.5] * 8 + [-0.5] + [0.5] * 10
    assert only(2, values) == [17, 18]  # run of 10 starting at 9: its 9th point is 17
    assert only(2, [0.5] * 8) == []


def test_rule2_point_on_center_breaks_run() -> None:
    assert only(2, [0.5] * 4 + [0.0] + [0.5] * 5) == []


def test_rule3_six_increasing_is_five_steps() -> None:
    assert only(3, [0, 1, 2, 3, 4, 5]) == [5]
    assert only(3, [0, 1, 2, 3, 4]) == []
    assert only(3, [5, 4, 3, 2, 1, 0, -1]) == [5, 6]


def test_rule3_ties_break_run() -> None:
    assert only(3, [0, 1, 2, 2, 3, 4, 5]) == []


def test_rule4_fourteen_alternating() -> None:
    alt = [(-1) ** i * 0.1 for i in range(14)]
    assert only(4, alt) == [13]
    assert only(4, alt[:13]) == []
    # alt ends with a step down (0.1 -> -0.1): another step down ends the run
    assert only(4, alt + [-0.2]) == [13]
    assert only(4, alt + [0.2]) == [13, 14]


def test_rule4_tie_breaks_alternation() -> None:
    alt = [(-1) ** i * 0.1 for i in range(14)]
    alt[7] = alt[6]
    assert only(4, alt) == []


def test_rule5_two_of_three_beyond_two_sigma_same_side() -> None:
    assert only(5, [0, 2.5, 0, 2.5, 0]) == [3]
    assert only(5, [0, 2.5, 0, -2.5, 0]) == []  # opposite sides
    assert only(5, [2.5, 0, 0, 2.5]) == []  # 2 of 4 is not 2 of 3
    assert only(5, [2.5, 2.5]) == [1]  # complete at the start of a segment


def test_rule6_four_of_five_beyond_one_sigma_same_side() -> None:
    assert only(6, [1.5, 1.5, 0, 1.5, 1.5, 0]) == [4]
    assert only(6, [-1.5, -1.5, -1.5, 0.5, -1.5]) == [4]
    assert only(6, [1.5, 1.5, 0, 0, 1.5, 1.5]) == []


def test_rule7_fifteen_within_one_sigma() -> None:
    assert only(7, [0.5, -0.5] * 7 + [0.9]) == [14]
    assert only(7, [0.5] * 14 + [1.0]) == []  # exactly 1 sigma is not within


def test_rule8_eight_beyond_one_sigma_either_side() -> None:
    assert only(8, [1.5, -1.5] * 4) == [7]
    assert only(8, [1.5, -1.5] * 3 + [0.5, 1.5]) == []


def test_run_lengths_are_configurable() -> None:
    assert only(2, [0.5] * 7, run_lengths={2: 7}) == [6]
    assert only(3, [0, 1, 2, 3], run_lengths={3: 4}) == [3]
    assert only(1, [0, 2.5], run_lengths={1: 2}) == [1]
    assert only(5, [2.5, 0, 0, 2.5], run_lengths={5: 2}) == []


def test_segments_keep_runs_inside_stages() -> None:
    values = [0.5] * 12
    assert only(2, values) == [8, 9, 10, 11]
    assert only(2, values, segments=[(0, 6), (6, 12)]) == []


def test_per_point_center_and_sigma() -> None:
    x = np.array([10.0, 10.0, 13.0])
    res = nelson_rules(x, [10, 10, 10], [1.0, 1.0, 0.5], rules="rule1")
    assert res == {1: [2]}


def test_missing_and_zero_sigma_break_runs() -> None:
    values = [0.5] * 4 + [np.nan] + [0.5] * 8
    assert only(2, values) == []
    res = nelson_rules([0.5] * 10, 0.0, [1.0] * 4 + [0.0] + [1.0] * 5, rules=(2,))
    assert res == {2: []}


def test_rule_sets() -> None:
    assert RULE_SETS["nelson"].rules == (1, 2, 3, 4, 5, 6, 7, 8)
    we = nelson_rules([0.5] * 8, 0.0, 1.0, rules="western_electric")
    assert sorted(we) == [1, 2, 5, 6] and we[2] == [7]  # 8 in a row under Western Electric
    assert nelson_rules([0.5] * 9, 0.0, 1.0, rules="rule1") == {1: []}


def test_bad_rule_input() -> None:
    with pytest.raises(StatsInputError, match="unknown rule set"):
        nelson_rules([1, 2], 0, 1, rules="shewhart")
    with pytest.raises(StatsInputError, match="1-12"):
        nelson_rules([1, 2], 0, 1, rules=(13,))
    with pytest.raises(StatsInputError, match="run_lengths"):
        nelson_rules([1, 2], 0, 1, run_lengths={2: 0})
    with pytest.raises(StatsInputError, match="center"):
        nelson_rules([1, 2], [0, 0, 0], 1)


def test_random_series_agrees_with_plain_loop_reference() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=3000)
    got = nelson_rules(x, 0.0, 1.0)
    assert got == _loop_reference(x)


def _loop_reference(x: np.ndarray) -> dict[int, list[int]]:
    """Straightforward point-by-point definitions, to cross-check the vectorised ones."""
    out: dict[int, list[int]] = {r: [] for r in range(1, 9)}
    n = len(x)
    for i in range(n):
        def w(k: int, i: int = i) -> np.ndarray:
            return x[max(0, i - k + 1): i + 1]

        if abs(x[i]) > 3:
            out[1].append(i)
        if i >= 8 and (np.all(w(9) > 0) or np.all(w(9) < 0)):
            out[2].append(i)
        if i >= 5 and (np.all(np.diff(w(6)) > 0) or np.all(np.diff(w(6)) < 0)):
            out[3].append(i)
        if i >= 13 and np.all(np.diff(w(14))[:-1] * np.diff(w(14))[1:] < 0):
            out[4].append(i)
        if (x[i] > 2 and np.sum(w(3) > 2) >= 2) or (x[i] < -2 and np.sum(w(3) < -2) >= 2):
            out[5].append(i)
        if (x[i] > 1 and np.sum(w(5) > 1) >= 4) or (x[i] < -1 and np.sum(w(5) < -1) >= 4):
            out[6].append(i)
        if i >= 14 and np.all(np.abs(w(15)) < 1):
            out[7].append(i)
        if i >= 7 and np.all(np.abs(w(8)) > 1):
            out[8].append(i)
    return out
