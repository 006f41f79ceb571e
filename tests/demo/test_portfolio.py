"""The demo's portfolio: health reports by the leads and ideas at every stage of screening,
made through the real services."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from ciapp.audit.models import AuditEvent
from ciapp.portfolio.models import HealthUpdate, Idea
from ciapp.projects.models import Project


def test_the_demo_reports_health_and_holds_ideas_at_every_stage(app: Flask, db: Any) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0

    reports = db.session.scalars(select(HealthUpdate)).all()
    ideas = {i.title: i for i in db.session.scalars(select(Idea))}

    assert {r.health for r in reports} == {"on_track", "at_risk", "off_track"}
    for report in reports:
        project = db.session.get(Project, report.project_id)
        assert report.set_by_id == project.lead_id and project.status == "active"
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "health")).all()
    assert {i.status for i in ideas.values()} == {"new", "quick_win", "declined"}
    assert (ideas["Kanban for moulding spare parts"].effort,
            ideas["Kanban for moulding spare parts"].impact) == (3, 8)
    assert ideas["Pre-heat the next mould during changeover"].effort is None
    assert all(i.org_unit_id is not None for i in ideas.values())
