"""The leadership pages: the summary (a page, a printable page and a PDF), the lines behind a
figure, the exports, and the monthly e-mail's preview."""

from __future__ import annotations

import os
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from ..benefits.models import STATES
from ..charts.benefits import cumulative_figure
from ..charts.svg import to_svg
from ..core.access import SIGNED_IN, guard, roles
from ..core.errors import DomainError
from ..core.pdf import html_to_pdf
from ..portfolio.board import clock_for
from ..portfolio.forms import FilterForm
from . import exports, lines, monthly
from . import summary as figures

bp = Blueprint("leadership", __name__, url_prefix="/leadership")
ADMIN = roles("admin")


def _site_arg() -> int | None:
    raw = request.args.get("site", "")
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 2**31 - 1:
        raise DomainError("'site' must be the id of a site.", field="site")
    return int(raw)


def chart_svg(summary: figures.Summary, currency: str) -> str:
    series = tuple((name, tuple(m.cumulative.money(name) for m in summary.months))
                   for name in figures.NAMES)
    shown = 12 if summary.year < summary.today.year else \
        (summary.today.month if summary.year == summary.today.year else 0)
    return _chart(series, currency, summary.year, shown)


@lru_cache(maxsize=64)
def _chart(series: tuple[tuple[str, tuple[Decimal, ...]], ...], currency: str, year: int,
           shown: int) -> str:
    # Keyed by the figures drawn: drawing costs as much as the whole summary's figures,
    # and they change only when a benefit does, so a repeat view draws nothing.
    return to_svg(cumulative_figure({name: [float(v) for v in values]
                                     for name, values in series}, currency, year, shown))


def _context() -> dict[str, Any]:
    filters = lines.parse(request.args, figures.today())
    summary = figures.build(filters.year, figures.today(), _site_arg())
    currency = current_app.config["CURRENCY"]
    return {"s": summary, "currency": currency, "chart": chart_svg(summary, currency),
            "base_args": {"year": summary.year,
                          **({"site": summary.site.id} if summary.site else {})}}


@bp.get("/")
@guard(SIGNED_IN)
def index() -> str:
    return render_template("leadership/index.html", **_context())


@bp.get("/summary.pdf")
@guard(SIGNED_IN)
def pdf() -> Response:
    context = _context()
    document = render_template("leadership/print.html", **context)
    css = [os.path.join(current_app.static_folder or "", "css", "leadership-print.css")]
    response = make_response(html_to_pdf(document, css, request.host_url))
    response.headers["Content-Type"] = "application/pdf"
    site = f"-{context['s'].site.name}" if context["s"].site else ""
    response.headers["Content-Disposition"] = \
        f'attachment; filename="benefits-{context["s"].year}{_safe(site)}.pdf"'
    return response


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


@bp.get("/lines")
@guard(SIGNED_IN)
def lines_page() -> str:
    filters = lines.parse(request.args, figures.today())
    return render_template("leadership/lines.html", filters=filters,
                           rows=lines.lines(filters), states=STATES,
                           currency=current_app.config["CURRENCY"])



@bp.get("/export/portfolio.<any(csv, xlsx):fmt>")
@guard(SIGNED_IN)
def export_portfolio(fmt: str) -> Response:
    form = FilterForm(request.args)
    if not form.validate():
        raise DomainError("; ".join(f"{name}: {' '.join(errors)}"
                                    for name, errors in form.errors.items()))
    clock = clock_for(current_app.config["PORTFOLIO_STALLED_DAYS"])
    return exports.download(exports.portfolio(form.filters(), clock, fmt), fmt,
                     f"portfolio-{clock.today.isoformat()}")


@bp.get("/export/benefits.<any(csv, xlsx):fmt>")
@guard(SIGNED_IN)
def export_benefits(fmt: str) -> Response:
    filters = lines.parse(request.args, figures.today())
    return exports.download(exports.benefits(filters, fmt), fmt, f"benefits-{filters.year}")


@bp.get("/email")
@guard(ADMIN)
def email_preview() -> str:
    month = monthly.parse_month(request.args.get("month"), figures.today())
    summary = monthly.build(month, figures.today())
    return render_template("leadership/email.html", m=summary, s=summary.summary,
                           currency=current_app.config["CURRENCY"],
                           recipients=monthly.recipients())


@bp.post("/email")
@guard(ADMIN)
def email_send() -> Response:
    month = monthly.parse_month(request.form.get("month"), figures.today())
    where = monthly.send(monthly.build(month, figures.today()), monthly.recipients())
    flash(f"The summary of {month:%B %Y} was sent ({where}).", "success")
    return redirect(url_for(".email_preview", month=f"{month:%Y-%m}"))
