"""Rule sets by name, as published, and a site's own sets.

Each named set is checked against the definitions in its source (cited in rulesets.py):
the patterns below are built so that exactly the published rule fires, at the point that
completes it, and a pattern one point short does not.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.control import control_chart
from ciapp.stats.rules import nelson_rules
from ciapp.stats.rulesets import RULE_SETS, RuleSet, custom_rule_set


def fired(values, rules) -> dict[int, list[int]]:
    """Rules that flag something on standardised values (center 0, sigma 1)."""
    return {r: v for r, v in nelson_rules(values, 0.0, 1.0, rules=rules).items() if v}


def test_westgard_multirule_clin_chem_1981() -> None:
    # Westgard et al. (1981): 1:3s, 2:2s, R:4s, 4:1s, 10:x
    assert fired([0, 3.1], "westgard") == {1: [1]}
    assert fired([0, 2.1, 2.2], "westgard") == {9: [2]}  # 2:2s, same side
    assert fired([0, 2.1, -2.2], "westgard") == {11: [2]}  # R:4s, range over 4 s
    assert fired([1.1, 1.2, 1.3, 1.4], "westgard") == {10: [3]}  # 4:1s
    assert fired([1.1, 1.2, 1.3], "westgard") == {}
    assert fired([0.5] * 10, "westgard") == {2: [9]}  # 10:x
    assert fired([0.5] * 9, "westgard") == {}
    assert fired([2.5, 0, 2.5], "westgard") == {}  # 2 of 3 is not a Westgard rule


def test_healthcare_ihi_rules_provost_murray() -> None:
    # The Health Care Data Guide: outside limits; 8 on one side; 6 trending; 2 of 3 in the
    # outer third (QI Macros: they may lie on either side); 15 in the inner third
    assert RULE_SETS["healthcare"].rules == RULE_SETS["ihi"].rules
    assert fired([0.5] * 8, "ihi") == {2: [7]}
    assert fired([0.5] * 7, "ihi") == {}
    assert fired([-0.9, -0.6, -0.3, 0.05, 0.4, 0.7], "ihi") == {3: [5]}
    assert fired([2.5, 0, -2.5], "ihi") == {12: [2]}  # either side counts here
    assert fired([2.5, 0, -2.5], "nelson") == {}  # but not for Nelson's same-side rule 5
    assert fired([0.2, -0.2] * 7 + [0.2], "ihi") == {7: [14]}
    assert fired([1.5, -1.5] * 7, "ihi") == {}  # no mixture or alternation rule in IHI's


def test_aiag_seven_in_a_row() -> None:
    assert fired([0.5] * 7, "aiag") == {2: [6]}
    assert fired([0.5] * 6, "aiag") == {}
    assert set(RULE_SETS["aiag"].rules) == set(range(1, 9))


def test_montgomery_and_western_electric_eight_in_a_row_nelson_nine() -> None:
    for name in ("montgomery", "western_electric"):
        assert fired([0.5] * 8, name) == {2: [7]}
    assert fired([0.5] * 8, "nelson") == {}
    assert fired([0.5] * 9, "nelson") == {2: [8]}
    # Western Electric's four zone rules only: no trend test
    assert fired([0, 0.1, 0.2, 0.3, 0.4, 0.5], "western_electric") == {}
    assert fired([0, 0.1, 0.2, 0.3, 0.4, 0.5], "montgomery") == {3: [5]}


def test_every_published_set_names_its_source() -> None:
    for name in ("nelson", "western_electric", "montgomery", "aiag", "westgard", "ihi"):
        assert RULE_SETS[name].source, name
        assert len(RULE_SETS[name].describe()) == len(RULE_SETS[name].rules)
    assert "10 points in a row on one side" in " ".join(RULE_SETS["westgard"].describe())


def test_chart_names_the_set_it_used() -> None:
    x = [10.0, 10.5, 9.5, 10.2, 9.8] * 4
    assert control_chart("i", x).rule_set == "nelson"
    assert control_chart("i", x, rules="westgard").rule_set == "westgard"
    assert control_chart("i", x, rules="westgard").rules == (1, 2, 9, 10, 11)
    assert control_chart("i", x, rules=(1, 2)).rule_set is None
    p = control_chart("p", [3, 5, 4, 6, 2, 4], 50, rules="ihi")
    assert p.rule_set == "ihi" and p.rules == (1, 2, 3)  # zone rules need a normal statistic
    assert any("skipped" in n for n in p.notes)
    assert json.loads(json.dumps(control_chart("i", x, rules="aiag").to_dict()))["rule_set"] \
        == "aiag"


def test_custom_set_under_a_sites_own_name_round_trips() -> None:
    site = custom_rule_set("Plant 4 (day shift)", [1, 2, 3], {2: 7, 3: 5},
                           description="agreed with the customer, 2025")
    stored = json.loads(json.dumps(site.to_dict()))
    again = RuleSet.from_dict(stored)
    assert again == site
    assert again.lengths() == {1: 3, 2: 7, 3: 5}
    x = [0.0, 1.0, -1.0] * 3 + [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    chart = control_chart("i", x, rules=site)
    assert chart.rule_set == "Plant 4 (day shift)"
    assert chart.run_lengths == {1: 3, 2: 7, 3: 5}
    # a trend of 5 (the site's K) completes at point 12 (-1.0 at 8, then 0.5 ... 0.8);
    # 7 in a row above the center (0.35) complete at point 15
    assert chart.violations[3][0] == 12
    assert chart.violations[2] == [15]


@pytest.mark.parametrize(("call", "match"), [
    (lambda: custom_rule_set("nelson", [1]), "taken by a published set"),
    (lambda: custom_rule_set("", [1]), "rule set name"),
    (lambda: custom_rule_set("mine", [1, 13]), "1-12"),
    (lambda: custom_rule_set("mine", "1,2"), "1-12"),
    (lambda: custom_rule_set("mine", [1, 2], {2: 0}), "whole number above 1"),
    (lambda: custom_rule_set("mine", [1, 2], {2: 7.5}), "whole number"),
    (lambda: custom_rule_set("mine", [1, 2], {3: 7}), "not in the set"),
    (lambda: custom_rule_set("mine", [1, 11], {11: -2}), "sigmas > 0"),
    (lambda: RuleSet.from_dict({"rules": [1]}), "cannot read"),
    (lambda: RuleSet.from_dict({"name": "x", "rules": [1], "run_lengths": {"x": 2}}),
     "run_lengths"),
    (lambda: control_chart("i", [1.0, 2, 3, 2], rules="shewhart"), "unknown rule set"),
])
def test_bad_rule_sets_are_refused_with_a_reason(call, match) -> None:
    with pytest.raises(StatsInputError, match=match):
        call()


def _loop_reference(z: np.ndarray) -> dict[int, list[int]]:
    """Rules 9-12 point by point from their published wording, to check the vectorised ones."""
    out: dict[int, list[int]] = {9: [], 10: [], 11: [], 12: []}
    for i in range(len(z)):
        if i >= 1 and (all(z[i - 1:i + 1] > 2) or all(z[i - 1:i + 1] < -2)):
            out[9].append(i)
        if i >= 3 and (all(z[i - 3:i + 1] > 1) or all(z[i - 3:i + 1] < -1)):
            out[10].append(i)
        if i >= 1 and ((z[i] > 2 and z[i - 1] < -2) or (z[i] < -2 and z[i - 1] > 2)):
            out[11].append(i)
        if abs(z[i]) > 2 and sum(abs(v) > 2 for v in z[max(0, i - 2):i + 1]) >= 2:
            out[12].append(i)
    return out


def test_new_rules_agree_with_a_point_by_point_reading() -> None:
    z = np.random.default_rng(11).normal(0, 1.6, 4000)
    got = nelson_rules(z, 0.0, 1.0, rules=(9, 10, 11, 12))
    ref = _loop_reference(z)
    assert got == ref
    assert all(ref.values())  # each rule fired somewhere, so the comparison means something
