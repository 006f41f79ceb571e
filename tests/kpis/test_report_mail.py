"""The operational report by e-mail: a message complete on its own (statuses, signals,
notes, projects in the body; the PDF and the XLSX attached) written to the outbox without
SMTP; schedules an admin adds, previews and sends now; the cron command sends each schedule
due once per period, never twice; bad addresses and sites are refused by name."""

from __future__ import annotations

import email
import io
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from ciapp.kpis.models import KpiReportSchedule, KpiReportSend
from tests.a3.conftest import pdf_text
from tests.kpis.reporting import World, world

SPIKE = "a point more than 3 sigma from the center line"


@pytest.fixture
def site(db: Any) -> World:
    return world()


@pytest.fixture
def outbox(app: Flask, tmp_path: Path, monkeypatch: Any) -> Path:
    folder = tmp_path / "outbox"
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(folder))
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    return folder


def messages(folder: Path) -> list[EmailMessage]:
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes(), policy=default)  # type: ignore[misc]
            for p in sorted(folder.iterdir())]


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["send-kpi-report", *args])


def test_the_mail_holds_the_whole_report_and_its_files(app: Flask, site: World,
                                                        outbox: Path) -> None:
    result = run(app, "--period", "month", "--site", str(site.site_id),
                 "--to", "cfo@example.com", "--to", "plant.manager@example.com")
    assert result.exit_code == 0, result.output
    (msg,) = messages(outbox)
    assert msg["To"] == "cfo@example.com, plant.manager@example.com"
    assert msg["Subject"].startswith("ciapp operational report, ")
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "Dock-to-stock hours" in body and "Order accuracy" in body
        assert f"{site.spike_day}: {SPIKE}" in body
        assert "Will consistently meet the target" in body  # accuracy's assurance
        assert f"{site.project.key} Faster put-away: " in body and "at risk" in body
        assert "HYPERLINK" in body  # the note, as text
        assert "Forklift incidents elsewhere" not in body  # another site's KPI
    assert "<script" not in html and "&#34;http://evil.example&#34;" in html
    files = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
    pdf = next(v for k, v in files.items() if k.endswith(".pdf"))
    xlsx = next(v for k, v in files.items() if k.endswith(".xlsx"))
    assert "Order accuracy" in " ".join(pdf_text(pdf).split())
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
    assert len(book.get_sheet_by_name("Values").to_python()) == 1 + 2 * (
        (site.end - site.start).days + 1)


def test_a_schedule_is_sent_once_per_period(app: Flask, db: Any, site: World,
                                            outbox: Path) -> None:
    from ciapp.kpis import schedules
    from tests import factories

    admin = factories.user("admin")
    monthly = schedules.add(admin, {"span": "month", "site": str(site.site_id),
                                    "recipients": "ops@example.com; coo@example.com"})
    weekly = schedules.add(admin, {"span": "week", "recipients": "all@example.com"})
    db.session.commit()
    assert {s.id for s in schedules.due(site.end)} == {monthly.id, weekly.id}

    first = run(app, "--period", "month")
    assert first.exit_code == 0, first.output
    assert f"the report of {site.start} went to" in first.output
    (msg,) = messages(outbox)
    assert msg["To"] == "ops@example.com, coo@example.com"
    again = run(app, "--period", "month")  # cron running twice
    assert again.exit_code == 0 and "No report schedule is due" in again.output
    assert len(messages(outbox)) == 1
    assert db.session.scalar(select(func.count()).select_from(KpiReportSend).where(
        KpiReportSend.schedule_id == monthly.id,
        KpiReportSend.period_start == site.start)) == 1

    everything = run(app)  # the weekly one is still due
    assert everything.exit_code == 0 and len(messages(outbox)) == 2
    assert messages(outbox)[1]["To"] == "all@example.com"
    assert run(app).output.startswith("No report schedule is due")


def test_a_schedule_the_mail_server_refused_stays_due(app: Flask, db: Any, site: World,
                                                      outbox: Path, monkeypatch: Any) -> None:
    from ciapp.kpis import schedules
    from tests import factories

    schedule = schedules.add(factories.user("admin"), {"span": "week",
                                                       "recipients": "ops@example.com"})
    db.session.commit()
    # nothing listens on port 1 of this machine: the connection is refused
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)
    failed = run(app)
    assert failed.exit_code != 0
    assert f"Schedule {schedule.id}: The report was not sent" in failed.output
    assert "stays due" in failed.output
    assert db.session.scalar(select(func.count()).select_from(KpiReportSend)) == 0
    monkeypatch.setitem(app.config, "SMTP_HOST", None)
    assert run(app).exit_code == 0 and len(messages(outbox)) == 1


