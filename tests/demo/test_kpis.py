"""The demo's KPI board: a site's worth of KPIs, current to yesterday, with one real shift
(dock-to-stock time, improving) and one rare-event KPI (lost-time injuries, a g chart)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from ciapp.kpis import summary
from ciapp.kpis.models import Kpi


def test_the_demo_board_is_alive(app: Flask, db: Any) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0

    kpis = {k.name: k for k in db.session.scalars(select(Kpi))}
    tiles = {t.kpi.name: t for t in summary.board(summary.Filters(), date.today())}

    assert len(kpis) == 7
    assert {k.org_unit.label.split(" > ")[0] for k in kpis.values()} == {
        "Riverside Distribution Centre"}
    assert not any(t.no_data for t in tiles.values())  # current to yesterday
    shift = tiles["Dock-to-stock time"].status
    assert shift["variation"] == "improving" and shift["method"] == "control chart"
    assert any("shift" in s for s in shift["signals"])
    injuries = tiles["Lost-time injuries"]
    assert injuries.kpi.chart == "g" and injuries.status["method"] == "control chart"
    assert {t.status["variation"] for t in tiles.values()} >= {"common", "improving"}
