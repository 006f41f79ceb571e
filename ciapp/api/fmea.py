"""The FMEA and SIPOC endpoints of /api/v1, through the services the pages run
(``ciapp.rootcause.fmea``). A failure mode is scored 1-10 three times; the RPN and the
action priority are computed, never sent."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.versions import check_version
from ..extensions import db
from ..projects import permissions
from ..projects.access import child_loader, on_child
from ..projects.models import Project
from ..rootcause import access, fmea
from ..rootcause.fmea_models import SCORES, SIPOC_COLUMNS, FmeaRow, SipocItem
from ..rootcause.models import TEXT_MAX
from .children import (
    changes,
    delete_version,
    editors,
    listing,
    new_item,
    no_content,
    optional,
    whole,
)
from .children import item as json_item  # the SIPOC views have an ``item`` argument
from .children import text as text_spec
from .fields import FieldSpec
from .idempotency import idempotent
from .routes import bp

VIEW = access.VIEW
EDIT_TABLE = editors(access.EDIT, "FMEA and SIPOC")
VIEW_ROW = on_child("view FMEA row", child_loader(FmeaRow, what="FMEA row"), "fmea_id",
                    "row", permissions.can_view_project)
EDIT_ROW = editors(access.EDIT_FMEA, "FMEA")
VIEW_ITEM = on_child("view SIPOC entry", child_loader(SipocItem, what="SIPOC entry"),
                     "item_id", "item", permissions.can_view_project)
EDIT_ITEM = editors(access.EDIT_SIPOC, "SIPOC")

FMEA_FIELDS: dict[str, FieldSpec] = {
    "failure_mode": text_spec("failure_mode", "Failure mode", TEXT_MAX, required=True),
    **{name: text_spec(name, name.replace("_", " ").capitalize(), TEXT_MAX)
       for name in fmea.TEXTS},
    "owner": text_spec("owner", "Owner", 120),
    **{name: whole(name, fmea.LABELS[name], maximum=10, required=True) for name in SCORES},
    **{name: whole(name, fmea.LABELS[name], maximum=10, nullable=True)
       for name in fmea.NEW_SCORES},
}
FMEA_EDIT = optional(FMEA_FIELDS)
SIPOC_NEW = {"column_key": FieldSpec("column_key", "SIPOC column", ("string",), required=True,
                                     enum=tuple(SIPOC_COLUMNS)),
             "text": text_spec("text", "Entry", TEXT_MAX, required=True)}
SIPOC_EDIT = {"text": SIPOC_NEW["text"]}


def row_body(row: FmeaRow, key: str) -> dict[str, Any]:
    return {"id": row.id, **{name: getattr(row, name) for name in FMEA_FIELDS},
            "rpn": row.rpn, "new_rpn": row.new_rpn, "priority": fmea.priority(row),
            "version": row.version,
            "links": {"self": url_for("api.get_fmea_row", key=key, fmea_id=row.id)}}


@bp.get("/projects/<key>/fmea")
@guard(VIEW)
def list_fmea(project: Project) -> Response:
    return listing([row_body(r, project.key) for r in fmea.project_fmea(project.id)])


@bp.post("/projects/<key>/fmea")
@guard(EDIT_TABLE)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_fmea_row(project: Project) -> Response:
    row = fmea.add_row(acting_user(), project.id, new_item(FMEA_FIELDS))
    return json_item(row_body(row, project.key), 201,
                location=url_for(".get_fmea_row", key=project.key, fmea_id=row.id))


@bp.get("/projects/<key>/fmea/<int:fmea_id>")
@guard(VIEW_ROW)
def get_fmea_row(project: Project, row: FmeaRow) -> Response:
    return json_item(row_body(row, project.key))


@bp.patch("/projects/<key>/fmea/<int:fmea_id>")
@guard(EDIT_ROW)
def update_fmea_row(project: Project, row: FmeaRow) -> Response:
    found, version = changes(FMEA_EDIT)
    # The service checks a whole row, so the fields not sent keep their values.
    values = {name: getattr(row, name) for name in FMEA_FIELDS} | found
    fmea.update_row(acting_user(), row, values, version)
    db.session.commit()
    return json_item(row_body(row, project.key))


@bp.delete("/projects/<key>/fmea/<int:fmea_id>")
@guard(EDIT_ROW)
def delete_fmea_row(project: Project, row: FmeaRow) -> Response:
    check_version(row, delete_version(), "This failure mode")
    fmea.delete_row(acting_user(), row)
    db.session.commit()
    return no_content()


# --- SIPOC ----------------------------------------------------------------------------

def sipoc_body(entry: SipocItem, key: str) -> dict[str, Any]:
    return {"id": entry.id, "column_key": entry.column_key,
            "column_label": SIPOC_COLUMNS[entry.column_key], "text": entry.text,
            "position": entry.position, "version": entry.version,
            "links": {"self": url_for("api.get_sipoc_item", key=key, item_id=entry.id)}}


@bp.get("/projects/<key>/sipoc")
@guard(VIEW)
def list_sipoc(project: Project) -> Response:
    """Column by column, in SIPOC order (suppliers to customers), each in its order."""
    return listing([sipoc_body(entry, project.key)
                    for entries in fmea.sipoc(project.id).values() for entry in entries])


@bp.post("/projects/<key>/sipoc")
@guard(EDIT_TABLE)
@idempotent
def create_sipoc_item(project: Project) -> Response:
    data = new_item(SIPOC_NEW)
    entry = fmea.add_sipoc(acting_user(), project.id, data["column_key"], data["text"])
    return json_item(sipoc_body(entry, project.key), 201,
                location=url_for(".get_sipoc_item", key=project.key, item_id=entry.id))


@bp.get("/projects/<key>/sipoc/<int:item_id>")
@guard(VIEW_ITEM)
def get_sipoc_item(project: Project, item: SipocItem) -> Response:
    return json_item(sipoc_body(item, project.key))


@bp.patch("/projects/<key>/sipoc/<int:item_id>")
@guard(EDIT_ITEM)
def update_sipoc_item(project: Project, item: SipocItem) -> Response:
    found, version = changes(SIPOC_EDIT)
    fmea.update_sipoc(acting_user(), item, found["text"], version)
    db.session.commit()
    return json_item(sipoc_body(item, project.key))


@bp.delete("/projects/<key>/sipoc/<int:item_id>")
@guard(EDIT_ITEM)
def delete_sipoc_item(project: Project, item: SipocItem) -> Response:
    check_version(item, delete_version(), "This SIPOC entry")
    fmea.delete_sipoc(acting_user(), item)
    db.session.commit()
    return no_content()

