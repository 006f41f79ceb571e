"""The portfolio and the benefits as spreadsheets (CSV, XLSX): the same rows the pages show,
with the portfolio's filters and the benefit lines' filters, text cells made safe by
``core.exports``. A constant number of queries whatever the number of projects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, cast, func, select
from werkzeug.wrappers import Response

from ..benefits.calc import CENT
from ..benefits.models import STATES, BenefitLine, BenefitMonth
from ..benefits.rollup import project_figures
from ..core.exports import CSV_TYPE, XLSX_TYPE, Sheet, csv_bytes, xlsx_bytes
from ..extensions import db
from ..portfolio import board
from ..portfolio.models import HEALTH_LABELS
from ..projects.models import Project
from ..projects.phases import METHODOLOGY_LABELS, STATUS_LABELS, Methodology
from .lines import LineFilters, lines

PORTFOLIO_HEADERS = (
    "Key", "Title", "Type", "Phase", "Status", "Site / area", "Lead", "Target date",
    "Days in phase", "Overdue actions", "Sustain signals", "Health", "Health reason",
    "Suggested health", "Projected benefits (year)", "Realized benefits (year)",
    "Realized, validated (year)")
LINE_HEADERS = (
    "Line", "Project", "Project title", "Site / area", "Category", "Description",
    "Method", "Quantity", "Quantity unit", "Unit value", "Projected a year",
    "Projected state", "Backed by a significant before/after result", "Projected in period",
    "Realized in period", "Realized, validated in period")
MONTH_HEADERS = ("Line", "Project", "Month", "Realized", "State")
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def download(body: bytes, fmt: str, name: str) -> Response:
    """The file as a download named ``name.fmt`` (the pages' and the API's)."""
    return Response(body, content_type=FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _portfolio_rows(filters: board.PortfolioFilters, clock: board.Clock, year: int
                    ) -> Iterator[tuple[Any, ...]]:
    ids = list(db.session.scalars(select(Project.id).where(*board.conditions(filters))
                                  .order_by(Project.key)))
    # the whole programme's year, not an IN list of thousands of ids: one statement, and
    # the rows not exported are only a dictionary's entries
    by_project = project_figures(year) if ids else {}
    for row in board.rows_of(ids, clock):
        money = by_project.get(row.id)
        yield (row.key, row.title, METHODOLOGY_LABELS[Methodology(row.methodology)],
               row.phase_label, STATUS_LABELS.get(row.status, row.status),
               row.org_unit.label if row.org_unit else "",
               row.lead.name if row.lead else "", row.target_date, row.days_in_phase,
               row.overdue, row.signals, HEALTH_LABELS.get(row.health or "", ""),
               row.health_reason, HEALTH_LABELS.get(row.suggested.health, ""),
               *(money.money(n) if money else CENT * 0 for n in
                 ("projected", "realized", "realized_validated")))


def portfolio(filters: board.PortfolioFilters, clock: board.Clock, fmt: str) -> bytes:
    year = filters.year or clock.today.year
    sheet = Sheet("Portfolio", PORTFOLIO_HEADERS, _portfolio_rows(filters, clock, year))
    return csv_bytes(sheet) if fmt == "csv" else xlsx_bytes([sheet])


def _month_rows(line_ids: list[int], filters: LineFilters) -> list[tuple[Any, ...]]:
    if not line_ids:
        return []
    cents = cast(func.round(BenefitMonth.amount * 100), BigInteger)
    rows = db.session.execute(
        select(BenefitMonth.line_id, Project.key, BenefitMonth.month, cents,
               BenefitMonth.state)
        .join(BenefitLine, BenefitLine.id == BenefitMonth.line_id)
        .join(Project, Project.id == BenefitLine.project_id)
        .where(BenefitMonth.line_id.in_(line_ids),
               BenefitMonth.month >= date(filters.year, 1, 1),
               BenefitMonth.month < date(filters.year + 1, 1, 1))
        .order_by(Project.key, BenefitMonth.line_id, BenefitMonth.month))
    return [(line, key, month, int(c) * CENT, STATES.get(state, state))
            for line, key, month, c, state in rows]


def benefits(filters: LineFilters, fmt: str) -> bytes:
    found = lines(filters)
    rows = [(r.id, r.project_key, r.project_title, r.unit, r.category_label, r.description,
             r.method, r.quantity, r.quantity_unit, r.unit_value, r.projected_annual,
             STATES.get(r.projected_state, r.projected_state), r.backed,
             r.projected_in_period, r.realized_in_period, r.realized_validated)
            for r in found]
    lines_sheet = Sheet("Benefit lines", LINE_HEADERS, rows)
    if fmt == "csv":
        return csv_bytes(lines_sheet)
    months = Sheet("Realized by month", MONTH_HEADERS,
                   _month_rows([r.id for r in found], filters))
    return xlsx_bytes([lines_sheet, months])

