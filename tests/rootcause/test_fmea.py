"""The FMEA table and the SIPOC as a user sees them: rows sorted by RPN with the action
priority highlighted, a re-scored RPN; out-of-range scores refused with a clear message and
nothing saved."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.rootcause import fmea
from ciapp.rootcause.fmea_models import FmeaRow, SipocItem
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def project(db: Any, client: Any) -> Any:
    project = factories.project(complete=True)
    db.session.commit()
    sign_in(client, project.lead)
    return project


def row(mode: str, s: int, o: int, d: int, **more: Any) -> dict[str, Any]:
    return {"failure_mode": mode, "severity": str(s), "occurrence": str(o),
            "detection": str(d), **more}


def rows(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(FmeaRow))


def test_rows_are_sorted_by_rpn_with_priority_highlighted(client: Any, db: Any,
                                                          project: Any) -> None:
    url = f"/projects/{project.key}/fmea"
    for data in (row("Label missing", 3, 2, 2), row("Wrong torque", 6, 5, 7),
                 row("Brake line cracked", 10, 1, 2), row("Loose clip", 5, 5, 4),
                 row("Brake fluid leak", 9, 3, 7)):
        assert client.post(url, data=data).status_code == 302
    page = unescape(client.get(url).text)
    order = [page.index(m) for m in ("Wrong torque", "Brake fluid leak", "Loose clip",
                                     "Brake line cracked", "Label missing")]
    assert order == sorted(order)  # RPN 210, 189, 100, 20, 12
    # The AP table, not the RPN, decides the highlight: RPN 189 is High (S 9, O 3, D 7),
    # RPN 210 only Medium (S 6, O 5, D 7), severity 10 with occurrence 1 Low.
    assert '<td class="rpn"><strong>189</strong></td><td><span class="badge priority-high">' \
        in page
    assert '<strong>210</strong></td><td><span class="badge priority-medium">' in page
    assert '<strong>20</strong></td><td><span class="badge priority-low">' in page
    assert '<strong>100</strong></td><td><span class="badge priority-low">' in page
    assert '<tr id="fmea-' in page and 'class="priority-high"' in page


# Cells of the table "Action Priority (AP) for DFMEA and PFMEA", AIAG & VDA FMEA Handbook,
# 1st edition (2019), read off the handbook: (S, O, D) -> AP. One cell from each of these
# rows: S 9-10 with O 8-10, 6-7, 4-5, 2-3, 1; S 7-8 with O 6-7, 4-5, 2-3, 1;
# S 4-6 with O 8-10, 6-7, 4-5, 2-3; S 2-3 with O 8-10, 6-7; S 1. Band edges on purpose.
@pytest.mark.parametrize(("s", "o", "d", "ap"), [
    (10, 10, 10, "H"), (9, 8, 1, "H"),    # S 9-10, O 8-10: H throughout
    (9, 6, 1, "H"),                        # S 9-10, O 6-7, D 1
    (10, 5, 2, "H"), (9, 4, 1, "M"),       # S 9-10, O 4-5: D 2-4 H, D 1 M
    (9, 3, 7, "H"), (10, 2, 5, "M"), (9, 3, 4, "L"),  # S 9-10, O 2-3: D 7-10/5-6/2-4
    (10, 1, 10, "L"),                      # S 9-10, O 1: L
    (8, 7, 2, "H"), (7, 6, 1, "M"),        # S 7-8, O 6-7: D 2-4 H, D 1 M
    (7, 5, 7, "H"), (8, 4, 6, "M"),        # S 7-8, O 4-5: D 7-10 H, D 5-6 M
    (8, 3, 7, "M"), (7, 2, 4, "L"),        # S 7-8, O 2-3: D 7-10 M, D 2-4 L
    (8, 1, 10, "L"),                       # S 7-8, O 1
    (6, 8, 5, "H"), (4, 10, 4, "M"),       # S 4-6, O 8-10: D 5-6 H, D 2-4 M
    (5, 6, 7, "M"), (6, 7, 1, "L"),        # S 4-6, O 6-7: D 7-10 M, D 1 L
    (4, 5, 7, "M"), (6, 4, 6, "L"),        # S 4-6, O 4-5: D 7-10 M, D 5-6 L
    (6, 3, 10, "L"),                       # S 4-6, O 2-3
    (3, 8, 7, "M"), (2, 10, 4, "L"),       # S 2-3, O 8-10: D 7-10 M, D 2-4 L
    (3, 7, 10, "L"),                       # S 2-3, O 6-7
    (1, 10, 10, "L"),                      # S 1
])
def test_action_priority_matches_the_handbook_table(s: int, o: int, d: int, ap: str) -> None:
    assert fmea.action_priority(s, o, d) == ap


@pytest.mark.parametrize(("data", "message"), [
    (row("Wrong torque", 11, 5, 7), "Severity must be a whole number from 1 to 10, not '11'."),
    (row("Wrong torque", 6, 0, 7), "Occurrence must be a whole number from 1 to 10, not '0'."),
    (row("Wrong torque", 6, 5, "x"), "Detection must be a whole number from 1 to 10, not 'x'."),
    ({**row("Wrong torque", 6, 5, 7), "detection": ""},
     "Detection must be a whole number from 1 to 10 (it is empty)."),
    (row("  ", 6, 5, 7), "Write the failure mode: it cannot be empty."),
    (row("Wrong torque", 6, 5, 7, new_severity="12"),
     "Re-scored severity must be a whole number from 1 to 10, not '12'."),
])
def test_bad_scores_are_refused_and_nothing_is_saved(client: Any, db: Any, project: Any,
                                                     data: dict, message: str) -> None:
    response = client.post(f"/projects/{project.key}/fmea", data=data)
    assert response.status_code == 422 and message in unescape(response.text)
    assert rows(db) == 0
    assert 'value="Wrong torque"' in response.text or "Wrong torque" in response.text \
        or data["failure_mode"].strip() == ""  # what was typed is kept


def test_rescoring_after_the_action(client: Any, db: Any, project: Any) -> None:
    saved = fmea.add_row(project.lead, project.id, row("Wrong torque", 6, 5, 7))
    db.session.commit()
    response = client.post(f"/projects/{project.key}/fmea/{saved.id}", data=row(
        "Wrong torque", 6, 5, 7, recommended_action="Torque-limiting driver",
        owner="Ana", new_severity="6", new_occurrence="2", new_detection="3",
        version=saved.version))
    assert response.status_code == 302
    db.session.refresh(saved)
    assert (saved.rpn, saved.new_rpn) == (210, 36)
    stale = client.post(f"/projects/{project.key}/fmea/{saved.id}",
                        data=row("Overwrite", 1, 1, 1, version=1))
    assert stale.status_code == 409


def test_sipoc_columns(client: Any, db: Any, project: Any) -> None:
    url = f"/projects/{project.key}/sipoc"
    assert client.post(url, data={"column_key": "suppliers", "text": "Steel mill"}) \
        .status_code == 302
    assert client.post(url, data={"column_key": "process", "text": "Cut to length"}) \
        .status_code == 302
    bad = client.post(url, data={"column_key": "vendors", "text": "X"})
    assert bad.status_code == 422 and "Choose a SIPOC column" in bad.text
    empty = client.post(url, data={"column_key": "inputs", "text": ""})
    assert empty.status_code == 422 and "cannot be empty" in empty.text
    page = client.get(url).text
    assert "Steel mill" in page and "Cut to length" in page
    assert db.session.scalar(select(func.count()).select_from(SipocItem)) == 2
