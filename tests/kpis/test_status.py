"""The KPI status on constructed series, the expected status worked out by hand in each test
from the NHS "Making Data Count" conventions (process limits mean +/- 2.66 mean moving
range; shift = 7 on one side, trend = 7 rising or falling, 2 of 3 beyond 2 sigma, a point
outside the limits; assurance from where the target falls against the limits)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ciapp.kpis.status import kpi_status, series

D0 = date(2026, 1, 5)  # a Monday


def days(n: int) -> list[date]:
    return [D0 + timedelta(days=i) for i in range(n)]


def status(values: list[float], **kw: object):
    periods = days(len(values))
    today = kw.pop("today", periods[-1] + timedelta(days=1))
    return kpi_status(values, periods=periods, frequency="daily", today=today, **kw)


# 9, 11, 9, 11, ...: mean 10, every moving range 2, so sigma = 2 / d2(2) with d2(2) =
# 2 / sqrt(pi) = 1.12838 (the exact value behind Montgomery's table entry 1.128): sigma =
# sqrt(pi) = 1.77245, and the limits are 10 +/- 5.31736 = 4.68264 and 15.31736.
STABLE = [9.0, 11.0] * 15


def test_a_stable_kpi_whose_limits_clear_the_target_will_consistently_meet_it() -> None:
    s = status(STABLE, better="higher", target=4.0)  # target below the lower limit 4.683

    assert (s.method, s.variation, s.assurance) == ("control chart", "common", "pass")
    assert s.center == pytest.approx(10.0)
    assert s.lower == pytest.approx(4.68264, abs=1e-5)
    assert s.upper == pytest.approx(15.31736, abs=1e-5)
    assert not s.no_data and s.colour == "neutral"


def test_a_stable_kpi_below_its_target_will_consistently_miss_it() -> None:
    s = status(STABLE, better="higher", target=16.0)  # above the upper limit 15.32

    assert (s.variation, s.assurance) == ("common", "fail")
    # colour follows the variation (no signal), never the raw miss of the target
    assert s.colour == "neutral"


def test_a_stable_kpi_not_capable_of_its_target_is_hit_and_miss_with_the_share() -> None:
    s = status(STABLE, better="higher", target=12.0)

    assert (s.variation, s.assurance) == ("common", "hit_and_miss")
    # P(X < 12) for X ~ N(10, 1.77245): z = 2 / 1.77245 = 1.12838, and Phi(1.12838) =
    # 0.8704 (standard normal table: Phi(1.12) = 0.86864, Phi(1.13) = 0.87076, linear
    # interpolation 0.86864 + 0.838 * 0.00212 = 0.87042).
    assert s.miss_share == pytest.approx(0.87042, abs=2e-4)


def test_lower_is_better_turns_the_assurance_round() -> None:
    meet = status(STABLE, better="lower", target=16.0)
    miss = status(STABLE, better="lower", target=4.0)
    share = status(STABLE, better="lower", target=12.0)

    assert (meet.assurance, miss.assurance) == ("pass", "fail")
    assert share.miss_share == pytest.approx(1 - 0.87042, abs=2e-4)


# A real shift: the 20-value baseline of STABLE, then 8 values at 12 and 13. Each is inside
# the limits (below 15.32), but the last 8 are all above the mean 10: a shift of 7+.
SHIFT = STABLE[:20] + [12.0, 13.0] * 4


def test_a_real_shift_upwards_is_improving_when_higher_is_better() -> None:
    s = status(SHIFT, better="higher")

    assert (s.variation, s.colour) == ("improving", "blue")
    assert any("shift" in text and "above" in text for text in s.signals)


def test_the_same_shift_is_concerning_when_lower_is_better() -> None:
    s = status(SHIFT, better="lower")

    assert (s.variation, s.colour) == ("concerning", "orange")


def test_a_single_point_beyond_the_limit_is_a_signal_in_its_direction() -> None:
    s = status(STABLE[:20] + [10.0, 3.0], better="higher")  # 3 < lower limit 4.683

    assert s.variation == "concerning"
    assert s.signals[0].startswith("the latest value 3 is below the lower limit 4.683")


def test_a_trend_decides_over_the_side_of_the_mean() -> None:
    # 7 values rising, all still below the mean 10: the trend (up) wins over the side
    # (below), as in NHS Digital's SPC rule-clash order (trend, shift, 2 of 3, point).
    rising = [8.0, 8.2, 8.4, 8.6, 8.8, 9.0, 9.2]
    s = status(STABLE[:20] + rising, better="higher")

    assert s.variation == "improving"
    assert any("trend" in text and "rising" in text for text in s.signals)


def test_a_missing_period_says_no_data_and_turns_grey() -> None:
    periods = days(30)
    # today is 3 days after the last value: yesterday's value has not come in
    s = kpi_status(STABLE, periods=periods, frequency="daily",
                   today=periods[-1] + timedelta(days=3), target=4.0)

    assert s.no_data and s.colour == "grey"
    assert s.assurance == "pass"  # the limits still say what the process does


def test_a_weekly_kpi_expects_last_weeks_value_not_this_weeks() -> None:
    weeks = [D0 + timedelta(weeks=i) for i in range(30)]
    # on the Wednesday of the week after the last value's week, last week's value is in
    on_time = kpi_status(STABLE, periods=weeks, frequency="weekly",
                         today=weeks[-1] + timedelta(days=9))
    late = kpi_status(STABLE, periods=weeks, frequency="weekly",
                      today=weeks[-1] + timedelta(days=16))

    assert not on_time.no_data and late.no_data


def test_fewer_than_20_values_get_a_run_chart_that_says_so() -> None:
    s = status(STABLE[:12], target=12.0)

    assert s.method == "run chart"
    assert s.assurance == "none" and s.lower is None
    assert "run chart" in s.notes[0]
    # 9, 11 alternate around the median 10: 11 crossings of 12 useful points, no signal
    assert s.variation == "common"


def test_a_short_history_with_a_long_run_signals_by_the_anhoej_rules() -> None:
    # 19 values, median 10 (on the line, so 18 useful points): 1, 2 below, 11 above, then
    # 3..9 below, then the 8 highest (12..19) in a row above. Anhoej: longest run allowed
    # round(log2(18)) + 3 = 7, so the run of 8 signals; crossings 3, fewer than
    # qbinom(0.05, 17, 0.5) = 5 (R), signals too.
    values = [1.0, 2.0, 11.0, 3.0, 4.0, 10.0, 5.0, 6.0, 7.0, 8.0, 9.0] + \
        [float(v) for v in range(12, 20)]
    s = status(values, better="higher")

    assert s.method == "run chart"
    assert s.variation == "improving"
    assert s.signals[0].startswith("a run of 8 values above the median (more than 7)")
    assert s.signals[1].startswith("only 3 crossings of the median (fewer than 5)")


def test_no_values_at_all() -> None:
    s = kpi_status([], periods=[], frequency="daily", today=D0)

    assert (s.method, s.variation, s.no_data) == ("none", "none", True)


def test_rare_events_become_periods_between_events() -> None:
    # events on days 3, 10 and two on day 14 of 20 days
    counts = [0.0] * 20
    counts[3], counts[10], counts[14] = 1, 1, 2
    s = series("g", counts, None, days(20), "daily", "lower")

    # g: whole periods with no event before each: 3 (days 0-2), 6 (days 4-9), 3, then 0
    assert s.data.tolist() == [3.0, 6.0, 3.0, 0.0]
    assert s.statistic_better == "higher"  # fewer events = longer gaps
    assert s.open_gap == 5.0  # days 15-19 since the last event
    t = series("t", counts, None, days(20), "daily", "lower")
    # t: event times 3.5, 10.5, 14 + 1/3, 14 + 2/3 from day 0
    assert t.data.tolist() == pytest.approx([3.5, 7.0, 3.0 + 5 / 6, 1 / 3])


def test_a_rare_event_kpi_with_a_long_quiet_spell_is_improving() -> None:
    gaps = [2, 5, 1, 4, 3, 6, 2, 3, 5, 1, 4, 2, 6, 3, 2, 4, 1, 5]  # days between events
    counts, day = [0.0] * 200, -1
    for gap in gaps:
        day += gap + 1
        counts[day] = 1.0
    assert day == 76
    s = status(counts, chart="g", better="lower", baseline=80)

    # No rule fires on the baseline's gaps; 123 days without an event since day 76 is
    # more than any gap the baseline's process makes (its upper limit is about 24).
    assert s.variation == "improving"
    assert s.signals == ("123 periods since the last event, beyond the upper limit 23.84",)
    assert s.assurance == "none"  # no assurance against a target on a rare-event chart


def test_a_p_chart_judges_proportions_with_their_sizes() -> None:
    on_time = [95.0, 97.0] * 10 + [80.0]
    sizes = [100.0] * 21
    s = status(on_time, chart="p", sizes=sizes, better="higher", target=0.9)

    # p-bar = 0.96, sigma = sqrt(0.96 * 0.04 / 100) = 0.0196, LCL = 0.96 - 0.0588 = 0.9012
    assert s.center == pytest.approx(0.96)
    assert s.lower == pytest.approx(0.9012, abs=1e-4)
    assert s.latest == pytest.approx(0.80)
    assert s.variation == "concerning"
    assert s.assurance == "pass"  # LCL 0.9012 above the target 0.90


def test_the_status_logic_is_pure() -> None:
    """No Flask, no database: the status can be computed by any script from its values."""
    import subprocess
    import sys

    code = ("import sys, ciapp.kpis.status; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
