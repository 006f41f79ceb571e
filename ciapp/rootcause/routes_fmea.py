"""The FMEA table (sorted by RPN, action priority highlighted) and the SIPOC. A refusal
shows the page again with the message and what was typed; nothing is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..extensions import db
from ..projects.models import Project
from . import access, fmea, pages
from .fmea_models import SIPOC_COLUMNS, FmeaRow, SipocItem
from .routes import bp


def _fmea_page(project: Project, status: int = 200, **extra: Any) -> tuple[str, int]:
    rows = fmea.project_fmea(project.id)
    return render_template("rootcause/fmea.html", project=project, rows=rows,
                           priority=fmea.priority, labels=fmea.LABELS,
                           can_edit=pages.can_edit(acting_user(), project), **extra), status


def _sipoc_page(project: Project, status: int = 200, **extra: Any) -> tuple[str, int]:
    return render_template("rootcause/sipoc.html", project=project,
                           sipoc=fmea.sipoc(project.id), columns=SIPOC_COLUMNS,
                           can_edit=pages.can_edit(acting_user(), project), **extra), status


def _change(project: Project, change: Callable[[], Any], page: Callable[..., Any],
            endpoint: str) -> Response | tuple[str, int]:
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return page(project, exc.status, problem=exc, typed=request.form)
    db.session.commit()
    return redirect(url_for(endpoint, key=project.key))


@bp.get("/<key>/fmea")
@guard(access.VIEW)
def fmea_table(project: Project) -> tuple[str, int]:
    return _fmea_page(project)


@bp.post("/<key>/fmea")
@guard(access.EDIT)
def fmea_add(project: Project) -> Response | tuple[str, int]:
    return _change(project, lambda: fmea.add_row(acting_user(), project.id, request.form),
                   _fmea_page, ".fmea_table")


@bp.post("/<key>/fmea/<int:fmea_id>")
@guard(access.EDIT_FMEA)
def fmea_save(project: Project, row: FmeaRow) -> Response | tuple[str, int]:
    return _change(project, lambda: fmea.update_row(acting_user(), row, request.form,
                                                    pages.version_sent()),
                   _fmea_page, ".fmea_table")


@bp.post("/<key>/fmea/<int:fmea_id>/delete")
@guard(access.EDIT_FMEA)
def fmea_delete(project: Project, row: FmeaRow) -> Response | tuple[str, int]:
    return _change(project, lambda: fmea.delete_row(acting_user(), row), _fmea_page,
                   ".fmea_table")


@bp.get("/<key>/sipoc")
@guard(access.VIEW)
def sipoc(project: Project) -> tuple[str, int]:
    return _sipoc_page(project)


@bp.post("/<key>/sipoc")
@guard(access.EDIT)
def sipoc_add(project: Project) -> Response | tuple[str, int]:
    return _change(project, lambda: fmea.add_sipoc(
        acting_user(), project.id, request.form.get("column_key"), request.form.get("text")),
        _sipoc_page, ".sipoc")


@bp.post("/<key>/sipoc/<int:item_id>/delete")
@guard(access.EDIT_SIPOC)
def sipoc_delete(project: Project, item: SipocItem) -> Response | tuple[str, int]:
    return _change(project, lambda: fmea.delete_sipoc(acting_user(), item), _sipoc_page,
                   ".sipoc")
