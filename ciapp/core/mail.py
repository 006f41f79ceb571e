"""Outgoing e-mail: through SMTP when CIAPP_SMTP_HOST is set, otherwise written as .eml
files to the instance folder's outbox/ (a laptop or a test set-up sees exactly what would
have been sent). Commands run this from cron, never from a web request."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


def message(subject: str, to: Sequence[str], text: str, html: str | None = None
            ) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = ", ".join(to)
    msg["Message-ID"] = make_msgid(domain="ciapp")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def outbox() -> str:
    return current_app.config.get("MAIL_OUTBOX") or os.path.join(current_app.instance_path,
                                                                 "outbox")


def send(msg: EmailMessage) -> str:
    """Send ``msg``; answers where it went (the SMTP host, or the file written)."""
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        folder = outbox()
        os.makedirs(folder, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = os.path.join(folder, f"{stamp}.eml")
        with open(path, "wb") as handle:
            handle.write(bytes(msg))
        return path
    with smtplib.SMTP(host, int(config.get("SMTP_PORT") or 587), timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        smtp.send_message(msg)
    return f"smtp://{host}"
