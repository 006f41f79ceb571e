"""The benefits page, finance's queue and the start page's link, as users see them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from ciapp.benefits import services, validation
from ciapp.benefits.models import BenefitLine, ProjectCost
from ciapp.extensions import db as _db
from tests import factories
from tests.benefits.conftest import add_line, comparison
from tests.conftest import sign_in

D = Decimal
NEW = {"category": "hard_savings", "description": "Less scrap on Press 7",
       "method": "410 parts a day fewer x 1.85", "quantity": "102500", "quantity_unit": "parts",
       "unit_value": "1.85", "start_month": "2026-03"}


def _mine(login_as: Any) -> tuple[Any, Any]:
    lead = login_as("belt")
    project = factories.project(lead, complete=True)
    _db.session.commit()
    return lead, project


def _lines() -> int:
    return int(_db.session.scalar(select(func.count()).select_from(BenefitLine)) or 0)


def test_the_team_adds_a_line_and_sees_its_calculation(client: FlaskClient,
                                                       login_as: Any) -> None:
    _, project = _mine(login_as)

    r = client.post(f"/projects/{project.key}/benefits", data=NEW)

    assert r.status_code == 302
    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)
    # 102,500 x 1.85 = 189,625.00 a year; a twelfth is 15,802.0833: 15,802.09 for the
    # first month (one extra cent), 15,802.08 after.
    assert "189,625.00 EUR" in page and "102,500 parts" in page
    assert "15,802.09 EUR" in page and "15,802.08 EUR" in page
    assert "410 parts a day fewer x 1.85" in page


def test_bad_amounts_are_refused_with_a_message_and_nothing_saved(client: FlaskClient,
                                                                  login_as: Any) -> None:
    _, project = _mine(login_as)
    for field, value, words in (("unit_value", "1,85", "at most two decimals"),
                                ("unit_value", "1.855", "at most two decimals"),
                                ("quantity", "1e5", "four decimals"),
                                ("start_month", "March", "YYYY-MM"),
                                ("category", "savings", "Not a valid choice")):
        r = client.post(f"/projects/{project.key}/benefits", data=NEW | {field: value})
        assert r.status_code == 422, (field, value)
        assert words in r.get_data(as_text=True), (field, value)
    assert _lines() == 0


def test_viewers_read_but_see_no_edit_or_validation_forms(client: FlaskClient,
                                                          login_as: Any, db: Any) -> None:
    lead, project = team_project()
    add_line(lead, project)
    _db.session.commit()
    login_as("viewer")

    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)

    assert "Less scrap" in page and "3,000.00 EUR" in page
    assert "Add a benefit line" not in page and "Approve and lock" not in page
    assert client.post(f"/projects/{project.key}/benefits", data=NEW).status_code == 403


def team_project() -> tuple[Any, Any]:
    lead = factories.user("belt")
    return lead, factories.project(lead, complete=True)


def test_finance_approves_from_the_queue_and_the_figure_locks(client: FlaskClient,
                                                              login_as: Any) -> None:
    lead, project = team_project()
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    _db.session.commit()
    finance = login_as("finance")

    queue = client.get("/benefits/queue").get_data(as_text=True)
    assert project.key in queue and "Less scrap" in queue and "Approve and lock" in queue
    start = client.get("/").get_data(as_text=True)
    assert "Benefits waiting for validation" in start and "(1)" in start

    r = client.post(f"/projects/{project.key}/benefits/{line.id}/decision",
                    data={"part": "projected", "decision": "approve", "comment": "Matches "
                          "the scrap report", "version": str(line.version), "next": "queue"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/benefits/queue")
    _db.session.refresh(line)
    assert (line.projected_state, line.projected_by_id) == ("approved", finance.id)
    assert "Nothing is waiting" in client.get("/benefits/queue").get_data(as_text=True)

    sign_in(client, lead)
    r = client.post(f"/projects/{project.key}/benefits/{line.id}",
                    data=NEW | {"version": str(line.version)})
    assert r.status_code == 409
    assert "locked" in r.get_data(as_text=True)
    _db.session.refresh(line)
    assert line.projected == D("3000.00")


def test_finance_on_the_team_cannot_validate(client: FlaskClient, login_as: Any) -> None:
    finance = login_as("finance")
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    from ciapp.projects import services as projects

    projects.add_member(lead, project, finance.id, "Controller")
    line = add_line(lead, project)
    validation.submit(lead, line, "projected", line.version)
    _db.session.commit()

    r = client.post(f"/projects/{project.key}/benefits/{line.id}/decision",
                    data={"part": "projected", "decision": "approve",
                          "version": str(line.version)})

    assert r.status_code == 403
    assert "another finance validator decides" in client.get(
        "/benefits/queue").get_data(as_text=True)


def test_stale_version_is_409_and_nothing_changes(client: FlaskClient,
                                                  login_as: Any) -> None:
    lead, project = _mine(login_as)
    line = add_line(lead, project)
    _db.session.commit()
    old = line.version
    services.set_month(lead, line, date(2026, 1, 1), D("100.00"), line.version)
    _db.session.commit()

    r = client.post(f"/projects/{project.key}/benefits/{line.id}/months",
                    data={"month": "2026-01", "amount": "999.00", "version": str(old)})

    assert r.status_code == 409
    _db.session.refresh(line)
    assert [m.amount for m in line.months] == [D("100.00")]


def test_months_submit_and_return_with_a_comment(client: FlaskClient, login_as: Any) -> None:
    lead, project = _mine(login_as)
    line = add_line(lead, project)
    _db.session.commit()
    key = project.key

    client.post(f"/projects/{key}/benefits/{line.id}/months",
                data={"month": "2026-01", "amount": "250.00", "version": str(line.version)})
    _db.session.refresh(line)
    client.post(f"/projects/{key}/benefits/{line.id}/submit",
                data={"part": "realized", "version": str(line.version)})
    _db.session.refresh(line)
    assert [m.state for m in line.months] == ["pending"]

    sign_in(client, factories.user("finance"))
    _db.session.commit()
    r = client.post(f"/projects/{key}/benefits/{line.id}/decision",
                    data={"part": "realized", "decision": "return",
                          "version": str(line.version)})
    assert r.status_code == 422 and "Say why you return it" in r.get_data(as_text=True)
    client.post(f"/projects/{key}/benefits/{line.id}/decision",
                data={"part": "realized", "decision": "return", "comment": "Attach the "
                      "January scrap report", "version": str(line.version)})

    page = client.get(f"/projects/{key}/benefits").get_data(as_text=True)
    assert "Returned by finance" in page and "Attach the January scrap report" in page


def test_a_line_estimated_from_a_comparison_shows_its_range_and_backing(
        client: FlaskClient, login_as: Any) -> None:
    _, project = _mine(login_as)
    record = comparison(project)
    _db.session.commit()

    r = client.post(f"/projects/{project.key}/benefits/derive", data={
        "record_id": str(record.id), "category": "soft_savings",
        "description": "Faster order picking", "unit_cost": "1.20", "volume": "10000",
        "quantity_unit": "minutes", "start_month": "2026-04"})

    assert r.status_code == 302
    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)
    # 2.5 min x 10,000 x 1.20 = 30,000.00; the CI ends 1.9 and 3.1 min: 22,800 to 37,200.
    assert "30,000.00 EUR" in page
    assert "22,800.00 EUR" in page and "37,200.00 EUR" in page
    assert "Backed by a significant before/after change" in page
    assert "confidence interval 95%" in page


def test_costs_give_roi_and_payback(client: FlaskClient, login_as: Any) -> None:
    lead, project = _mine(login_as)
    add_line(lead, project, quantity="1000", unit_value="24.00")
    _db.session.commit()
    client.post(f"/projects/{project.key}/costs",
                data={"kind": "one_off", "description": "Vent cleaning kit",
                      "amount": "6000.00"})
    client.post(f"/projects/{project.key}/costs",
                data={"kind": "running", "description": "Dryer service", "amount": "1200"})

    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)

    # (24,000 - 1,200 - 6,000) / 7,200 = 233.3 %; 6,000 / (22,800 / 12) = 3.2 months.
    assert "233.3%" in page and "3.2 months" in page
    r = client.post(f"/projects/{project.key}/costs",
                    data={"kind": "one_off", "description": "Kit", "amount": "-5"})
    assert r.status_code == 422
    assert _db.session.scalar(select(func.count()).select_from(ProjectCost)) == 2


def test_the_project_page_links_to_benefits(client: FlaskClient, login_as: Any) -> None:
    _, project = _mine(login_as)
    page = client.get(f"/projects/{project.key}").get_data(as_text=True)
    assert f'href="/projects/{project.key}/benefits"' in page


def test_a_line_of_another_project_is_404(client: FlaskClient, login_as: Any) -> None:
    lead, project = _mine(login_as)
    other_lead, other = team_project()
    line = add_line(other_lead, other)
    _db.session.commit()
    r = client.post(f"/projects/{project.key}/benefits/{line.id}/delete",
                    data={"version": str(line.version)})
    assert r.status_code == 404


def test_the_edit_form_keeps_every_place_of_the_quantity(client: FlaskClient,
                                                         login_as: Any) -> None:
    lead, project = _mine(login_as)
    add_line(lead, project, quantity="37.5625", unit_value="8.00")
    _db.session.commit()

    line = _db.session.scalar(select(BenefitLine))
    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)
    editor = client.get(f"/projects/{project.key}/benefits/{line.id}/fields/quantity/edit",
                        headers={"HX-Request": "true"}).get_data(as_text=True)

    assert "37.5625" in page and "300.50 EUR" in page  # 37.5625 x 8.00
    assert 'value="37.5625"' in editor


def test_each_label_on_the_benefits_page_points_at_its_own_field(client: FlaskClient,
                                                                 login_as: Any) -> None:
    """The add-line and the estimate forms share field names; a label's ``for`` must still
    name one field (a screen reader, or a click on the label, lands in the right form)."""
    _, project = _mine(login_as)
    comparison(project)
    _db.session.commit()

    html = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="derive-category"' in html and 'id="derive-category"' in html
    assert 'for="cost-description"' in html and 'id="cost-description"' in html
    assert 'for="category"' in html and 'name="category"' in html
