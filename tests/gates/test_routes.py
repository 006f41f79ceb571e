"""The gate panel and its forms over HTTP."""

from __future__ import annotations

from typing import Any

from ciapp.gates import services
from ciapp.projects.phases import Phase
from tests import factories
from tests.conftest import sign_in


def test_lead_requests_and_council_approves_in_the_browser_flow(app: Any, client: Any,
                                                                db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    council = factories.user("council", name="Carla Council")
    db.session.commit()
    sign_in(client, lead)
    page = client.get(f"/projects/{project.key}")
    assert "Request gate review" in page.text and "✓" in page.text
    assert client.post(f"/gates/{project.key}/request",
                       data={"note": "Charter signed"}).status_code == 302

    council_client = app.test_client()
    sign_in(council_client, council)
    assert "asks for the Define gate review" in council_client.get("/notifications/").text
    page = council_client.get(f"/projects/{project.key}")
    assert "Record decision" in page.text and "Charter signed" in page.text
    review = services.pending_review(project)
    response = council_client.post(f"/gates/{project.key}/reviews/{review.id}/decide",
                                   data={"decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.phase == Phase.BASELINE
    assert "Define gate approved" in client.get(f"/projects/{project.key}").text


def test_approval_with_unmet_criteria_and_no_reason_is_explained(app: Any, client: Any,
                                                                 db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead)  # empty charter
    review = services.request_review(lead, project)
    council = factories.user("council")
    db.session.commit()
    sign_in(client, council)
    decide = f"/gates/{project.key}/reviews/{review.id}/decide"
    response = client.post(decide, data={"decision": "approve"})
    assert response.status_code == 422
    assert "Approving anyway needs a written override reason" in response.text
    db.session.refresh(project)
    assert project.phase == Phase.SCOPE
    missing = client.post(decide, data={})
    assert missing.status_code == 422 and "Decision" in missing.text


def test_checklist_ticks_answer_htmx_with_the_panel(client: Any, db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    db.session.commit()
    sign_in(client, lead)
    response = client.post(f"/gates/{project.key}/checklist/sponsor_agreed",
                           data={"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="gate"' in response.text and "☑ The sponsor has agreed" in response.text
    assert any(i.done for i in services.checklist(project))
    unknown = client.post(f"/gates/{project.key}/checklist/nope", data={"done": "1"})
    assert unknown.status_code == 404 and "not on the Define gate checklist" in unknown.text


def gate_field_error(html: str, field: str) -> str:
    marker = f'<p class="error" id="{field}-error" role="alert">'
    return html.split(marker, 1)[1].split("</p>", 1)[0] if marker in html else ""


def test_refused_decisions_come_back_in_the_gate_panel_with_what_was_typed(
        client: Any, db: Any) -> None:
    lead = factories.user("belt")
    project = factories.project(lead, complete=True)
    review = services.request_review(lead, project)
    council = factories.user("council")
    db.session.commit()
    sign_in(client, council)
    url = f"/gates/{project.key}/reviews/{review.id}/decide"
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}

    nothing = client.post(url, data={"comment": "Looks thorough."}, headers=boosted)
    assert nothing.status_code == 422
    assert (nothing.headers["HX-Retarget"], nothing.headers["HX-Reswap"]) == ("#gate",
                                                                             "outerHTML")
    assert nothing.text.lstrip().startswith('<div id="gate" class="gate-panel"')
    assert gate_field_error(nothing.text, "decision") == "Choose Approve or Send back."
    assert "Looks thorough.</textarea>" in nothing.text

    silent = client.post(url, data={"decision": "return", "override_reason": "n/a"},
                         headers=boosted)
    assert silent.status_code == 422
    assert gate_field_error(silent.text, "comment") == \
        "Say what must change before the gate can pass."
    assert '<input checked id="decision-1" name="decision" required type="radio" ' \
        'value="return">' in silent.text

    page = client.post(url, data={"decision": "return"})  # without JavaScript: the gate page
    assert page.status_code == 422 and "<html" in page.text
    assert gate_field_error(page.text, "comment") == \
        "Say what must change before the gate can pass."
    assert services.pending_review(project) is not None
    db.session.refresh(project)
    assert project.phase == Phase.SCOPE
