"""The leadership pages as leadership uses them: the summary with its site filter, the lines
behind a figure, the spreadsheets (formulas in text neutralised), the PDF, and the monthly
e-mail, previewed by an admin and sent by the cron command into the outbox."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from tests.leadership.conftest import D


@pytest.fixture
def signed_in(programme: Any, login_as: Any, db: Any) -> dict[str, Any]:
    login_as("viewer")
    db.session.commit()
    return programme


def test_the_summary_page_shows_the_year_and_filters_by_site(client: Any,
                                                            signed_in: Any) -> None:
    page = client.get("/leadership/?year=2026")
    assert page.status_code == 200
    assert "2,333.34" in page.text and "350.49" in page.text
    assert "<svg" in page.text and "Benefits 2026, cumulative" in page.text
    assert "43%</strong> of the projected savings" in page.text  # 1,200 of 2,800
    north = client.get(f"/leadership/?year=2026&site={signed_in['north'].id}").text
    assert "1,200.00" in north and "2,333.34" not in north


def test_every_figure_links_to_its_lines(client: Any, signed_in: Any) -> None:
    page = client.get("/leadership/?year=2026").text
    assert "/leadership/lines?year=2026&amp;category=cost_avoidance" in page
    lines = client.get("/leadership/lines?year=2026&category=cost_avoidance")
    assert lines.status_code == 200
    assert signed_in["p2"].key in lines.text and signed_in["p1"].key not in lines.text
    assert "833.34" in lines.text


def test_a_bad_filter_is_a_clear_422(client: Any, signed_in: Any) -> None:
    response = client.get("/leadership/lines?year=2026&month=13")
    assert response.status_code == 422
    assert "&#39;month&#39; must be a whole number from 1 to 12" in response.text


def test_benefits_csv_neutralises_formulas_and_keeps_amounts(client: Any,
                                                            signed_in: Any) -> None:
    response = client.get("/leadership/export/benefits.csv?year=2026")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.data.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text and ",=cmd" not in text
    assert "833.34" in text


def test_benefits_xlsx_has_lines_and_months_with_text_cells_safe(client: Any,
                                                                 signed_in: Any) -> None:
    response = client.get("/leadership/export/benefits.xlsx?year=2026")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names == ["Benefit lines", "Realized by month"]
    rows = book.get_sheet_by_name("Benefit lines").to_python()
    header, body = rows[0], rows[1:]
    descriptions = [r[header.index("Description")] for r in body]
    assert "'=cmd|' /C calc'!A0" in descriptions
    realized = sum(D(str(r[header.index("Realized in period")])) for r in body)
    assert realized == D("350.49")
    months = book.get_sheet_by_name("Realized by month").to_python()
    assert len(months) == 1 + 4  # Jan, Feb, Mar of one line, Apr of another


def test_portfolio_exports_every_project_with_its_benefits(client: Any,
                                                          signed_in: Any) -> None:
    response = client.get("/leadership/export/portfolio.xlsx?status=all&year=2026")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.data)) \
        .get_sheet_by_index(0).to_python()
    keys = {r[0] for r in rows[1:]}
    assert {signed_in[p].key for p in ("p1", "p2", "p3")} <= keys
    csv = client.get("/leadership/export/portfolio.csv?status=all").data.decode("utf-8-sig")
    assert signed_in["p1"].key in csv


def test_the_pdf_is_the_summary(client: Any, signed_in: Any) -> None:
    from pypdf import PdfReader

    response = client.get("/leadership/summary.pdf?year=2026")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Benefits summary 2026" in text and "2,333.34" in text


def test_an_admin_previews_the_monthly_email(client: Any, programme: Any, login_as: Any,
                                              db: Any) -> None:
    login_as("admin")
    db.session.commit()
    page = client.get("/leadership/email?month=2026-03")
    assert page.status_code == 200
    assert "ciapp benefits summary, March 2026" in page.text
    assert "300.49" in page.text  # realized to the end of March


def test_send_summary_writes_to_the_outbox_without_smtp(app: Any, programme: Any, db: Any,
                                                        tmp_path: Path,
                                                        monkeypatch: Any) -> None:
    db.session.commit()
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(folder))
    result = app.test_cli_runner().invoke(args=["send-summary", "--month", "2026-03",
                                                "--to", "cfo@example.com"])
    assert result.exit_code == 0, result.output
    written = list(folder.iterdir())
    assert len(written) == 1
    message = written[0].read_text(encoding="utf-8")
    assert "To: cfo@example.com" in message and "March 2026" in message
    assert "300.49" in message
    bad = app.test_cli_runner().invoke(args=["send-summary", "--month", "March"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
