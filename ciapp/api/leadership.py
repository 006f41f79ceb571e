"""The leadership endpoints of /api/v1: the summary's figures (``/summary?year=&site=``) and
the exports (``/exports/portfolio.csv|xlsx``, ``/exports/benefits.csv|xlsx``), through the
same services as the pages. The routes join the API blueprint (token check, JSON errors)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, guard
from ..core.errors import DomainError
from ..leadership import exports, lines
from ..leadership import summary as figures
from .portfolio import _filters
from .routes import bp

SUMMARY_ARGS = ("year", "site")
LINE_ARGS = ("year", "site", "unit", "category", "methodology", "belt", "project", "month")


def _known(allowed: tuple[str, ...]) -> None:
    unknown = [name for name in request.args if name not in allowed]
    if unknown:
        raise DomainError("Unknown query parameter; allowed: " + ", ".join(allowed) + ".",
                          fields={name: ["Unknown query parameter."] for name in unknown})


@bp.get("/summary")
@guard(SIGNED_IN)
def summary() -> Response:
    _known(SUMMARY_ARGS)
    filters = lines.parse(request.args, figures.today())
    result = figures.build(filters.year, figures.today(), filters.site)
    return jsonify({"currency": current_app.config["CURRENCY"], **result.to_dict()})



@bp.get("/exports/portfolio.<any(csv, xlsx):fmt>")
@guard(SIGNED_IN)
def export_portfolio(fmt: str) -> Response:
    filters, clock = _filters(request.args)
    return exports.download(exports.portfolio(filters, clock, fmt), fmt,
                 f"portfolio-{clock.today.isoformat()}")


@bp.get("/exports/benefits.<any(csv, xlsx):fmt>")
@guard(SIGNED_IN)
def export_benefits(fmt: str) -> Response:
    _known(LINE_ARGS)
    filters = lines.parse(request.args, figures.today())
    return exports.download(exports.benefits(filters, fmt), fmt, f"benefits-{filters.year}")

