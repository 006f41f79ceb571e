"""No half-saved state, continued: finance's validation of a benefit line, a KPI's values
appended (typed and uploaded on its page, JSON and a file through the API), a project started
from a KPI (the project, its baseline data set and the link) and an idea turned into a
project. The pattern and its helpers are ``test_faults.py``'s: let the operation do all its
work, raise at its last step, find every table as it was and a 500 saying nothing was saved.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests import factories
from tests.ops.test_faults import (
    _as,
    _bearer,
    assert_nothing_saved,
    every_row,
    fail_after,
    make_world,
)


@pytest.fixture
def world(client: Any, db: Any) -> dict[str, Any]:
    return make_world(db)

# --- finance's validation of a benefit line ---------------------------------------------


@pytest.fixture
def submitted_line(world: dict[str, Any], db: Any) -> Any:
    """A benefit line whose projected figure waits for finance, and a finance validator."""
    from datetime import date
    from decimal import Decimal

    from ciapp.benefits import services as benefits
    from ciapp.benefits import validation

    line = benefits.create_line(world["lead"], world["project"], benefits.LineInput(
        "hard_savings", "Less scrap", "", Decimal("100"), "parts", Decimal("2.50"),
        date(2026, 1, 1)))
    validation.submit(world["lead"], line, "projected", line.version)
    world["finance"] = factories.user("finance")
    db.session.commit()
    return line


@pytest.mark.parametrize(("decision", "comment"), [
    ("approve", ""), ("return", "The unit cost is last year's; use this year's.")])
def test_a_benefit_validation_on_the_page(client: Any, world: dict[str, Any],
                                          submitted_line: Any, decision: str, comment: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from ciapp.benefits import validation

    line = submitted_line
    _as(client, world["finance"])
    before = every_row()
    # The decision's last step: its audit event, after the line has changed.
    calls = fail_after(monkeypatch, validation, "audit_line")

    response = client.post(f"/projects/{world['project'].key}/benefits/{line.id}/decision",
                           data={"part": "projected", "decision": decision, "comment": comment,
                                 "version": str(line.version)})

    assert_nothing_saved(response, before, calls)
    assert line.projected_state == "pending"


def test_a_benefit_validation_through_the_api(client: Any, world: dict[str, Any], db: Any,
                                              submitted_line: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from ciapp.benefits import validation

    line = submitted_line
    bearer = _bearer(db, world["finance"], client)
    before = every_row()
    calls = fail_after(monkeypatch, validation, "decide")

    response = client.post(f"/api/v1/projects/{world['project'].key}/benefits/{line.id}"
                           "/validation", headers=bearer,
                           json={"part": "projected", "decision": "approve",
                                 "version": line.version})

    assert_nothing_saved(response, before, calls)
    assert line.projected_state == "pending"


# --- a KPI's values appended: typed, uploaded, sent to the API --------------------------


@pytest.fixture
def kpi(world: dict[str, Any], db: Any) -> Any:
    from datetime import date

    from ciapp.kpis import services as kpis
    from ciapp.kpis import values

    made = kpis.create_kpi(world["lead"], {"name": "On-time delivery", "better": "higher",
                                           "frequency": "daily"})
    values.append(world["lead"], made, [values.Row(date(2026, 1, 5), 95.0, None, "")])
    db.session.commit()
    return made


KPI_CSV = b"period,value\n2026-01-06,96\n2026-01-07,94.5\n"


def _kpi_fault(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """An append's last step: what follows the values (the limits they touch, the board's
    summary, the data sets of projects started from the KPI)."""
    from ciapp.kpis import pages

    return fail_after(monkeypatch, pages, "after_values")


@pytest.mark.parametrize("how", ["typed", "upload"])
def test_a_kpi_append_on_the_page(client: Any, world: dict[str, Any], kpi: Any, how: str,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _as(client, world["lead"])
    before = every_row()
    calls = _kpi_fault(monkeypatch)

    if how == "typed":
        response = client.post(f"/kpis/{kpi.id}/values",
                               data={"period": "2026-01-06", "value": "96"})
    else:
        response = client.post(f"/kpis/{kpi.id}/upload", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(KPI_CSV), "otd.csv"),
                                     "map_period": "period", "map_value": "value"})

    assert_nothing_saved(response, before, calls)


@pytest.mark.parametrize("how", ["json", "file"])
def test_a_kpi_append_through_the_api(client: Any, world: dict[str, Any], kpi: Any, db: Any,
                                      how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bearer = {**_bearer(db, world["lead"], client), "Idempotency-Key": f"kpi-{how}"}
    before = every_row()
    calls = _kpi_fault(monkeypatch)

    if how == "json":
        response = client.post(f"/api/v1/kpis/{kpi.id}/values", headers=bearer,
                               json={"values": [{"period": "2026-01-06", "value": 96}]})
    else:
        response = client.post(f"/api/v1/kpis/{kpi.id}/values", headers=bearer,
                               content_type="multipart/form-data",
                               data={"file": (io.BytesIO(KPI_CSV), "otd.csv"),
                                     "map": '{"period": "period", "value": "value"}'})

    assert_nothing_saved(response, before, calls)  # nor the key: a retry will run again


# --- a project started from a KPI, and from an idea -------------------------------------


def test_a_project_started_from_a_kpi(client: Any, world: dict[str, Any], kpi: Any, db: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from ciapp.kpis import improvement, values

    values.append(world["lead"], kpi, [values.Row(date(2026, 1, 6), 96.0, None, "")])
    db.session.commit()
    _as(client, world["lead"])
    before = every_row()
    calls = fail_after(monkeypatch, improvement, "start")

    response = client.post(f"/kpis/{kpi.id}/improve", data={"title": "Lift on-time delivery"})

    assert_nothing_saved(response, before, calls)


def test_an_idea_turned_into_a_project(client: Any, world: dict[str, Any], db: Any,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ciapp.portfolio import ideas

    idea = ideas.submit(world["lead"], {"title": "Kanban for spare parts"})
    idea.effort, idea.impact = 3, 8
    db.session.commit()
    _as(client, world["council"])
    before = every_row()
    calls = fail_after(monkeypatch, ideas, "to_project")

    response = client.post(f"/portfolio/ideas/{idea.id}/project",
                           data={"lead_id": str(world["lead"].id), "methodology": "dmaic",
                                 "version": str(idea.version)})

    assert_nothing_saved(response, before, calls)
