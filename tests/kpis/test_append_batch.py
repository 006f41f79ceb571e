"""A batch of 10,000 values in one API call stays all or nothing: one bad value anywhere
(text, inf, a future date, a period given twice or already saved) refuses the whole batch
with a message naming it, and a batch that races another for the same periods is refused
whole too."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.auth.services import issue_token
from ciapp.core.errors import Conflict
from ciapp.extensions import db as _db
from ciapp.kpis import values
from ciapp.kpis.models import KpiValue
from tests.kpis.conftest import make_kpi

TODAY = date.today()
FIRST = TODAY - timedelta(days=10_001)
LAST = 9_999  # the last record of the batch


def batch() -> list[dict[str, Any]]:
    return [{"period": (FIRST + timedelta(days=i)).isoformat(), "value": 90 + i % 7}
            for i in range(10_000)]


def saved(kpi: Any) -> int:
    return _db.session.scalar(select(func.count()).where(KpiValue.kpi_id == kpi.id))


def post(client: FlaskClient, kpi: Any, records: list[dict[str, Any]]) -> Any:
    token = issue_token(kpi.owner)
    _db.session.commit()
    return client.post(f"/api/v1/kpis/{kpi.id}/values", data=json.dumps({"values": records}),
                       headers={"Authorization": f"Bearer {token}",
                                "Content-Type": "application/json"})


def test_a_whole_batch_is_saved_with_its_values(client: FlaskClient, db: Any) -> None:
    kpi = make_kpi()
    r = post(client, kpi, batch())
    assert r.status_code == 201 and r.get_json()["added"] == 10_000
    assert saved(kpi) == 10_000
    last = values.get_value(kpi, FIRST + timedelta(days=LAST))
    assert (last.value, last.n, last.note) == (90 + LAST % 7, None, "")  # 9999 % 7 = 3


@pytest.mark.parametrize(("fault", "message"), [
    ({"value": "ten"}, f"values[{LAST}], column 'value': 'ten' is not a number."),
    ({"value": "inf"}, f"values[{LAST}], column 'value': 'inf' is not a finite "
                              "number."),
    ({"period": (TODAY + timedelta(days=1)).isoformat()},
     f"values[{LAST}], column 'period': {TODAY + timedelta(days=1)} is in the future"),
    ({"period": FIRST.isoformat()},
     f"values[{LAST}], column 'period': the period {FIRST} is given twice, also in "
     "values[0]."),
])
def test_one_bad_value_at_the_end_refuses_all_10000(client: FlaskClient, db: Any,
                                                    fault: dict[str, Any],
                                                    message: str) -> None:
    kpi = make_kpi()
    records = batch()
    records[LAST] |= fault
    r = post(client, kpi, records)
    assert r.status_code == 422
    assert r.get_json()["message"].startswith(message)
    assert saved(kpi) == 0


def test_a_period_already_saved_refuses_the_batch(client: FlaskClient, db: Any) -> None:
    kpi = make_kpi()
    records = batch()
    assert post(client, kpi, records[LAST:]).status_code == 201
    r = post(client, kpi, records)
    assert r.status_code == 422
    assert r.get_json()["message"].startswith(
        f"values[{LAST}], column 'period': On-time delivery already has a value for "
        f"{FIRST + timedelta(days=LAST)}")
    assert saved(kpi) == 1


def test_a_batch_that_races_another_is_refused_whole(db: Any) -> None:
    kpi = make_kpi()
    raw, mapping = values.records_table(batch()[:100])
    rows = values.check(kpi, raw, mapping, TODAY)  # checked: none of these is saved yet
    values.append(None, kpi, rows[50:51])  # another batch saves one of them meanwhile
    with pytest.raises(Conflict, match="saved by someone else a moment ago; nothing of "
                                       "this batch was saved"):
        values.append(None, kpi, rows)
