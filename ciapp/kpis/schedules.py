"""The operational report by e-mail on a schedule: an admin adds a schedule (a site or every
site, weekly or monthly, recipients' addresses checked), previews the e-mail and sends it
now; ``flask --app ciapp send-kpi-report`` (cron, on one machine) sends every schedule due
for the last complete period and not sent yet, and records each period it sent, so a cron
that runs twice does not send twice. Functions flush, never commit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError, NotFound
from ..extensions import db
from ..orgunits import services as orgunits
from . import report, reportmail
from .models import KpiReportSchedule, KpiReportSend

MAX_RECIPIENTS = 50
SPAN_WORDS = {"week": "weekly", "month": "monthly"}


def recipients(text: str | None, field: str = "recipients") -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; each one checked."""
    from email_validator import EmailNotValidError, validate_email

    found: list[str] = []
    for raw in re.split(r"[\s,;]+", (text or "").strip()):
        if not raw:
            continue
        try:
            address = validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise DomainError(f"{field}: {raw!r} is not a valid e-mail address ({exc}).",
                              field=field) from None
        if address not in found:
            found.append(address)
    if not found:
        raise DomainError(f"{field}: give at least one e-mail address.", field=field)
    if len(found) > MAX_RECIPIENTS:
        raise DomainError(f"{field}: at most {MAX_RECIPIENTS} addresses.", field=field)
    return found


def _span(value: Any) -> str:
    if value not in report.SPANS:
        raise DomainError("period: choose weekly or monthly.", field="span")
    return str(value)


def _site(value: Any) -> int | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise DomainError(f"site: {raw!r} is not the id of a site.", field="site")
    site = report.site_of(int(raw))
    return site.id if site else None


def add(actor: User, form: Mapping[str, Any]) -> KpiReportSchedule:
    span, site_id = _span(form.get("span")), _site(form.get("site"))
    to = recipients(form.get("recipients"))
    schedule = KpiReportSchedule(span=span, site_id=site_id, recipients="\n".join(to),
                                 created_by_id=actor.id)
    db.session.add(schedule)
    db.session.flush()
    audit.record(actor, "add report schedule", "kpi_report_schedule", schedule.id,
                 summary=f"The {SPAN_WORDS[span]} KPI report of "
                         f"{schedule.site.name if schedule.site else 'every site'} "
                         f"to {', '.join(to)}")
    return schedule


def get(schedule_id: int) -> KpiReportSchedule:
    schedule = db.session.get(KpiReportSchedule, schedule_id) \
        if schedule_id <= 2**31 - 1 else None
    if schedule is None:
        raise NotFound(f"There is no report schedule {schedule_id}.")
    return schedule


def remove(actor: User, schedule_id: int) -> None:
    schedule = get(schedule_id)
    audit.record(actor, "remove report schedule", "kpi_report_schedule", schedule.id,
                 summary=f"The {SPAN_WORDS[schedule.span]} KPI report to "
                         f"{', '.join(schedule.addresses)} no longer sent")
    db.session.delete(schedule)
    db.session.flush()


def listed() -> list[KpiReportSchedule]:
    return list(db.session.scalars(select(KpiReportSchedule).order_by(KpiReportSchedule.id)))


def last_sent() -> dict[int, date]:
    """The newest period each schedule sent."""
    rows = db.session.execute(select(KpiReportSend.schedule_id,
                                     func.max(KpiReportSend.period_start))
                              .group_by(KpiReportSend.schedule_id))
    return {schedule_id: start for schedule_id, start in rows}


def due(today: date, span: str | None = None, site_id: int | None = None
        ) -> list[KpiReportSchedule]:
    """Schedules whose last complete period (as of ``today``) has not been sent."""
    out = []
    for schedule in listed():
        if span and schedule.span != span or site_id and schedule.site_id != site_id:
            continue
        start, _ = report.window(schedule.span, today)
        if not db.session.scalar(select(KpiReportSend.id).where(
                KpiReportSend.schedule_id == schedule.id,
                KpiReportSend.period_start == start)):
            out.append(schedule)
    return out


@dataclass(frozen=True)
class Sent:
    schedule: KpiReportSchedule
    start: date
    destination: str


def send_schedule(schedule: KpiReportSchedule, today: date, *, again: bool = False
                  ) -> Sent | None:
    """Send the schedule's report of the last complete period and record it (the record
    first: the unique period per schedule stops a second cron; None when it was sent
    already). ``again``: an admin's "send now" sends even a period already sent."""
    made = report.build(schedule.span, today, schedule.site_id, today)
    sent = db.session.scalar(select(KpiReportSend).where(
        KpiReportSend.schedule_id == schedule.id, KpiReportSend.period_start == made.start))
    if sent is None:
        sent = KpiReportSend(schedule_id=schedule.id, period_start=made.start)
        try:
            with db.session.begin_nested():
                db.session.add(sent)
        except IntegrityError:  # another run recorded it meanwhile
            sent = None
            if not again:
                return None
    elif not again:
        return None
    where = reportmail.send(made, schedule.addresses)
    if sent is not None:
        sent.destination = where[:300]
        db.session.flush()
    return Sent(schedule, made.start, where)


def send_now(form: Mapping[str, Any], today: date) -> str:
    """The admin's "send now": a schedule's report to its recipients (recorded as sent), or
    the report of a period and site to the addresses typed in."""
    raw = str(form.get("schedule_id") or "")
    if raw:
        if not (raw.isascii() and raw.isdigit()):
            raise NotFound(f"There is no report schedule {raw!r}.")
        done = send_schedule(get(int(raw)), today, again=True)
        return done.destination if done else ""
    made = report.build(_span(form.get("span") or "week"), today, _site(form.get("site")),
                        today)
    return reportmail.send(made, recipients(form.get("to"), "to"))


def admin_context(args: Mapping[str, Any], today: date, *, form: Mapping[str, Any] | None = None,
                  problem: DomainError | None = None) -> dict[str, Any]:
    """The admin page: the schedules, the form to add one, and the e-mail's preview for the
    period and site in ``args``."""
    try:
        preview = report.build(_span(args.get("span") or "week"), today,
                               _site(args.get("site")), today)
    except DomainError:
        preview = report.build("week", today, None, today)
    context = {"report": preview, "link": reportmail.link(preview), "problem": None,
               "files": [preview.filename("pdf"), preview.filename("xlsx")]}
    return {"schedules": listed(), "last_sent": last_sent(), "sites": orgunits.site_tree(),
            "spans": SPAN_WORDS, "form": form or {}, "problem": problem, "preview": preview,
            "subject": reportmail.subject(preview),
            # Safe: our own template's output, every value in it escaped by Jinja.
            "body": Markup(render_template("kpis/_report_mail_body.html",  # nosec B704
                                           **context)),
            "due": {s.id for s in due(today)}}
