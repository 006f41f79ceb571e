"""Every route, tried as every role, generated from the URL map.

A route added without an access policy, or without a line in ``EXPECTED`` below, fails
this suite: access is decided on purpose, never by omission. The project used here is led,
sponsored and staffed by other people, so only rights that come with a role show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from ciapp import create_app
from ciapp.auth.models import ApiToken
from ciapp.auth.services import issue_token
from ciapp.extensions import db as _db
from ciapp.gates import services as gates
from ciapp.notifications.models import Notification
from tests import factories
from tests.conftest import sign_in

ROLES = ("admin", "council", "finance", "belt", "member", "viewer")
EVERYONE = frozenset(ROLES)
PUBLIC = "public"

# endpoint -> roles allowed (on a project where the user has no part), or PUBLIC.
EXPECTED: dict[str, frozenset[str] | str] = {
    "home.index": EVERYONE,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": EVERYONE,
    "auth.account": EVERYONE,
    "auth.change_password": EVERYONE,
    "auth.create_token": EVERYONE,
    "auth.revoke_token": EVERYONE,  # one's own tokens; another's answers 404
    "projects.index": EVERYONE,
    "projects.new": frozenset({"admin", "council", "belt"}),
    "projects.show": EVERYONE,
    "projects.edit": frozenset({"admin"}),
    "projects.charter_field": EVERYONE,
    "projects.charter_field_edit": frozenset({"admin"}),
    "projects.charter_field_save": frozenset({"admin"}),
    "projects.add_member": frozenset({"admin"}),
    "projects.remove_member": frozenset({"admin"}),
    "projects.change_status": frozenset({"admin", "council"}),
    "projects.set_sponsor": frozenset({"admin", "council"}),
    "gates.panel": EVERYONE,
    "gates.reviews_waiting": EVERYONE,
    "gates.request_review": frozenset(),
    "gates.tick": frozenset({"admin", "council"}),
    "gates.decide": frozenset({"council"}),
    "notifications.index": EVERYONE,
    "notifications.read_all": EVERYONE,
    "notifications.read": EVERYONE,
    "datasets.index": EVERYONE,
    "datasets.new": frozenset({"admin"}),
    "datasets.append": frozenset({"admin"}),
    "datasets.preview": frozenset(),  # an upload is seen only by whoever sent it
    "datasets.show": EVERYONE,
    "datasets.version": EVERYONE,
    "datasets.download": EVERYONE,
    "datasets.detail": EVERYONE,
    "datasets.detail_edit": frozenset({"admin"}),
    "datasets.detail_save": frozenset({"admin"}),
    "datasets.point": EVERYONE,
    "datasets.point_save": frozenset({"admin"}),
    "datasets.point_exclude": frozenset({"admin"}),
    "analyses.chart": EVERYONE,
    "analyses.capability": EVERYONE,
    "analyses.comparison": EVERYONE,
    "analyses.pareto": EVERYONE,
    "analyses.gage": EVERYONE,
    "analyses.save": frozenset({"admin"}),
    "analyses.records": EVERYONE,
    "analyses.record": EVERYONE,
    "attachments.index": EVERYONE,
    "attachments.upload": frozenset({"admin"}),
    "attachments.download": EVERYONE,  # whoever may read the project
    "attachments.delete": frozenset({"admin"}),
    "rootcause.index": EVERYONE,
    "rootcause.chain": EVERYONE,
    "rootcause.fishbone": EVERYONE,
    "rootcause.fishbone_svg": EVERYONE,
    "rootcause.fishbone_png": EVERYONE,
    "rootcause.chain_create": frozenset({"admin"}),
    "rootcause.chain_problem": frozenset({"admin"}),
    "rootcause.chain_delete": frozenset({"admin"}),
    "rootcause.why_add": frozenset({"admin"}),
    "rootcause.why_save": frozenset({"admin"}),
    "rootcause.why_move": frozenset({"admin"}),
    "rootcause.why_delete": frozenset({"admin"}),
    "rootcause.why_root": frozenset({"admin"}),
    "rootcause.verify": frozenset({"admin"}),
    "rootcause.fishbone_start": frozenset({"admin"}),
    "rootcause.effect": frozenset({"admin"}),
    "rootcause.category_add": frozenset({"admin"}),
    "rootcause.category_rename": frozenset({"admin"}),
    "rootcause.category_delete": frozenset({"admin"}),
    "rootcause.cause_add": frozenset({"admin"}),
    "rootcause.cause_save": frozenset({"admin"}),
    "rootcause.cause_status": frozenset({"admin"}),
    "rootcause.cause_vote": frozenset({"admin"}),
    "rootcause.cause_delete": frozenset({"admin"}),
    "rootcause.fmea_table": EVERYONE,
    "rootcause.fmea_add": frozenset({"admin"}),
    "rootcause.fmea_save": frozenset({"admin"}),
    "rootcause.fmea_delete": frozenset({"admin"}),
    "rootcause.sipoc": EVERYONE,
    "rootcause.sipoc_add": frozenset({"admin"}),
    "rootcause.sipoc_delete": frozenset({"admin"}),
    "a3.show": EVERYONE,
    "a3.download": EVERYONE,
    "improve.index": EVERYONE,
    "improve.my_actions": EVERYONE,
    "improve.countermeasure_create": frozenset({"admin"}),
    "improve.countermeasure_delete": frozenset({"admin"}),
    "improve.countermeasure_field": EVERYONE,
    "improve.countermeasure_field_edit": frozenset({"admin"}),
    "improve.countermeasure_field_save": frozenset({"admin"}),
    "improve.action_create": frozenset({"admin"}),
    "improve.action_delete": frozenset({"admin"}),
    "improve.action_field": EVERYONE,
    "improve.action_field_edit": frozenset({"admin"}),
    "improve.action_field_save": frozenset({"admin"}),
    "improve.control_create": frozenset({"admin"}),
    "improve.control_delete": frozenset({"admin"}),
    "improve.control_field": EVERYONE,
    "improve.control_field_edit": frozenset({"admin"}),
    "improve.control_field_save": frozenset({"admin"}),
    "improve.lessons_field": EVERYONE,
    "improve.lessons_field_edit": frozenset({"admin"}),
    "improve.lessons_field_save": frozenset({"admin"}),
    "benefits.index": EVERYONE,
    "benefits.line_create": frozenset({"admin"}),
    "benefits.line_derive": frozenset({"admin"}),
    "benefits.line_save": frozenset({"admin"}),
    "benefits.line_delete": frozenset({"admin"}),
    "benefits.line_field": EVERYONE,
    "benefits.line_field_edit": frozenset({"admin"}),
    "benefits.line_field_save": frozenset({"admin"}),
    "benefits.month_save": frozenset({"admin"}),
    "benefits.submit": frozenset({"admin"}),
    "benefits.reopen": frozenset({"admin"}),
    "benefits.decide": frozenset({"finance"}),  # never on a project one has a part in
    "benefits.cost_create": frozenset({"admin"}),
    "benefits.cost_delete": frozenset({"admin"}),
    "benefits.queue": frozenset({"finance", "admin"}),
    "portfolio.board": EVERYONE,
    "leadership.index": EVERYONE,
    "leadership.pdf": EVERYONE,
    "leadership.lines_page": EVERYONE,
    "leadership.export_portfolio": EVERYONE,
    "leadership.export_benefits": EVERYONE,
    "leadership.email_preview": frozenset({"admin"}),
    "leadership.email_send": frozenset({"admin"}),
    "portfolio.table": EVERYONE,
    "portfolio.attention": EVERYONE,
    "portfolio.project_health": EVERYONE,
    "portfolio.set_health": frozenset(),  # the lead only
    "portfolio.ideas_index": EVERYONE,
    "portfolio.submit_idea": EVERYONE,  # anyone submits an idea
    "portfolio.pick_chart_svg": EVERYONE,
    "portfolio.pick_chart_png": EVERYONE,
    "portfolio.idea": EVERYONE,
    "portfolio.score_idea": frozenset({"council"}),
    "portfolio.idea_to_project": frozenset({"council"}),
    "portfolio.decide_idea": frozenset({"council"}),
    # KPIs: everyone reads them; belts, council and admins create them; the owner (someone
    # else here) or an admin changes one
    "kpis.board": EVERYONE,
    "kpis.new": frozenset({"admin", "council", "belt"}),
    "kpis.show": EVERYONE,
    "kpis.edit": frozenset({"admin"}),
    "kpis.add_value": frozenset({"admin"}),
    "kpis.upload": frozenset({"admin"}),
    "kpis.correct_value": frozenset({"admin"}),
    "kpis.rebase": frozenset({"admin"}),
    "kpis.improve": frozenset({"admin", "council", "belt"}),
    "kpis.change_date": frozenset({"admin"}),  # the project's lead and team
    "kpis.report_page": EVERYONE,
    "kpis.report_file": EVERYONE,
    "kpis.report_print": EVERYONE,
    "kpis.report_email": frozenset({"admin"}),
    "kpis.report_send": frozenset({"admin"}),
    "kpis.add_schedule": frozenset({"admin"}),
    "kpis.remove_schedule": frozenset({"admin"}),
}
# Importing an existing programme (a project register, a benefits sheet): the programme
# office's work, so admins and the council; an upload is then seen only by whoever sent it
# (another's, like the data set draft used here, is 404).
EXPECTED |= {
    "programme.index": frozenset({"admin", "council"}),
    "programme.upload": frozenset({"admin", "council"}),
    "programme.template": frozenset({"admin", "council"}),
    "programme.mapping": frozenset({"admin", "council"}),
}
ADMIN_ONLY_PREFIX = "admin."


def expected_for(endpoint: str) -> frozenset[str] | str:
    if endpoint in EXPECTED:
        return EXPECTED[endpoint]
    if endpoint.startswith(ADMIN_ONLY_PREFIX):
        return frozenset({"admin"})
    if endpoint.startswith("api."):
        from tests.api.access import API_EXPECTED

        return API_EXPECTED[endpoint]
    raise AssertionError(f"{endpoint} has no expected access: add it to EXPECTED")


def _routes() -> list[tuple[str, str, str]]:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule.rule, method))
    return found


ROUTES = _routes()


def test_every_view_declares_an_access_policy(app: Flask) -> None:
    missing = [endpoint for endpoint, view in app.view_functions.items()
               if endpoint != "static" and not hasattr(view, "access")]
    assert missing == []


def _world() -> dict[str, Any]:
    """A project owned by others, a pending review, one user per role."""
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    review = gates.request_review(lead, project, "ready")
    users = {role: factories.user(role) for role in ROLES}
    notes = {}
    for role, user in users.items():
        note = Notification(user_id=user.id, message="hello", project_id=project.id)
        _db.session.add(note)
        _db.session.flush()
        notes[role] = note.id
    tokens = {role: issue_token(user) for role, user in users.items()}
    token_ids = {role: _db.session.scalar(select(ApiToken.id).where(
        ApiToken.user_id == user.id)) for role, user in users.items()}
    site, area = factories.site_and_area()
    data = _data(lead, project)
    improve = _improve(lead, project)
    data.update(_kpis(lead))
    idea_id = _idea(lead)
    _db.session.commit()
    return {"project": project, "review": review, "users": users, "notes": notes,
            "tokens": tokens, "token_ids": token_ids, "site": site, "area": area,
            "member_id": project.team[0].id, "data": data,
            "improve": improve, "idea_id": idea_id}


def _data(lead: Any, project: Any) -> dict[str, int]:
    """A data set of the project and an import the lead has not confirmed yet."""
    from ciapp.datasets import imports

    dataset = factories.dataset(project)
    draft = imports.start(lead, project.id, b"value\n1.5\n2.5\n", filename="a.csv")
    from ciapp.analyses import services as analyses

    record = analyses.save_record(lead, project, "chart",
                                  [analyses.source(project, dataset.id)], {})
    return {"dataset_id": dataset.id, "draft_id": draft.id, "n": 1, "number": 1,
            "record_id": record.id, **_root_cause(lead, project),
            **_benefits(lead, project), "attachment_id": _attachment(lead, project)}


def _attachment(lead: Any, project: Any) -> int:
    """A PDF attached to the project, its file on disk so that downloads can succeed."""
    import io

    from ciapp.attachments import pages, services

    row = services.add(lead, project, services.Owner("project"),
                       io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "plan.pdf", folder=pages.folder(),
                       max_bytes=2**20)
    return row.id


def _benefits(lead: Any, project: Any) -> dict[str, int]:
    """A benefit line with its projection waiting for finance, and a project cost."""
    from datetime import date
    from decimal import Decimal

    from ciapp.benefits import services as benefits
    from ciapp.benefits import validation

    line = benefits.create_line(lead, project, benefits.LineInput(
        "hard_savings", "Less scrap", "", Decimal("100"), "parts", Decimal("2.50"),
        date(2026, 1, 1)))
    validation.submit(lead, line, "projected", line.version)
    cost = benefits.add_cost(lead, project, "one_off", "Vent cleaning kit", Decimal("500"))
    return {"line_id": line.id, "cost_id": cost.id}


def _root_cause(lead: Any, project: Any) -> dict[str, int]:
    """A 5-Whys chain ending in a root cause, and a fishbone with one cause."""
    from ciapp.rootcause import fishbone
    from ciapp.rootcause import services as rootcause

    chain = rootcause.create_chain(lead, project.id, "Late deliveries")
    why = rootcause.add_why(lead, chain, "Trucks leave late")
    root = rootcause.mark_root(lead, why, True)
    bone = fishbone.get_or_create(project.id)
    cause = fishbone.add_cause(lead, bone, bone.categories[0].id, "Untrained drivers")
    from ciapp.rootcause import fmea

    row = fmea.add_row(lead, project.id, {"failure_mode": "Wrong part", "severity": "5",
                                          "occurrence": "4", "detection": "3"})
    item = fmea.add_sipoc(lead, project.id, "suppliers", "Warehouse")
    return {"chain_id": chain.id, "why_id": why.id, "root_id": root.id,
            "category_id": bone.categories[0].id, "cause_id": cause.id, "fmea_id": row.id,
            "item_id": item.id}


def _improve(lead: Any, project: Any) -> dict[str, int]:
    """A countermeasure with one action, and a control plan row."""
    from ciapp.improve import services as improve

    cm = improve.create_countermeasure(lead, project, "Fixed loading slots", [])
    action = improve.add_action(lead, cm, "Train drivers", lead.id, improve.today())
    row = improve.add_control_row(lead, project, {"process_step": "Load", "characteristic":
                                                  "Delay", "reaction_plan": "Escalate"},
                                  None, None)
    return {"countermeasure_id": cm.id, "action_id": action.id, "control_id": row.id}


def _idea(author: Any) -> int:
    """An idea someone else submitted, scored, waiting for the council's decision."""
    from ciapp.portfolio import ideas

    idea = ideas.submit(author, {"title": "Kanban for spare parts"})
    idea.effort, idea.impact = 3, 8
    return idea.id


