"""The import pages as a council member uses them: upload, map, dry run, import; refusals
on the page with their row and column; never a 500, never half-saved."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.core.time import utcnow
from ciapp.datasets.models import ImportDraft
from ciapp.projects.models import KeyCounter, Project
from ciapp.projects.services import get_project
from tests.conftest import sign_in
from tests.programme.helpers import csv_bytes, xlsx_bytes

HEADER = ["Project title", "Type", "Plant", "Department", "Project lead", "Sponsor",
          "Current phase", "Status", "Start", "Due date", "Problem statement", "Objective",
          "Primary metric", "Unit"]
REGISTER = [
    ["Reduce changeover time on press 2", "DMAIC", "Plant North", "Moulding",
     "dana@plant.example", "sam@plant.example", "Improve", "Active", "2026-01-12",
     "2026-08-31", "Changeovers take 95 min.", "45 min by August.", "Changeover time",
     "min"],
    ["Pallet labelling errors", "Kaizen", "Plant South", "Packing", "omar@plant.example", "",
     "Sustain / follow-up", "Active", "2026-03-02", "", "3% of pallets mislabelled.",
     "Below 0.5%.", "Mislabelled pallets", "%"],
    ["Energy use of the compressors", "DMAIC", "Plant North", "", "Dana Belt", "",
     "Measure", "On hold", "2026-04-01", "2026-12-31", "", "", "", ""],
    ["Scrap on line 3", "DMAIC", "Plant North", "Moulding", "omar@plant.example",
     "sam@plant.example", "Control", "Closed", "2025-06-01", "2025-12-31",
     "Scrap at 4.2%.", "2%.", "Scrap rate", "%"],
]


def _upload(client: Any, kind: str, data: bytes, name: str) -> Any:
    return client.post(f"/programme/import/{kind}", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def _count(db: Any, model: Any = Project) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_realistic_register_round_trip(client: Any, db: Any, org: dict[str, Any]) -> None:
    sign_in(client, org["council"])
    before = _count(db)
    year = utcnow().year
    counter = db.session.get(KeyCounter, year)
    last = counter.last if counter else 0

    upload = _upload(client, "projects", xlsx_bytes([HEADER, *REGISTER]), "register.xlsx")
    assert upload.status_code == 302
    page = client.get(upload.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The headers are recognised, and the dry run lists all four rows, none refused.
    assert '<option selected value="Project lead">' in html
    assert "4 rows read: 4 projects would be created." in html
    assert _count(db) == before

    form = {f"map_{name}": header for name, header in (
        ("title", "Project title"), ("methodology", "Type"), ("site", "Plant"),
        ("area", "Department"), ("lead", "Project lead"), ("sponsor", "Sponsor"),
        ("phase", "Current phase"), ("status", "Status"), ("start_date", "Start"),
        ("target_date", "Due date"), ("problem", "Problem statement"),
        ("goal", "Objective"), ("metric_name", "Primary metric"), ("metric_unit", "Unit"))}
    done = client.post(upload.headers["Location"], data={**form, "action": "import"},
                       follow_redirects=True)

    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Imported 4 projects" in text
    assert _count(db) == before + 4
    keys = [f"CI-{year}-{n:04d}" for n in range(last + 1, last + 5)]
    assert keys[0] in text and keys[-1] in text  # the key counter's next four keys
    first, second, third, fourth = (get_project(key) for key in keys)
    assert (first.title, first.phase, first.status) == \
        ("Reduce changeover time on press 2", "countermeasures", "active")
    assert first.lead_id == org["dana"].id and first.sponsor_id == org["sam"].id
    assert first.org_unit_id == org["moulding"].id
    assert first.metric_name == "Changeover time" and first.goal == "45 min by August."
    assert (second.methodology, second.phase) == ("kaizen", "sustain")
    assert (third.status, third.org_unit_id, third.lead_id) == \
        ("on_hold", org["north"].id, org["dana"].id)
    assert fourth.status == "closed" and fourth.closed_at is not None
    assert _count(db, ImportDraft) == 0  # the upload goes with the import

    # The history says it was imported, from which file and row, by whom.
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.project_id == first.id, AuditEvent.action == "import"))
    assert event.actor_id == org["council"].id
    assert event.summary == "Imported from register.xlsx, row 2, by Cy Council: in Improve, active"
    project_page = client.get(f"/projects/{first.key}").get_data(as_text=True)
    assert "Imported from register.xlsx, row 2, by Cy Council" in project_page


def test_refused_rows_are_listed_on_the_page_and_nothing_is_saved(
        client: Any, db: Any, org: dict[str, Any]) -> None:
    sign_in(client, org["admin"])
    rows = [REGISTER[0], [*REGISTER[1][:4], "nobody@plant.example", *REGISTER[1][5:]],
            [*REGISTER[2][:6], "Deploy", *REGISTER[2][7:]]]
    upload = _upload(client, "projects", csv_bytes([HEADER, *rows]), "register.csv")
    before = _count(db)

    page = client.post(upload.headers["Location"], data={
        "action": "import", "map_title": "Project title", "map_lead": "Project lead",
        "map_phase": "Current phase"})

    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert _count(db) == before and _count(db, ImportDraft) == 1
    refused = re.findall(r'<tr class="has-problem"><td>(\d+)</td><td>(\w+) “([^”]+)”</td>',
                         html)
    assert refused == [("3", "E", "Project lead"), ("4", "G", "Current phase")]
    assert "1 project would be created, and 2 problems stop the import" in html
    assert "Import 1 project" not in html  # no import button while rows are refused


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "register.csv", "The file is empty."),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "register.xls", "old Excel .xls file"),
    (b"MZ\x90\x00\x03" + b"\x00" * 60, "register.xlsx", "is not an Excel workbook"),
    (b"Title,Lead\n", "register.csv", "no data rows"),
])
def test_a_file_that_is_no_table_is_refused_on_the_upload_page(
        client: Any, db: Any, org: dict[str, Any], data: bytes, name: str,
        message: str) -> None:
    sign_in(client, org["council"])

    response = _upload(client, "projects", data, name)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, ImportDraft) == 0


def test_no_file_at_all_is_refused(client: Any, db: Any, org: dict[str, Any]) -> None:
    sign_in(client, org["council"])
    response = client.post("/programme/import/benefits", data={})
    assert response.status_code == 422
    assert "Choose a file to upload, or paste the cells." in response.get_data(as_text=True)


def test_pasted_cells_are_read_too(client: Any, db: Any, org: dict[str, Any]) -> None:
    sign_in(client, org["council"])
    cells = "Title\tLead\nKanban for spares\tdana@plant.example\n"
    upload = client.post("/programme/import/projects", data={"cells": cells})
    page = client.get(upload.headers["Location"])
    assert "1 row read: 1 project would be created." in page.get_data(as_text=True)


def test_only_admins_and_the_council_import(client: Any, db: Any,
                                            org: dict[str, Any]) -> None:
    sign_in(client, org["dana"])
    assert client.get("/programme/import").status_code == 403
    assert _upload(client, "projects", csv_bytes([["Title", "Lead"], ["x", "y"]]),
                   "r.csv").status_code == 403


def test_an_upload_is_seen_only_by_whoever_sent_it(client: Any, db: Any,
                                                   org: dict[str, Any]) -> None:
    sign_in(client, org["council"])
    upload = _upload(client, "projects", csv_bytes([["Title", "Lead"], ["x", "y"]]), "r.csv")
    url = upload.headers["Location"]
    assert client.get(url).status_code == 200
    sign_in(client, org["admin"])
    assert client.get(url).status_code == 404
    assert client.post(url, data={"action": "import"}).status_code == 404


def test_a_data_set_draft_is_not_a_programme_draft(client: Any, db: Any,
                                                   org: dict[str, Any]) -> None:
    from ciapp.datasets import imports

    draft = imports.start(org["admin"], org["existing"].id, b"value\n1\n", filename="a.csv")
    db.session.commit()
    sign_in(client, org["admin"])
    assert client.get(f"/programme/import/projects/{draft.id}").status_code == 404


def test_the_portfolio_links_the_import_for_the_council_only(
        client: Any, db: Any, org: dict[str, Any]) -> None:
    sign_in(client, org["council"])
    assert 'href="/programme/import"' in client.get("/portfolio/").get_data(as_text=True)
    sign_in(client, org["dana"])
    assert 'href="/programme/import"' not in client.get("/portfolio/").get_data(as_text=True)


def test_a_workbook_of_several_sheets_offers_them(client: Any, db: Any,
                                                  org: dict[str, Any]) -> None:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Read me").write(0, 0, "This workbook lists our projects.")
    sheet = book.add_worksheet("Projects 2026")
    for c, text in enumerate(["Name", "Owner", "Phase"]):
        sheet.write(2, c, text)  # a header below two empty rows
    for c, text in enumerate(["Kanban for spares", "dana@plant.example", "Measure"]):
        sheet.write(3, c, text)
    sheet.write(4, 0, "No owner")
    book.close()
    sign_in(client, org["council"])
    url = _upload(client, "projects", out.getvalue(), "register.xlsx").headers["Location"]
    first = client.get(url).get_data(as_text=True)
    assert "Projects 2026" in first  # offered in the sheet select

    page = client.post(url, data={"sheet": "Projects 2026", "action": "check",
                                  "map_title": "This workbook lists our projects."})

    html = page.get_data(as_text=True)
    assert page.status_code == 422  # the second row is refused
    assert "2 rows read: 1 project would be created" in html
    assert re.findall(r'<tr class="has-problem"><td>(\d+)</td><td>(\w+) “([^”]+)”</td>',
                      html) == [("5", "B", "Owner")]


def test_imported_projects_show_everywhere_without_error(client: Any, db: Any,
                                                         org: dict[str, Any]) -> None:
    sign_in(client, org["admin"])
    url = _upload(client, "projects", csv_bytes([HEADER, *REGISTER]), "r.csv").headers[
        "Location"]
    client.post(url, data={f"map_{n}": h for n, h in (
        ("title", "Project title"), ("methodology", "Type"), ("site", "Plant"),
        ("area", "Department"), ("lead", "Project lead"), ("sponsor", "Sponsor"),
        ("phase", "Current phase"), ("status", "Status"), ("start_date", "Start"),
        ("target_date", "Due date"))} | {"action": "import"})
    keys = db.session.scalars(select(Project.key).where(Project.title.in_(
        [row[0] for row in REGISTER]))).all()
    assert len(keys) == 4
    for key in keys:
        for path in (f"/projects/{key}", f"/gates/{key}", f"/projects/{key}/a3",
                     f"/projects/{key}/benefits"):
            assert client.get(path).status_code == 200, path
    board = client.get("/portfolio/?status=all").get_data(as_text=True)
    assert all(key in board for key in keys)


def test_the_templates_hold_every_column_the_mapping_recognises(
        client: Any, db: Any, org: dict[str, Any]) -> None:
    from ciapp.datasets import reading
    from ciapp.programme import cells, services

    sign_in(client, org["council"])
    for kind in ("projects", "benefits"):
        response = client.get(f"/programme/import/{kind}/template.csv")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        raw = reading.read(response.data * 2)  # a data row, so it reads as a table
        mapped = services.suggest(kind, raw)
        expected = {f.name for f in cells.FIELDS[kind]} - (
            {"month", "amount"} if kind == "benefits" else set())
        assert set(mapped) == expected
