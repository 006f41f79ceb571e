"""The data set pages as a belt uses them: bring data in through a preview, read it back,
correct and exclude points, download it; refusals shown in place with nothing saved."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.datasets import building, services, storage
from ciapp.datasets.models import Dataset, ImportDraft
from tests import factories
from tests.conftest import sign_in

CORPUS = Path(__file__).parent.parent / "data" / "imports"


@pytest.fixture
def lead(client: Any, db: Any) -> Any:
    """A belt leading a project, signed in."""
    user = factories.user("belt")
    project = factories.project(user, complete=True)
    db.session.commit()
    sign_in(client, user)
    user.project = project
    return user


def base(lead: Any) -> str:
    return f"/projects/{lead.project.key}/datasets"


def count(db: Any, model: type = Dataset) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client: Any, lead: Any, data: bytes, filename: str = "weights.csv") -> Any:
    return client.post(f"{base(lead)}/new", data={"how": "file", "file": (io.BytesIO(data),
                                                                          filename)},
                       content_type="multipart/form-data")


def draft_url(response: Any) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def text(response: Any) -> str:
    return response.get_data(as_text=True)


WEIGHTS = "Datum;Gewicht (g);Bemerkung\n" + "".join(
    f"2026-01-{d:02d};{500 + d % 3},{d % 10};{'' if d != 4 else 'neue Charge (Müller)'}\n"
    for d in range(1, 21))


def test_an_uploaded_csv_is_previewed_and_saved_only_on_confirm(client: Any, db: Any,
                                                                 lead: Any) -> None:
    url = draft_url(upload(client, lead, WEIGHTS.encode("cp1252")))
    page = client.get(url)

    assert page.status_code == 200
    html = text(page)
    assert "separated by semicolons" in html
    assert "Windows-1252" in html
    # The weight column reads as numbers with a decimal comma; the first values are shown.
    row = re.search(r"<th scope=\"row\">Gewicht \(g\)</th>(.*?)</tr>", html, re.S).group(1)
    assert "number" in row and "“,”" in row and "501,1" in row
    assert count(db) == 0  # nothing is saved by a preview

    saved = client.post(url, data={"action": "save", "kind": "continuous",
                                   "name": "Fill weight", "unit": "g",
                                   "map_value": "Gewicht (g)", "map_time": "Datum",
                                   "map_note": "Bemerkung"})

    assert saved.status_code == 302
    dataset = db.session.scalar(select(Dataset))
    table = services.load(dataset)
    assert table.column("value").to_pylist()[:3] == [501.1, 502.2, 500.3]
    assert table.column("note").to_pylist()[3] == "neue Charge (Müller)"
    assert str(table.column("time")[0].as_py()) == "2026-01-01 00:00:00"
    assert (dataset.unit, dataset.source, dataset.current) == ("g", "weights.csv", 1)
    assert count(db, ImportDraft) == 0  # the draft goes with the confirm
    shown = text(client.get(saved.headers["Location"]))
    assert "Fill weight" in shown and services.get_version(dataset).sha256 in shown


def test_bad_cells_are_named_by_row_and_column_and_the_choices_kept(client: Any, db: Any,
                                                                   lead: Any) -> None:
    data = "when,value\n2026-01-01,1.5\n2026-01-02,abc\n2026-01-03,2.5\n"
    url = draft_url(upload(client, lead, data.encode()))

    refused = client.post(url, data={"action": "save", "kind": "continuous",
                                     "name": "My careful name", "metric": "Cycle time",
                                     "map_value": "value", "map_time": "when"})

    assert refused.status_code == 422
    html = text(refused)
    assert "Row 3, column &#39;value&#39;: &#39;abc&#39; is not a number." in html
    assert 'value="My careful name"' in html and 'value="Cycle time"' in html
    assert re.search(r'<option selected value="when">|<option value="when" selected>', html)
    assert count(db) == 0 and count(db, ImportDraft) == 1


def test_pasted_cells_and_the_grid_take_the_same_path(client: Any, db: Any,
                                                      lead: Any) -> None:
    pasted = client.post(f"{base(lead)}/new", data={
        "how": "paste", "cells": "Shift\tMinutes\nA\t12,5\nB\t13\nA\t11,75\n"})
    url = draft_url(pasted)
    assert "separated by tabs" in text(client.get(url))
    client.post(url, data={"action": "save", "kind": "continuous", "name": "Pasted",
                           "map_value": "Minutes", "map_subgroup": "Shift"})

    grid = client.post(f"{base(lead)}/new", data={
        "how": "grid", "grid_columns": "2", "grid_rows": "3", "h-0": "value", "h-1": "stage",
        "g-0-0": "4", "g-0-1": "baseline", "g-1-0": "", "g-1-1": "", "g-2-0": "6",
        "g-2-1": "after"})
    url = draft_url(grid)
    client.post(url, data={"action": "save", "kind": "continuous", "name": "Typed",
                           "map_value": "value", "map_stage": "stage"})

    by_name = {d.name: services.load(d) for d in db.session.scalars(select(Dataset))}
    assert by_name["Pasted"].column("value").to_pylist() == [12.5, 13.0, 11.75]
    assert by_name["Typed"].column("value").to_pylist() == [4.0, 6.0]
    assert by_name["Typed"].column("stage").to_pylist() == ["baseline", "after"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty."),
    (b"value\n", "header row but no data rows"),
    (b"a,b\n1,2\n3,4,5\n", "Row 3 has 3 cells but the header has 2 columns"),
    (b"not a zip", "is not an Excel workbook"),
])
def test_an_unreadable_upload_is_refused_on_the_upload_page(client: Any, db: Any, lead: Any,
                                                            content: bytes,
                                                            message: str) -> None:
    response = upload(client, lead, content, "data.xlsx" if content == b"not a zip"
                      else "data.csv")

    assert response.status_code == 422
    assert message in text(response)
    assert count(db, ImportDraft) == 0


def test_a_file_above_the_limit_is_413_with_a_page_that_says_so(app: Any, client: Any,
                                                                lead: Any) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = upload(client, lead, b"value\n" + b"1.5\n" * 2000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit

    assert response.status_code == 413
    assert "The file is too large" in text(response)
    assert "Uploads are limited to 1 KiB" in text(response)


def test_a_workbook_offers_its_sheets(client: Any, db: Any, lead: Any) -> None:
    data = (CORPUS / "two_sheets_formulas.xlsx").read_bytes()
    url = draft_url(upload(client, lead, data, "study.xlsx"))
    page = text(client.get(url))
    sheets = re.findall(r'<option[^>]*value="([^"]+)"', page.split('name="sheet"')[1]
                        .split("</select>")[0])

    assert len(sheets) == 2
    second = text(client.post(url, data={"action": "refresh", "sheet": sheets[1]}))
    assert f"sheet “{sheets[1]}”" in second


def test_the_rows_are_paged_and_each_point_has_a_stable_page(client: Any, db: Any,
                                                             lead: Any) -> None:
    table = building.from_records([{"value": i} for i in range(1, 121)], "continuous")
    ds = services.create_dataset(lead, lead.project.id, table, name="Long", kind="continuous")
    db.session.commit()

    page3 = text(client.get(f"{base(lead)}/{ds.id}?page=3"))
    points = re.findall(r'/points/(\d+)">', page3)

    assert points == [str(n) for n in range(101, 121)]
    assert "Page 3 of 3" in page3
    point = client.get(f"{base(lead)}/{ds.id}/points/120")
    assert point.status_code == 200 and 'value="120"' in text(point)
    assert client.get(f"{base(lead)}/{ds.id}/points/121").status_code == 404


def _dataset(lead: Any, db: Any, *values: float, **extra: Any) -> Dataset:
    table = building.from_records([{"value": v, **extra} for v in values], "continuous")
    ds = services.create_dataset(lead, lead.project.id, table, name="Cycle", kind="continuous")
    db.session.commit()
    return ds


def test_editing_and_excluding_a_point_make_versions_and_an_audit_trail(
        client: Any, db: Any, lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2, 3)
    url = f"{base(lead)}/{ds.id}/points/2"

    edited = client.post(url, data={"value": "2.5", "current": "1"})
    assert edited.status_code == 302
    no_reason = client.post(url + "/exclusion", data={"action": "exclude", "reason": " ",
                                                      "current": "2"})
    assert no_reason.status_code == 422 and "Say why the point is excluded" in text(no_reason)
    client.post(url + "/exclusion", data={"action": "exclude", "reason": "Gauge dropped",
                                          "current": "2"})

    table = services.load(ds)
    assert table.column("value").to_pylist() == [1, 2.5, 3]
    assert table.column("excluded").to_pylist() == [False, True, False]
    assert services.load(ds, 1).column("value").to_pylist() == [1, 2, 3]
    page = text(client.get(f"{base(lead)}/{ds.id}"))
    assert "Excluded point 2 of &#39;Cycle&#39;: Gauge dropped" in page
    assert "Edited point 2" in page and "Version 3" in page
    assert "Excluded from the statistics: Gauge dropped" in text(client.get(url))
    client.post(url + "/exclusion", data={"action": "include", "current": "3"})
    assert services.load(ds).column("excluded").to_pylist() == [False] * 3


def test_a_point_edit_on_an_old_version_is_a_conflict_that_keeps_the_typing(
        client: Any, db: Any, lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2, 3)
    services.exclude_point(lead, ds, 0, "Warm-up")
    db.session.commit()

    response = client.post(f"{base(lead)}/{ds.id}/points/2",
                           data={"value": "9.75", "current": "1"})

    assert response.status_code == 409
    assert "changed since you opened it" in text(response)
    assert 'value="9.75"' in text(response)
    assert services.load(ds).column("value").to_pylist() == [1, 2, 3]


def test_a_bad_cell_typed_on_a_point_is_refused_in_words(client: Any, db: Any,
                                                         lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2)

    response = client.post(f"{base(lead)}/{ds.id}/points/1", data={"value": "inf",
                                                                    "current": "1"})

    assert response.status_code == 422
    assert "Point 1, column &#39;value&#39;: &#39;inf&#39; is not a finite number." \
        in text(response)
    assert ds.current == 1


def test_the_csv_download_neutralises_formulas_and_keeps_numbers(client: Any, db: Any,
                                                                 lead: Any) -> None:
    ds = _dataset(lead, db, -1.5, note="=HYPERLINK(\"http://x\")")

    response = client.get(f"{base(lead)}/{ds.id}/rows.csv")

    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    lines = text(response).splitlines()
    assert lines[1].startswith("-1.5,\"'=HYPERLINK(")


def test_details_are_edited_in_place_with_a_version_check(client: Any, db: Any,
                                                          lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2)
    url = f"{base(lead)}/{ds.id}/details/metric"

    saved = client.post(url, data={"metric": "Cycle time", "version": str(ds.version)},
                        headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "Cycle time" in text(saved)
    stale = client.post(url, data={"metric": "Lead time", "version": "1"},
                        headers={"HX-Request": "true"})

    assert stale.status_code == 409
    assert "Lead time" in text(stale)  # what was typed is kept
    db.session.refresh(ds)
    assert ds.metric == "Cycle time"
    assert client.get(f"{base(lead)}/{ds.id}/details/kind/edit").status_code == 404


def test_appending_goes_through_the_preview_and_checks_the_version(client: Any, db: Any,
                                                                   lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2, stage="baseline")
    response = client.post(f"{base(lead)}/{ds.id}/append", data={
        "how": "paste", "cells": "value\tstage\n3\tsustain\n4\tsustain\n"})
    url = draft_url(response)
    assert "Append 2 rows" in text(client.get(url))

    saved = client.post(url, data={"action": "save", "map_value": "value",
                                   "map_stage": "stage", "current": "1"})

    assert saved.status_code == 302
    assert services.load(ds).column("stage").to_pylist() == ["baseline"] * 2 + ["sustain"] * 2
    assert ds.current == 2


def test_a_data_set_of_another_project_is_404_and_a_draft_is_its_senders(
        client: Any, db: Any, lead: Any) -> None:
    other = factories.project(complete=True)
    theirs = services.create_dataset(other.lead, other.id, building.from_records(
        [{"value": 1}], "continuous"), name="Theirs", kind="continuous")
    url = draft_url(upload(client, lead, b"value\n1\n2\n"))
    db.session.commit()

    assert client.get(f"{base(lead)}/{theirs.id}").status_code == 404
    assert client.get(f"{base(lead)}/{theirs.id}/points/1").status_code == 404
    assert client.get(f"/projects/{other.key}/datasets/{theirs.id}").status_code == 200
    sign_in(client, lead.project.team[0].user)
    assert client.get(url).status_code == 403


def test_the_project_page_lists_the_data_sets(client: Any, db: Any, lead: Any) -> None:
    ds = _dataset(lead, db, 1, 2, 3)

    page = text(client.get(f"/projects/{lead.project.key}"))

    card = page.split('id="data"')[1].split("</section>")[0]
    assert ds.name in card and ">3<" in card and "v1" in card and "Add data" in card
    assert storage.BOOKKEEPING  # the rows' own columns stay out of the card


def test_a_workbook_whose_first_sheet_is_empty_offers_the_others(client: Any, db: Any,
                                                                 lead: Any) -> None:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Notes")
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["value"])
    data.write_column(1, 0, [1.5, 2.5, 3.5])
    book.close()
    url = draft_url(upload(client, lead, out.getvalue(), "study.xlsx"))

    first = client.get(url)
    assert "The sheet &#39;Notes&#39; is empty." in text(first)
    chosen = client.post(url, data={"action": "refresh", "sheet": "Data"})
    assert "sheet “Data”" in text(chosen) and "3 data rows" in text(chosen)