def test_send_now_says_when_the_mail_server_refuses(client: FlaskClient, login_as: Any,
                                                    db: Any, site: World, app: Flask,
                                                    monkeypatch: Any) -> None:
    login_as("admin")
    db.session.commit()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)
    response = client.post("/kpis/report/email", data={"span": "week", "to": "me@example.com"})
    assert response.status_code == 502
    assert "The report was not sent: the mail server 127.0.0.1 answered" in response.text


def test_the_command_refuses_bad_input_by_name(app: Flask, site: World, outbox: Path) -> None:
    for args, words in ((("--to", "not-an-address"), "'not-an-address' is not a valid"),
                        (("--site", "99999"), "no site with the id 99999"),
                        (("--site", "99999", "--to", "a@example.com"), "no site"),
                        (("--period", "year"), "'year' is not one of")):
        result = run(app, *args)
        assert result.exit_code != 0 and words in result.output, args
    assert messages(outbox) == []


def test_an_admin_adds_previews_sends_and_removes_a_schedule(
        client: FlaskClient, login_as: Any, db: Any, site: World, outbox: Path) -> None:
    login_as("admin")
    db.session.commit()
    page = client.get(f"/kpis/report/email?span=month&site={site.site_id}")
    assert page.status_code == 200
    assert "ciapp operational report, " in page.text and f"{site.spike_day}: {SPIKE}" in page.text
    added = client.post("/kpis/report/schedules", data={
        "span": "week", "site": str(site.site_id), "recipients": "a@example.com\nb@example.com"})
    assert added.status_code == 302
    (schedule,) = db.session.scalars(select(KpiReportSchedule)).all()
    assert (schedule.span, schedule.site_id, schedule.addresses) == (
        "week", site.site_id, ["a@example.com", "b@example.com"])
    listed = client.get("/kpis/report/email").text
    assert "a@example.com, b@example.com" in listed and "never" in listed

    sent = client.post("/kpis/report/email", data={"schedule_id": str(schedule.id)})
    assert sent.status_code == 302
    assert messages(outbox)[0]["To"] == "a@example.com, b@example.com"
    assert "never" not in client.get("/kpis/report/email").text  # its period is recorded

    one_off = client.post("/kpis/report/email", data={"span": "month", "site": "",
                                                      "to": "me@example.com"})
    assert one_off.status_code == 302 and messages(outbox)[1]["To"] == "me@example.com"

    assert client.post(f"/kpis/report/schedules/{schedule.id}/delete").status_code == 302
    assert db.session.scalars(select(KpiReportSchedule)).all() == []
    assert client.post("/kpis/report/schedules/99999/delete").status_code == 404


def test_bad_schedule_input_gets_a_clear_message_and_saves_nothing(
        client: FlaskClient, login_as: Any, db: Any, site: World) -> None:
    login_as("admin")
    db.session.commit()
    for data, words in (
            ({"span": "week", "recipients": "ops@example.com, not an address"},
             "recipients: &#39;not&#39; is not a valid e-mail address"),
            ({"span": "week", "recipients": ""}, "give at least one e-mail address"),
            ({"span": "week", "site": "99999", "recipients": "a@example.com"},
             "site: there is no site with the id 99999"),
            ({"span": "week", "site": str(site.spiky.org_unit_id),
              "recipients": "a@example.com"}, "there is no site with the id"),
            ({"span": "daily", "recipients": "a@example.com"}, "choose weekly or monthly")):
        response = client.post("/kpis/report/schedules", data=data)
        assert response.status_code == 422, data
        assert words in response.text, data
    assert db.session.scalars(select(KpiReportSchedule)).all() == []


def test_only_admins_schedule_and_any_role_reads_the_report(
        client: FlaskClient, login_as: Any, site: World) -> None:
    login_as("viewer")
    assert client.get("/kpis/report?span=month").status_code == 200
    assert client.get("/kpis/report/email").status_code == 403
    assert client.post("/kpis/report/schedules", data={
        "span": "week", "recipients": "a@example.com"}).status_code == 403
