"""The monthly report of a site as a page, a printable page, a PDF and an XLSX: every KPI's
status, the period's signals in words, the notes (a formula in one neutralised), the linked
project with its phase, status and health; the figures against sums worked out here."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook

from ciapp.kpis import report
from tests.a3.conftest import pdf_text
from tests.kpis.reporting import FORMULA_NOTE, World, world

SPIKE = "a point more than 3 sigma from the center line"


@pytest.fixture
def site(db: Any) -> World:
    return world()


def test_the_report_holds_every_kpi_of_the_site_with_its_period(site: World) -> None:
    made = report.build("month", site.end + (site.end - site.start), site.site_id)
    assert (made.start, made.end) == (site.start, site.end)
    by_name = {i.tile.kpi.name: i for i in made.items}
    assert sorted(by_name) == ["Dock-to-stock hours", "Order accuracy"]  # not the other site
    spiky, accuracy = by_name["Dock-to-stock hours"], by_name["Order accuracy"]
    assert spiky.signals == [f"{site.spike_day}: {SPIKE}"]
    assert spiky.notes == [(site.spike_day, FORMULA_NOTE)]
    days = (site.end - site.start).days + 1
    assert spiky.values_in_period == accuracy.values_in_period == days
    (project,) = spiky.projects
    assert (project.key, project.phase, project.status_label, project.health_label) == (
        site.project.key, site.project.phase_label, "active", "At risk")
    assert accuracy.projects == [] and accuracy.signals == []


def test_the_page_prints_and_links_its_files(client: FlaskClient, login_as: Any,
                                              site: World) -> None:
    login_as("viewer")
    page = client.get(f"/kpis/report?span=month&site={site.site_id}").text
    assert f"{site.spike_day}: {SPIKE}" in page
    assert f"{site.project.key}</a> Faster put-away: " in page and ", active, at risk" in page
    assert "kpi-report-print.css" in page and 'media="print"' in page
    for fmt in ("pdf", "xlsx", "csv"):
        assert f'/kpis/report.{fmt}?span=month&amp;site={site.site_id}' in page
    assert page.count('hx-boost="false" download') == 3
    printable = client.get(f"/kpis/report/print?span=month&site={site.site_id}")
    assert printable.status_code == 200
    assert "<nav" not in printable.text and "Dock-to-stock hours" in printable.text
    assert f"{site.spike_day}: {SPIKE}" in printable.text
    # the icons, and the assurance against the accuracy target of 95 (97.5 to 99 every day)
    assert printable.text.count("data-variation=") == 2
    assert 'data-assurance="pass"' in printable.text


def test_the_pdf_reads_like_the_page(client: FlaskClient, login_as: Any, site: World) -> None:
    login_as("viewer")
    response = client.get(f"/kpis/report.pdf?span=month&site={site.site_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = " ".join(pdf_text(response.data).split())
    for words in ("Dock-to-stock hours", "Order accuracy", str(site.spike_day), SPIKE,
                  site.project.key, "at risk"):
        assert words in text, words


def test_the_xlsx_has_the_values_and_neutralises_the_note(client: FlaskClient, login_as: Any,
                                                          site: World) -> None:
    login_as("viewer")
    response = client.get(f"/kpis/report.xlsx?span=month&site={site.site_id}")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert book.sheet_names == ["Status", "Signals", "Notes", "Projects", "Values"]

    def rows(name: str) -> list[list[Any]]:
        return book.get_sheet_by_name(name).to_python()[1:]

    status = {r[0]: r for r in rows("Status")}
    assert status["Dock-to-stock hours"][9] == 1  # one signal in the month
    assert status["Dock-to-stock hours"][10] == site.project.key
    values = rows("Values")
    expected = sum(v for d, v in site.accuracy_values.items() if site.start <= d <= site.end)
    assert sum(r[3] for r in values if r[0] == "Order accuracy") == pytest.approx(expected)
    spiky = [r[3] for r in values if r[0] == "Dock-to-stock hours"]
    days = (site.end - site.start).days + 1
    # every day 9 or 11 alternating, but 20 on the spike day (in place of 9 or 11)
    assert len(spiky) == days and max(spiky) == 20.0 and spiky.count(20.0) == 1
    ((kpi, day, note),) = rows("Notes")
    assert (kpi, note) == ("Dock-to-stock hours", "'" + FORMULA_NOTE)
    with zipfile.ZipFile(io.BytesIO(response.data)) as parts:
        sheets = [parts.read(n) for n in parts.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)  # no formula cell
    (project,) = rows("Projects")
    assert project[1] == site.project.key and project[5] == "At risk"
    assert project[6] == "The scanner supplier is late"


def test_a_bad_period_or_site_is_refused_by_name(client: FlaskClient, login_as: Any,
                                                 site: World) -> None:
    login_as("viewer")
    for query, words in (("site=99999", "no site with the id 99999"),
                         ("site=abc", "is not the id of a site"),
                         ("span=year", "choose week or month"),
                         ("ending=2026-02-30", "ending")):
        response = client.get(f"/kpis/report.xlsx?{query}")
        assert 400 <= response.status_code < 500, query
        assert words in response.text, query
    area = site.spiky.org_unit_id
    assert "no site with the id" in client.get(f"/kpis/report?site={area}").text
