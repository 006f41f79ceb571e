"""A benefit line's fields edited in place on the benefits page: the editor, a save with the
line's version, a stale version (the saved value shown beside the typed one), bad input, and
a projection finance validated, which stays locked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient

from ciapp.benefits import services, validation
from ciapp.benefits.models import BenefitLine
from ciapp.extensions import db as _db
from tests import factories
from tests.benefits.conftest import add_line, comparison, line_input

HX = {"HX-Request": "true"}


def _mine(login_as: Any) -> tuple[Any, Any, BenefitLine]:
    lead = login_as("belt")
    project = factories.project(lead, complete=True)
    line = add_line(lead, project, quantity="1200", unit_value="2.50")  # 3,000.00 a year
    _db.session.commit()
    return lead, project, line


def _url(project: Any, line: BenefitLine, field: str) -> str:
    return f"/projects/{project.key}/benefits/{line.id}/fields/{field}"


def _save(client: FlaskClient, project: Any, line: BenefitLine, field: str, value: str,
          version: Any) -> Any:
    return client.post(_url(project, line, field), headers=HX, data={
        f"f-line-{line.id}-{field}": value, "version": str(version)})


def test_the_page_offers_each_field_in_place(client: FlaskClient, login_as: Any) -> None:
    _, project, line = _mine(login_as)

    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)
    editor = client.get(_url(project, line, "start_month") + "/edit", headers=HX)

    for field in ("category", "description", "method", "quantity", "unit_value",
                  "start_month"):
        assert f'href="{_url(project, line, field)}/edit"' in page, field
    # the line's buttons carry its version where an in-place save can move it on
    assert f'value="{line.version}" class="version-line-{line.id}"' in page
    assert editor.status_code == 200
    assert f'name="f-line-{line.id}-start_month"' in editor.get_data(as_text=True)
    assert 'value="2026-01"' in editor.get_data(as_text=True)


def test_a_saved_quantity_changes_the_projection_and_the_versions(client: FlaskClient,
                                                                   login_as: Any) -> None:
    _, project, line = _mine(login_as)

    r = _save(client, project, line, "quantity", "1300", line.version)

    assert r.status_code == 200
    body = r.get_data(as_text=True)
    _db.session.expire_all()
    saved = _db.session.get(BenefitLine, line.id)
    # 1,300 x 2.50 = 3,250.00 a year; the other fields as they were
    assert saved.projected == Decimal("3250.00") and saved.quantity == Decimal("1300")
    assert (saved.description, saved.unit_value) == ("Less scrap", Decimal("2.50"))
    assert "1300" in body  # the row shows the saved value
    assert "3,250.00 EUR" in body  # the line's figures and the totals, out of band
    assert f'id="line-{line.id}-summary" hx-swap-oob="true"' in body
    assert 'id="summary" aria-labelledby="summary-h" hx-swap-oob="true"' in body
    # every hidden version of the line on the page moves on with it
    assert f'value="{saved.version}" class="version-line-{line.id}"' in body
    assert f'hx-swap-oob="outerHTML:input.version-line-{line.id}"' in body


def test_a_stale_version_shows_what_was_saved_and_keeps_what_was_typed(
        client: FlaskClient, login_as: Any) -> None:
    lead, project, line = _mine(login_as)
    seen = line.version
    services.update_line(lead, line, line_input(description="Less scrap on Press 7"), seen)
    _db.session.commit()

    r = _save(client, project, line, "description", "Less scrap on line 3", seen)

    assert r.status_code == 409
    body = r.get_data(as_text=True)
    assert "changed by someone else" in body
    assert "Less scrap on Press 7" in body and 'value="Less scrap on line 3"' in body
    assert f'name="version" value="{seen + 1}"' in body  # a second Save overwrites on purpose
    _db.session.expire_all()
    assert _db.session.get(BenefitLine, line.id).description == "Less scrap on Press 7"


def test_no_version_and_bad_values_are_refused_with_nothing_saved(
        client: FlaskClient, login_as: Any) -> None:
    _, project, line = _mine(login_as)

    missing = client.post(_url(project, line, "quantity"), headers=HX,
                          data={f"f-line-{line.id}-quantity": "1300"})
    bad = _save(client, project, line, "quantity", "1e5", line.version)
    zero = _save(client, project, line, "unit_value", "0", line.version)
    unknown = _save(client, project, line, "projected", "1", line.version)

    assert missing.status_code == 428
    assert bad.status_code == 422 and "four decimals" in bad.get_data(as_text=True)
    assert zero.status_code == 422 and "more than zero" in zero.get_data(as_text=True)
    assert unknown.status_code == 404
    _db.session.expire_all()
    assert _db.session.get(BenefitLine, line.id).projected == Decimal("3000.00")


def test_a_validated_projection_stays_locked(client: FlaskClient, login_as: Any) -> None:
    lead, project, line = _mine(login_as)
    validation.submit(lead, line, "projected", line.version)
    finance = factories.user("finance")
    validation.decide(finance, project, line, "projected", "approve", "", line.version)
    _db.session.commit()

    page = client.get(f"/projects/{project.key}/benefits").get_data(as_text=True)
    editor = client.get(_url(project, line, "quantity") + "/edit", headers=HX)
    saved = _save(client, project, line, "quantity", "1", line.version)

    assert f'href="{_url(project, line, "quantity")}/edit"' not in page
    assert "The validated projection is locked" in page
    assert editor.status_code == 403
    assert saved.status_code == 409 and "locked" in saved.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(BenefitLine, line.id).projected == Decimal("3000.00")


def test_a_change_takes_a_waiting_projection_out_of_financess_queue(
        client: FlaskClient, login_as: Any) -> None:
    lead, project, line = _mine(login_as)
    validation.submit(lead, line, "projected", line.version)
    _db.session.commit()

    r = _save(client, project, line, "unit_value", "2.60", line.version)

    assert r.status_code == 200 and "Projected: Draft" in r.get_data(as_text=True)
    _db.session.expire_all()
    saved = _db.session.get(BenefitLine, line.id)
    assert saved.projected_state == "draft" and saved.projected == Decimal("3120.00")


def test_an_estimated_lines_figures_are_not_offered(client: FlaskClient,
                                                    login_as: Any) -> None:
    lead = login_as("belt")
    project = factories.project(lead, complete=True)
    record = comparison(project)
    line = services.derive_line(lead, project, line_input(),
                                services.DeriveInput(record.id, Decimal("1.20"),
                                                     Decimal("10000")))
    _db.session.commit()

    quantity = client.get(_url(project, line, "quantity") + "/edit", headers=HX)
    described = _save(client, project, line, "description", "Shorter cycle", line.version)

    assert quantity.status_code == 404
    assert described.status_code == 200
    _db.session.expire_all()
    assert _db.session.get(BenefitLine, line.id).description == "Shorter cycle"
