"""The KPI board, the KPI page, and the forms that create a KPI, add, upload and correct
its values and re-base its limits. Each change runs one service and redirects; a refusal
shows the page again with the message and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard
from ..core.errors import DomainError, NotFound
from ..core.validators import parse_date
from ..extensions import db
from . import access, improvement, pages, report, services, summary
from .models import Kpi

bp = Blueprint("kpis", __name__, url_prefix="/kpis")


@bp.get("/")
@guard(SIGNED_IN)
def board() -> str:
    compact = request.args.get("view") == "compact"
    return render_template("kpis/board.html", **pages.board_context(
        pages.filters_from(request.args), compact, date.today()))


def _report() -> report.Report:
    span = request.args.get("span", "week")
    ending = request.args.get("ending", "")
    try:
        day = parse_date(ending) if ending else date.today()
    except ValueError as exc:
        raise DomainError(f"ending: {exc}", field="ending") from None
    if span not in report.SPANS:
        raise DomainError("span must be week or month.", field="span")
    return report.build(span, day, pages.filters_from(request.args).site)


@bp.get("/report")
@guard(SIGNED_IN)
def report_page() -> str:
    return render_template("kpis/report.html", report=_report(), **pages.report_context())


@bp.get("/report.csv")
@guard(SIGNED_IN)
def report_csv() -> Response:
    made = _report()
    response = Response(report.values_csv(made), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kpi-values-{made.start}-{made.end}.csv"')
    return response


@bp.route("/new", methods=["GET", "POST"])
@guard(access.CREATE)
def new() -> Any:
    if request.method == "GET":
        return render_template("kpis/form.html", **pages.form_context())
    try:
        kpi = services.create_kpi(acting_user(), request.form.to_dict())
        summary.refresh(kpi)
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/form.html", **pages.form_context(
            data=request.form, problem=exc)), exc.status
    db.session.commit()
    return redirect(url_for(".show", kpi_id=kpi.id))


@bp.get("/<int:kpi_id>")
@guard(access.VIEW)
def show(kpi: Kpi) -> str:
    return render_template("kpis/show.html", **pages.show_context(kpi, acting_user()))


@bp.route("/<int:kpi_id>/edit", methods=["GET", "POST"])
@guard(access.EDIT)
def edit(kpi: Kpi) -> Any:
    if request.method == "GET":
        return render_template("kpis/form.html", **pages.form_context(kpi))
    try:
        version = request.form.get("version", "")
        services.update_kpi(acting_user(), kpi, {k: v for k, v in request.form.items()
                                                 if k != "version"},
                            int(version) if version.isascii() and version.isdigit() else None)
        summary.refresh(kpi)
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/form.html", **pages.form_context(
            kpi, request.form, exc)), exc.status
    db.session.commit()
    return redirect(url_for(".show", kpi_id=kpi.id))


def _change(kpi: Kpi, change: Callable[[], Any], anchor: str) -> Any:
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/show.html", **pages.show_context(
            kpi, acting_user(), problem=exc)), exc.status
    db.session.commit()
    return redirect(url_for(".show", kpi_id=kpi.id) + anchor)


@bp.post("/<int:kpi_id>/values")
@guard(access.EDIT)
def add_value(kpi: Kpi) -> Response:
    return _change(kpi, lambda: pages.add_typed(acting_user(), kpi, request.form,
                                                date.today()), "#values")


@bp.post("/<int:kpi_id>/upload")
@guard(access.EDIT)
def upload(kpi: Kpi) -> Response:
    def run() -> int:
        file = request.files.get("file")
        if file is None or not file.filename:
            raise DomainError("Choose a CSV or XLSX file to upload.", field="file")
        mapping = {f: request.form.get(f"map_{f}", "") for f in ("period", "value", "n",
                                                                 "note")}
        return pages.upload(acting_user(), kpi, file.read(), file.filename, mapping,
                            date.today(), current_app.config["MAX_CONTENT_LENGTH"])

    return _change(kpi, run, "#values")


@bp.post("/<int:kpi_id>/values/<period>")
@guard(access.EDIT)
def correct_value(kpi: Kpi, period: str) -> Response:
    try:
        day = parse_date(period)
    except ValueError:
        raise NotFound(f"{kpi.name} has no value for {period!r}.") from None
    return _change(kpi, lambda: pages.correct(acting_user(), kpi, day, request.form),
                   "#values")


@bp.post("/<int:kpi_id>/limits")
@guard(access.EDIT)
def rebase(kpi: Kpi) -> Response:
    def run() -> None:
        services.rebase(acting_user(), kpi, request.form.get("start"),
                        request.form.get("end"), request.form.get("note"))
        summary.refresh(kpi)

    return _change(kpi, run, "#limits")


@bp.post("/<int:kpi_id>/improve")
@guard(access.IMPROVE)
def improve(kpi: Kpi) -> Response:
    try:
        project = improvement.start(acting_user(), kpi, request.form.get("title"))
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/show.html", **pages.show_context(
            kpi, acting_user(), problem=exc)), exc.status
    db.session.commit()
    return redirect(url_for("projects.show", key=project.key))
