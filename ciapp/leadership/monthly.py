"""The monthly summary e-mail: the figures of a month and of the year to its end, the top
projects, and a link to the summary page. An admin previews it in the app; cron sends it
with ``flask --app ciapp send-summary`` (one server sends it, not every app server)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import select

from ..auth.models import Role, User
from ..benefits.calc import add_months
from ..core import mail
from ..core.errors import DomainError
from ..extensions import db
from . import summary as figures


@dataclass(frozen=True)
class Monthly:
    month: date
    summary: figures.Summary
    in_month: figures.Month
    link: str

    @property
    def subject(self) -> str:
        return f"ciapp benefits summary, {self.month:%B %Y}"


def parse_month(raw: str | None, today: date) -> date:
    """``YYYY-MM``; by default the month before this one (the last whole month)."""
    if not raw:
        return add_months(date(today.year, today.month, 1), -1)
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise DomainError(f"The month is written YYYY-MM, such as 2026-10; got {raw!r}.",
                          field="month") from None


def build(month: date, today: date, site_id: int | None = None) -> Monthly:
    summary = figures.build(month.year, today, site_id)
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    link = f"{base}/leadership/?year={month.year}" + (f"&site={site_id}" if site_id else "")
    return Monthly(month, summary, summary.months[month.month - 1], link)


def recipients() -> list[str]:
    """By default the CI council and the admins: the people who read the summary."""
    rows = db.session.scalars(select(User.email).where(
        User.active.is_(True), User.role.in_([Role.COUNCIL.value, Role.ADMIN.value]))
        .order_by(User.email))
    return list(rows)


def compose(monthly: Monthly, to: Sequence[str]) -> EmailMessage:
    context = {"m": monthly, "s": monthly.summary,
               "currency": current_app.config["CURRENCY"]}
    return mail.message(monthly.subject, to,
                        render_template("leadership/monthly.txt", **context),
                        render_template("leadership/monthly_email.html", **context))


def send(monthly: Monthly, to: Sequence[str]) -> str:
    if not to:
        raise DomainError("Nobody to send the summary to: no active council member or "
                          "admin has an e-mail address; name recipients with --to.",
                          field="to")
    return mail.send(compose(monthly, to))
