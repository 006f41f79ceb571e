"""Values of a KPI: every bad value refused with a message naming it, nothing half-saved;
corrections kept in the audit trail; the first 20 values set the limits; re-basing is a
person's decision with a note."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.core.errors import DomainError
from ciapp.extensions import db as _db
from ciapp.kpis import services, summary, values
from ciapp.kpis.models import KpiLimits, KpiValue
from tests import factories
from tests.kpis.conftest import add_values, make_kpi

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def saved(kpi: Any) -> int:
    return _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi.id))


def send(kpi: Any, records: list[dict[str, Any]]) -> None:
    raw, mapping = values.records_table(records)
    rows = values.check(kpi, raw, mapping, TODAY)
    values.append(None, kpi, rows)


@pytest.mark.parametrize(("value", "message"), [
    ("ten", "values[1], column 'value': 'ten' is not a number."),
    (float("inf"), "values[1], column 'value': 'inf' is not a finite number."),
    (float("nan"), "values[1], column 'value': 'nan' is not a finite number."),
    ("", "values[1], column 'value' is empty"),
    (True, "values[1], column 'value': 'true' is not a number."),
])
def test_a_bad_value_is_refused_by_name_and_nothing_is_saved(db: Any, value: Any,
                                                             message: str) -> None:
    kpi = make_kpi()
    with pytest.raises(DomainError) as caught:
        send(kpi, [{"period": "2026-01-05", "value": 1.0},
                   {"period": "2026-01-06", "value": value}])

    assert caught.value.status == 422
    assert caught.value.message.startswith(message)
    assert "value" in caught.value.fields
    assert saved(kpi) == 0


def test_a_date_in_the_future_is_refused(db: Any) -> None:
    kpi = make_kpi()
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        send(kpi, [{"period": YESTERDAY.isoformat(), "value": 1.0},
                   {"period": tomorrow.isoformat(), "value": 2.0}])

    assert caught.value.message.startswith(
        f"values[1], column 'period': {tomorrow} is in the future (today is {TODAY}).")
    assert saved(kpi) == 0


def test_a_period_given_twice_in_one_batch_is_refused(db: Any) -> None:
    kpi = make_kpi()
    with pytest.raises(DomainError) as caught:
        send(kpi, [{"period": "2026-01-05", "value": 1.0},
                   {"period": "2026-01-06", "value": 2.0},
                   {"period": "2026-01-05", "value": 3.0}])

    assert caught.value.message.startswith(
        "values[2], column 'period': the period 2026-01-05 is given twice, also in "
        "values[0].")
    assert saved(kpi) == 0


def test_a_weekly_kpi_takes_any_day_of_the_week_as_that_week(db: Any) -> None:
    kpi = make_kpi(frequency="weekly")
    with pytest.raises(DomainError) as caught:  # Monday 5 and Thursday 8 January 2026
        send(kpi, [{"period": "2026-01-05", "value": 1.0},
                   {"period": "2026-01-08", "value": 2.0}])
    assert "is given twice" in caught.value.message and "the week of 2026-01-05" in \
        caught.value.message

    send(kpi, [{"period": "2026-01-08", "value": 2.0}])
    assert _db.session.scalar(select(KpiValue.period)) == date(2026, 1, 5)


def test_a_period_already_saved_is_refused_and_the_batch_with_it(db: Any) -> None:
    kpi = make_kpi()
    send(kpi, [{"period": "2026-01-05", "value": 1.0}])
    with pytest.raises(DomainError) as caught:
        send(kpi, [{"period": "2026-01-04", "value": 1.0},
                   {"period": "2026-01-05", "value": 2.0}])

    assert caught.value.message.startswith(
        "values[1], column 'period': On-time delivery already has a value for 2026-01-05; "
        "correct that value instead")
    assert saved(kpi) == 1


def test_counts_and_rates_need_what_their_chart_needs(db: Any) -> None:
    injuries = make_kpi(name="Lost-time injuries", chart="g", better="lower", target="")
    with pytest.raises(DomainError, match=r"values\[0\], column 'value': 1.5 is not a count"):
        send(injuries, [{"period": "2026-01-05", "value": 1.5}])
    on_time = make_kpi(name="Deliveries on time", chart="p", target="0.95")
    with pytest.raises(DomainError, match="needs 'n' with each value"):
        send(on_time, [{"period": "2026-01-05", "value": 95}])
    with pytest.raises(DomainError, match="more than the sample size"):
        send(on_time, [{"period": "2026-01-05", "value": 95, "n": 90}])
    plain = make_kpi()
    with pytest.raises(DomainError, match="'n' is only for KPIs charted as p or u"):
        send(plain, [{"period": "2026-01-05", "value": 95, "n": 90}])


def test_ten_thousand_values_in_one_batch(db: Any) -> None:
    kpi = make_kpi()
    start = TODAY - timedelta(days=10_000)
    records = [{"period": (start + timedelta(days=i)).isoformat(), "value": 90 + i % 7}
               for i in range(10_000)]
    send(kpi, records)

    assert saved(kpi) == 10_000


def test_a_correction_keeps_the_old_value_in_the_audit_trail(db: Any) -> None:
    owner = factories.user("belt")
    kpi = make_kpi(owner)
    send(kpi, [{"period": "2026-01-05", "value": 91.0}])
    row = values.get_value(kpi, date(2026, 1, 5))

    values.correct(owner, kpi, row, value=93.0, n=None, note="system outage",
                   reason="Typed from the wrong shift report")

    assert (row.value, row.note) == (93.0, "system outage")
    event = _db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "correct value", AuditEvent.entity_id == kpi.id)).one()
    assert event.changes["value"] == [91.0, 93.0]
    assert event.summary == "Corrected 2026-01-05: Typed from the wrong shift report"
    with pytest.raises(DomainError, match="Say why"):
        values.correct(owner, kpi, row, value=94.0, n=None, note="", reason=" ")


def test_the_first_20_values_set_the_limits_and_later_ones_do_not_move_them(db: Any) -> None:
    kpi = make_kpi()
    periods = add_values(kpi, [9.0, 11.0] * 10, start=TODAY - timedelta(days=40))
    first = services.current_limits(kpi)
    assert (first.baseline_start, first.baseline_end) == (periods[0], periods[19])
    assert first.set_by is None and first.center == pytest.approx(10.0)

    add_values(kpi, [30.0] * 10, start=TODAY - timedelta(days=15))

    assert _db.session.scalar(select(func.count()).where(KpiLimits.kpi_id == kpi.id)) == 1
    assert services.current_limits(kpi).center == pytest.approx(10.0)
    # 30 is above the upper limit 15.3 and higher is better: a real change, improving
    assert kpi.summary["variation"] == "improving"


def test_rebasing_needs_a_person_a_note_and_enough_values(db: Any) -> None:
    owner = factories.user("belt")
    kpi = make_kpi(owner)
    periods = add_values(kpi, [9.0, 11.0] * 10 + [20.0, 22.0] * 8,
                         start=TODAY - timedelta(days=40))
    with pytest.raises(DomainError, match="Say why the limits change"):
        services.rebase(owner, kpi, periods[20], periods[-1], "new")
    with pytest.raises(DomainError, match="holds 4 values; choose a period with at least 12"):
        services.rebase(owner, kpi, periods[20], periods[23], "New conveyor from March")

    record = services.rebase(owner, kpi, periods[20].isoformat(), periods[-1].isoformat(),
                             "New conveyor from March")
    summary.refresh(kpi)

    assert record.center == pytest.approx(21.0) and record.set_by == owner
    assert kpi.summary["center"] == pytest.approx(21.0)
    assert kpi.summary["variation"] == "common"
    assert [r.note for r in services.limit_history(kpi)] == [
        "The periods of the first 20 values (the default baseline).", "New conveyor from March"]
