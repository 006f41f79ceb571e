"""Run charts with the Anhøj rules against qicharts2's runs analysis, written out in base R.

Expected values: tests/stats/reference/control.R (R 4.2.2), section "run charts", which
applies qicharts2's rules (longest run > round(log2(n)) + 3, crossings < qbinom(0.05,
n - 1, 0.5)) to series generated with set.seed in R; the limits table for n = 10..100 is
the one Anhøj & Olesen (2014, PLoS ONE 9(11) e113825) tabulate.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ciapp.stats import StatsInputError
from ciapp.stats.runchart import anhoej_limits, run_chart

R = json.loads((Path(__file__).parent / "reference" / "control_values.json").read_text())


def test_limits_table_matches_r() -> None:
    ref = R["anhoej_limits"]
    got = [anhoej_limits(n) for n in ref["n"]]
    assert [g[0] for g in got] == ref["longest_run_max"]
    assert [g[1] for g in got] == ref["crossings_min"]
    # spot values of the published table: n = 10 -> 6 and 2; n = 20 -> 7 and 6
    assert anhoej_limits(10) == (6, 2) and anhoej_limits(20) == (7, 6)


@pytest.mark.parametrize("name", ["random24", "shifted", "ties", "short", "with_na"])
def test_series_match_qicharts2_rules_in_r(name: str) -> None:
    ref = R["run_charts"][name]
    data = [np.nan if v is None else v for v in ref["data"]]
    chart = run_chart(data)
    assert chart.center == pytest.approx(ref["median"], rel=1e-15)
    assert chart.n_useful == ref["n_useful"]
    assert chart.longest_run == ref["longest_run"]
    assert chart.longest_run_max == ref["longest_run_max"]
    assert chart.crossings == ref["crossings"]
    assert chart.crossings_min == ref["crossings_min"]
    assert chart.signal is ref["signal"]


def test_shift_is_reported_in_words_with_the_rule_that_fired() -> None:
    ref = R["run_charts"]["shifted"]  # 12 points around 10, then 12 around 12
    chart = run_chart(ref["data"])
    assert chart.signal and chart.crossings_signal and not chart.long_run_signal
    assert chart.verdict.startswith("non-random variation: only 7 crossings")
    trend = R["run_charts"]["with_na"]
    chart = run_chart([np.nan if v is None else v for v in trend["data"]])
    assert chart.missing == (2,)
    assert chart.crossings_signal and chart.verdict.count("crossings") == 1


def test_long_run_positions_are_input_positions() -> None:
    x = [4.0, 6, 4, 6, 4, 6] + [7.0, 8, 9] * 3 + [1.0, 2, 3]  # median 6.5
    chart = run_chart(x)
    assert chart.long_run_signal and chart.longest_run == 9 and chart.longest_run_max == 7
    assert chart.long_runs == ((6, 14),)


def test_points_on_the_median_are_not_useful_and_short_series_warn() -> None:
    chart = run_chart([1.0, 2, 2, 2, 3])
    assert chart.center == 2 and chart.n_useful == 2
    assert chart.warnings and not chart.signal


def test_given_center_and_json() -> None:
    chart = run_chart([5.0, 6, 7, 8, 6, 7, 9, 8, 7, 8, 9, 10], center=5.5)
    assert chart.center_method == "given" and chart.long_run_signal
    payload = json.loads(json.dumps(chart.to_dict(), allow_nan=False))
    assert payload["long_runs"] == [[1, 11]]
    with pytest.raises(ValueError):
        chart.values[0] = 1.0


@pytest.mark.parametrize(("args", "kwargs", "match"), [
    (([1.0],), {}, "at least 2"),
    (([1.0, np.inf],), {}, "infinite"),
    ((["a", "b"],), {}, "numbers"),
    (([[1.0, 2.0]],), {}, "1-D"),
    (([1.0, 2.0],), {"center": float("nan")}, "finite"),
])
def test_bad_input(args, kwargs, match) -> None:
    with pytest.raises(StatsInputError, match=match):
        run_chart(*args, **kwargs)
