"""The KPI board, the KPI page, and the forms that create a KPI, add, upload and correct
its values and re-base its limits. Each change runs one service and redirects; a refusal
shows the page again with the message and nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import SIGNED_IN, acting_user, guard, roles
from ..core.errors import DomainError, NotFound
from ..core.validators import parse_date
from ..extensions import db
from ..projects.models import Project
from . import access, improvement, pages, report, reportmail, schedules, services, summary
from .models import Kpi

bp = Blueprint("kpis", __name__, url_prefix="/kpis")
ADMIN = roles("admin")


@bp.get("/")
@guard(SIGNED_IN)
def board() -> str:
    compact = request.args.get("view") == "compact"
    return render_template("kpis/board.html", **pages.board_context(
        pages.filters_from(request.args), compact, date.today()))


def _report() -> report.Report:
    """The report the query string names: ``span`` (week, month), ``site`` (an id; empty
    for every site) and ``ending`` (the day the period ends before; today by default)."""
    span = request.args.get("span", "week")
    ending = request.args.get("ending", "")
    try:
        day = parse_date(ending) if ending else date.today()
    except ValueError as exc:
        raise DomainError(f"ending: {exc}", field="ending") from None
    raw = (request.args.get("site") or "").strip()
    if raw and not (raw.isascii() and raw.isdigit()):
        raise DomainError(f"site: {raw!r} is not the id of a site.", field="site")
    return report.build(span, day, int(raw) if raw else None, date.today())


@bp.get("/report")
@guard(SIGNED_IN)
def report_page() -> str:
    return render_template("kpis/report.html", report=_report(), **pages.report_context())


@bp.get("/report/print")
@guard(SIGNED_IN)
def report_print() -> str:
    return render_template("kpis/report_print.html", report=_report())


@bp.get("/report.<any(csv, xlsx, pdf):fmt>")
@guard(SIGNED_IN)
def report_file(fmt: str) -> Response:
    return reportmail.download(_report(), fmt)


@bp.get("/report/email")
@guard(ADMIN)
def report_email() -> str:
    return render_template("kpis/report_email_admin.html",
                           **schedules.admin_context(request.args, date.today()))


@bp.post("/report/schedules")
@guard(ADMIN)
def add_schedule() -> Any:
    try:
        schedules.add(acting_user(), request.form)
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/report_email_admin.html", **schedules.admin_context(
            request.args, date.today(), form=request.form, problem=exc)), exc.status
    db.session.commit()
    flash("The schedule was added.", "success")
    return redirect(url_for(".report_email"))


@bp.post("/report/schedules/<int:schedule_id>/delete")
@guard(ADMIN)
def remove_schedule(schedule_id: int) -> Response:
    schedules.remove(acting_user(), schedule_id)
    db.session.commit()
    flash("The schedule was removed.", "success")
    return redirect(url_for(".report_email"))


@bp.post("/report/email")
@guard(ADMIN)
def report_send() -> Any:
    try:
        where = schedules.send_now(request.form, date.today())
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/report_email_admin.html", **schedules.admin_context(
            request.form, date.today(), problem=exc)), exc.status
    db.session.commit()
    flash(f"The report was sent ({where}).", "success")
    return redirect(url_for(".report_email", span=request.form.get("span", ""),
                            site=request.form.get("site", "")))


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


@bp.post("/projects/<key>/change-date")
@guard(access.PROJECT_EDIT)
def change_date(project: Project) -> Any:
    try:
        improvement.set_change_date(acting_user(), project, request.form.get("change_date"))
    except DomainError as exc:
        db.session.rollback()
        return render_template("kpis/change_date.html", project=project,
                               panel=improvement.panel(project), problem=exc,
                               value=request.form.get("change_date", "")), exc.status
    db.session.commit()
    return redirect(url_for("projects.show", key=project.key) + "#kpi")