def _kpis(owner: Any) -> dict[str, Any]:
    """A KPI owned by someone else, with one value."""
    from ciapp.kpis import services as kpis
    from ciapp.kpis import values

    kpi = kpis.create_kpi(owner, {"name": "On-time delivery", "better": "higher",
                                  "frequency": "daily"})
    values.append(owner, kpi, [values.Row(date(2026, 1, 5), 95.0, None, "")])
    return {"kpi_id": kpi.id, "period": "2026-01-05"}


def _url_args(rule: Any, world: dict[str, Any], role: str | None) -> dict[str, Any]:
    samples = {
        "key": world["project"].key,
        "field": "goal",
        "member_id": world["member_id"],
        "item": "sponsor_agreed",
        "review_id": world["review"].id,
        "notification_id": world["notes"].get(role or "viewer"),
        "user_id": world["users"]["member"].id,
        "unit_id": world["area"].id,
        "token_id": world["token_ids"].get(role or "viewer"),
        **world["data"],
        **world["improve"],
        "idea_id": world["idea_id"],
        "fmt": "csv",
        "kind": "projects",
        "schedule_id": 1,  # none exists: an admin's removal answers 404
    }
    unknown = set(rule.arguments) - set(samples)
    assert not unknown, f"{rule.rule}: give the permission test a sample for {unknown}"
    return {name: samples[name] for name in rule.arguments}


