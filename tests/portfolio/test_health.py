"""Project health: the lead's report (with a reason, kept, audited) and the data's
suggestion from overdue actions, a late gate and a sustain signal."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.portfolio.health import suggest
from ciapp.portfolio.models import HealthUpdate
from tests import factories
from tests.conftest import sign_in
from tests.portfolio.conftest import overdue_action, project, sustain_flag

TODAY = date(2026, 11, 26)


def suggestion(**changes):
    values = {"status": "active", "overdue": 0, "signals": 0, "days_in_phase": 10,
              "stalled": False, "stalled_days": 60, "phase_label": "Measure",
              "target_date": None, "today": TODAY} | changes
    return suggest(**values)


def test_nothing_wrong_suggests_on_track() -> None:
    assert suggestion() == suggestion().__class__("on_track", ())


def test_one_or_two_overdue_actions_put_a_project_at_risk_three_off_track() -> None:
    assert suggestion(overdue=1).health == "at_risk"
    assert suggestion(overdue=1).reasons == ("1 overdue action",)
    assert suggestion(overdue=2).health == "at_risk"
    assert suggestion(overdue=3).health == "off_track"
    assert suggestion(overdue=3).reasons == ("3 overdue actions",)


def test_a_late_gate_and_a_missed_target_date_put_an_active_project_at_risk() -> None:
    late = suggestion(stalled=True, days_in_phase=75)
    past = suggestion(target_date=TODAY - timedelta(days=1))

    assert late.health == "at_risk"
    assert late.reasons == ("gate late: 75 days in Measure (more than 60)",)
    assert past.reasons == ("past its target date (2026-11-25)",)
    # On hold is the council's decision, not a delay.
    assert suggestion(status="on_hold", stalled=True,
                      target_date=TODAY - timedelta(days=1)).health == "on_track"


def test_a_sustain_signal_puts_even_a_closed_project_off_track_worst_reason_first() -> None:
    both = suggestion(status="closed", signals=1, overdue=1)

    assert both.health == "off_track"
    assert both.reasons[0] == "sustain monitoring raised 1 signal: did the gain hold?"
    assert both.reasons[1] == "1 overdue action"
    assert suggestion(status="cancelled", signals=2).health == "on_track"


def test_the_lead_reports_health_with_a_reason_kept_in_history_and_audit(client, db) -> None:
    lead = factories.user("belt")
    p = project(lead)
    db.session.commit()
    sign_in(client, lead)

    first = client.post(f"/portfolio/projects/{p.key}/health",
                        data={"health": "on_track", "reason": "Baseline done.", "seen": "0"})
    second = client.post(f"/portfolio/projects/{p.key}/health", data={
        "health": "at_risk", "reason": "Supplier data late.",
        "seen": str(db.session.scalar(select(func.max(HealthUpdate.id))))})
    page = client.get(f"/portfolio/projects/{p.key}/health").get_data(as_text=True)

    assert (first.status_code, second.status_code) == (302, 302)
    assert page.index("Supplier data late.") < page.index("Baseline done.")  # newest first
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.project_id == p.id, AuditEvent.action == "health")
        .order_by(AuditEvent.id)).all()
    assert [e.changes["health"] for e in events] == [[None, "on_track"],
                                                      ["on_track", "at_risk"]]
    assert events[1].actor_id == lead.id and "Supplier data late." in events[1].summary


def test_a_report_without_a_reason_is_refused_and_nothing_saved(client, db) -> None:
    lead = factories.user("belt")
    p = project(lead)
    db.session.commit()
    sign_in(client, lead)

    response = client.post(f"/portfolio/projects/{p.key}/health",
                           data={"health": "off_track", "reason": "  ", "seen": "0"})

    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(HealthUpdate)) == 0


def test_a_report_made_on_a_stale_page_is_refused(client, db) -> None:
    lead = factories.user("belt")
    p = project(lead)
    db.session.add(HealthUpdate(project_id=p.id, health="on_track", reason="Fine.",
                                set_by_id=lead.id))
    db.session.commit()
    sign_in(client, lead)

    response = client.post(f"/portfolio/projects/{p.key}/health",
                           data={"health": "off_track", "reason": "Late.", "seen": "0"})

    assert response.status_code == 409
    assert "reported again since you loaded the page" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(HealthUpdate)) == 1


def test_only_the_lead_reports_health(client, db) -> None:
    p = project(complete=True)  # with a sponsor and a team member
    people = {"sponsor": p.sponsor, "team member": p.team[0].user,
              **{role: factories.user(role) for role in ("admin", "council", "viewer")}}
    db.session.commit()
    for who, user in people.items():
        sign_in(client, user)
        response = client.post(f"/portfolio/projects/{p.key}/health",
                               data={"health": "on_track", "reason": "x", "seen": "0"})
        assert response.status_code == 403, who
    assert db.session.scalar(select(func.count()).select_from(HealthUpdate)) == 0


def test_the_health_page_shows_the_data_suggestion_beside_the_report(client, login_as,
                                                                     db) -> None:
    login_as("viewer")
    p = project(phase="sustain", status="closed")
    sustain_flag(p)
    overdue_action(p, 4)
    db.session.add(HealthUpdate(project_id=p.id, health="on_track", reason="All good.",
                                set_by_id=p.lead_id))
    db.session.commit()

    page = client.get(f"/portfolio/projects/{p.key}/health").get_data(as_text=True)
    table = client.get("/portfolio/table?status=closed").get_data(as_text=True)

    assert "Suggested by the data: <span class=\"health health-off_track\">Off track" in page
    assert "sustain monitoring raised 1 signal: did the gain hold?; 1 overdue action" in page
    assert "data suggest: <span class=\"health health-off_track\">" in table
    assert "not reported" not in table


def test_the_project_page_links_its_lead_to_the_health_report(client, db) -> None:
    lead = factories.user("belt")
    p = project(lead)
    db.session.commit()
    sign_in(client, lead)

    page = client.get(f"/projects/{p.key}").get_data(as_text=True)

    assert f'<a href="/portfolio/projects/{p.key}/health">Health: report it</a>' in page
