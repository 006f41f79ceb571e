"""The operational report as files and as an e-mail that stands on its own: the body holds
every KPI's status, the period's signals in words, the notes and the linked projects, and
the PDF and the XLSX of the report are attached, so leadership reads it without signing in.
Mail goes through ``core.mail`` (SMTP, or an .eml file in the outbox)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, render_template, url_for
from werkzeug.wrappers import Response

from ..core import exports, mail
from ..core.errors import DomainError
from ..core.pdf import PdfUnavailable, html_to_pdf
from .report import Report, sheets, values_csv

log = logging.getLogger(__name__)
PDF_TYPE = "application/pdf"


def pdf_bytes(report: Report) -> bytes:
    """The printable page through WeasyPrint, with the same print stylesheet."""
    document = render_template("kpis/report_print.html", report=report, pdf=True)
    css = [os.path.join(current_app.static_folder or "", "css", "kpi-report-print.css")]
    return html_to_pdf(document, css, current_app.config.get("BASE_URL"))


def xlsx_bytes(report: Report) -> bytes:
    return exports.xlsx_bytes(sheets(report))


def download(report: Report, fmt: str) -> Response:
    """The report as a file to save: the period's values (CSV), the report (XLSX, PDF)."""
    if fmt == "csv":
        body, kind = values_csv(report), exports.CSV_TYPE
        name = f"kpi-values-{report.start}-{report.end}.csv"
    elif fmt == "xlsx":
        body, kind, name = xlsx_bytes(report), exports.XLSX_TYPE, report.filename("xlsx")
    else:
        body, kind, name = pdf_bytes(report), PDF_TYPE, report.filename("pdf")
    response = Response(body, mimetype=kind)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@dataclass(frozen=True)
class Attachment:
    filename: str
    maintype: str
    subtype: str
    body: bytes


def link(report: Report) -> str:
    """The report's page at the app's public address (``CIAPP_BASE_URL``)."""
    base = (current_app.config.get("BASE_URL") or "").rstrip("/")
    args = {"span": report.span, "ending": report.end.isoformat()}
    if report.site:
        args["site"] = str(report.site.id)
    return base + url_for("kpis.report_page", _external=False, **args)


def subject(report: Report) -> str:
    return f"ciapp {report.title[0].lower()}{report.title[1:]}"


def attachments(report: Report) -> tuple[list[Attachment], str]:
    """The PDF and the XLSX; without WeasyPrint the mail still goes, with the XLSX and a
    line that says why the PDF is missing (the body holds the whole report anyway)."""
    files = [Attachment(report.filename("xlsx"), "application",
                        "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        xlsx_bytes(report))]
    try:
        files.insert(0, Attachment(report.filename("pdf"), "application", "pdf",
                                   pdf_bytes(report)))
    except PdfUnavailable as exc:
        log.warning("KPI report mail without its PDF: %s", exc.message)
        return files, "The PDF could not be made on the server; the XLSX is attached."
    return files, ""


def compose(report: Report, to: Sequence[str]) -> EmailMessage:
    files, problem = attachments(report)
    context = {"report": report, "link": link(report), "problem": problem,
               "files": [f.filename for f in files]}
    msg = mail.message(subject(report), to, render_template("kpis/report_mail.txt", **context),
                       render_template("kpis/report_mail.html", **context))
    for f in files:
        msg.add_attachment(f.body, maintype=f.maintype, subtype=f.subtype,
                           filename=f.filename)
    return msg


class MailFailed(DomainError):
    status = 502


def send(report: Report, to: Sequence[str]) -> str:
    """Send the report to ``to``; answers where it went (the SMTP host or the file)."""
    msg = compose(report, to)
    try:
        return mail.send(msg)
    except OSError as exc:  # smtplib's errors are OSErrors too
        raise MailFailed(f"The report was not sent: the mail server "
                         f"{current_app.config.get('SMTP_HOST') or '(outbox)'} answered "
                         f"{exc}.") from None