@pytest.mark.parametrize(("endpoint", "path", "method"), ROUTES,
                         ids=[f"{m} {p}" for _, p, m in ROUTES])
def test_route_access_by_role(app: Flask, db: Any, endpoint: str, path: str,
                              method: str) -> None:
    allowed = expected_for(endpoint)
    world = _world()
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint
                and r.rule == path)
    is_api = path.startswith("/api/")
    for role in (None, *ROLES):
        client = app.test_client()
        headers = {}
        if role is not None:
            if is_api:
                headers["Authorization"] = f"Bearer {world['tokens'][role]}"
            else:
                sign_in(client, world["users"][role])
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **_url_args(rule, world, role))
        response = client.open(url, method=method, headers=headers, data={})
        who = role or "anonymous"
        assert response.status_code < 500, f"{method} {url} as {who}: {response.status_code}"
        if allowed == PUBLIC:
            assert response.status_code not in (401, 403), f"{method} {url} as {who}"
        elif role is None:
            if is_api:
                assert response.status_code == 401, f"{method} {url} as {who}"
            else:
                assert response.status_code == 302, f"{method} {url} as {who}"
                assert "/auth/login" in response.headers["Location"]
        elif role in allowed:
            assert response.status_code not in (401, 403), f"{method} {url} as {who}"
        else:
            assert response.status_code == 403, f"{method} {url} as {who}"
