from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..audit.services import project_history
from ..core import inline
from ..core.access import SIGNED_IN, acting_user, guard, where
from ..core.errors import DomainError
from ..core.forms import show_errors
from ..core.htmx import in_place, page_or_fragment, wants_fragment
from ..core.validators import version_from
from ..core.versions import VersionConflict, require_version
from ..extensions import db
from ..gates.panel import panel_context
from . import access, charter, permissions, rendered, services
from .forms import (
    INLINE_FIELDS,
    CharterForm,
    SponsorForm,
    StatusForm,
    TeamMemberForm,
    charter_form,
    plain_number,
)
from .models import Project, TeamMember
from .phases import STATUS_LABELS

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.app_template_filter("plain")
def plain(value: Any) -> Any:
    """Stored values as a person typed them: ``90`` for 90.0, nothing for None."""
    if value is None:
        return ""
    return plain_number(value) if isinstance(value, float) else value

CREATE = where("create projects", permissions.can_create_project)


@bp.get("/")
@guard(SIGNED_IN)
def index() -> Response:
    # Validated, and possibly shared with other requests: only read it.
    form = rendered.filter_form(request.args, drawn=not wants_fragment())
    page = form.page.data if not form.errors and form.page.data else 1
    filters = form.filters() if not form.errors else services.ProjectFilters()
    pagination = services.list_projects(filters, page=page,
                                        per_page=current_app.config["PROJECTS_PER_PAGE"])
    # A bad filter shows the whole list with the error marked, and says so in the status.
    return page_or_fragment("projects/index.html", "projects/_list.html",
                            status=422 if form.errors else 200, form=form,
                            pagination=pagination)


@bp.route("/new", methods=["GET", "POST"])
@guard(CREATE)
def new() -> str | Response | tuple[str, int]:
    form = CharterForm()
    if form.validate_on_submit():
        project = services.create_project(acting_user(), form.values())
        db.session.commit()
        flash(f"Created {project.key}.", "success")
        return redirect(url_for(".show", key=project.key))
    status = 422 if request.method == "POST" else 200
    return render_template("projects/new.html", form=form), status


def _page(project: Project, **forms: Any) -> dict[str, Any]:
    """What the project page shows; a refused team or status form comes back in it."""
    user = acting_user()
    people = services.person_choices()  # once for the three forms that offer everyone
    return {"project": project, **panel_context(user, project),
            "history": project_history(project.id), "fields": INLINE_FIELDS,
            "form": charter_form(project, people=people),
            "team_form": TeamMemberForm(people=people).offer(project),
            "status_form": StatusForm().offer(project),
            "sponsor_form": SponsorForm(sponsor_id=project.sponsor_id, version=project.version,
                                        people=people),
            "can_edit": permissions.can_edit_project(user, project),
            "can_set_sponsor": permissions.can_set_sponsor(user),
            "can_status": permissions.can_change_status(user, project), **forms}


def _refused(project: Project, card: str, form: FlaskForm,
             exc: DomainError | None = None, *, name: str = "") -> Response:
    """The team or status card again, with the form as typed and its errors in it."""
    if exc is not None:
        if exc.status not in (409, 422):
            raise exc
        db.session.rollback()
        show_errors(form, exc)
    if isinstance(form, StatusForm):
        form.offer(project)
    return in_place("projects/show.html", f"projects/_{card}.html", f"#{card}",
                    status=exc.status if exc is not None else 422,
                    **_page(project, **{name or f"{card}_form": form}))


@bp.get("/<key>")
@guard(access.VIEW)
def show(project: Project) -> str:
    return render_template("projects/show.html", **_page(project))


@bp.route("/<key>/edit", methods=["GET", "POST"])
@guard(access.EDIT)
def edit(project: Project) -> str | Response | tuple[str, int]:
    form = charter_form(project) if request.method == "GET" else CharterForm()
    if form.validate_on_submit():
        try:
            services.update_project(acting_user(), project, form.values(), expected_version=(
                require_version(_version(form.version.data))))
        except VersionConflict as exc:
            return _edit_conflict(project, form, exc)
        db.session.commit()
        flash("Charter saved.", "success")
        return redirect(url_for(".show", key=project.key))
    status = 422 if request.method == "POST" else 200
    return render_template("projects/edit.html", project=project, form=form), status


def _edit_conflict(project: Project, form: CharterForm,
                   exc: VersionConflict) -> tuple[str, int]:
    """The form again as typed, the fields saved meanwhile listed with both values, and the
    current version, so Save overwrites on purpose."""
    db.session.rollback()
    saved = charter_form(project)
    differ = [name for name in services.CHARTER_FIELDS if form[name].data != saved[name].data]
    form.version.data = str(project.version)
    return render_template("projects/edit.html", project=project, form=form,
                           conflict=inline.ConflictShown(exc.message, saved),
                           differ=differ), 409


def _version(raw: str | None) -> int | None:
    return version_from(raw)


def _charter(project: Project) -> inline.Inline:
    return charter.editor(project, permissions.can_edit_project(acting_user(), project))


@bp.get("/<key>/charter/<field>")
@guard(access.VIEW)
def charter_field(project: Project, field: str) -> Response:
    return inline.show(_charter(project), charter_form(project), field)


@bp.get("/<key>/charter/<field>/edit")
@guard(access.EDIT)
def charter_field_edit(project: Project, field: str) -> Response:
    return inline.edit(_charter(project), charter_form(project), field)


@bp.post("/<key>/charter/<field>")
@guard(access.EDIT)
def charter_field_save(project: Project, field: str) -> Response:
    editor, user = _charter(project), acting_user()
    field = editor.check(field)
    form = charter_form(project, {field: request.form.get(field, ""),
                                  "csrf_token": request.form.get("csrf_token", "")})
    return inline.save(
        editor, form, field, _version(request.form.get("version")),
        store=lambda version: services.update_project(user, project, form.values((field,)),
                                                      expected_version=version),
        reload=lambda: (_charter(project), charter_form(project)),
        after=lambda: inline.Saved(("gates/_panel.html", "projects/_history.html"), {
            "project": project, "history": project_history(project.id),
            **panel_context(user, project)}))


@bp.post("/<key>/team")
@guard(access.EDIT)
def add_member(project: Project) -> Response:
    form = TeamMemberForm()
    if not form.validate():
        return _refused(project, "team", form)
    try:
        services.add_member(acting_user(), project, form.user_id.data, form.role.data)
    except DomainError as exc:
        return _refused(project, "team", form, exc)
    db.session.commit()
    return redirect(url_for(".show", key=project.key, _anchor="team"))


@bp.post("/<key>/sponsor")
@guard(access.SET_SPONSOR)
def set_sponsor(project: Project) -> Response:
    form = SponsorForm()
    if not form.validate():
        return _refused(project, "team", form, name="sponsor_form")
    try:
        services.update_project(acting_user(), project, {"sponsor_id": form.sponsor_id.data},
                                expected_version=_version(form.version.data))
    except DomainError as exc:
        return _refused(project, "team", form, exc, name="sponsor_form")
    db.session.commit()
    return redirect(url_for(".show", key=project.key, _anchor="team"))


@bp.post("/<key>/team/<int:member_id>/remove")
@guard(access.EDIT_MEMBER)
def remove_member(project: Project, member: TeamMember) -> Response:
    services.remove_member(acting_user(), project, member)
    db.session.commit()
    return redirect(url_for(".show", key=project.key, _anchor="team"))


@bp.post("/<key>/status")
@guard(access.STATUS)
def change_status(project: Project) -> Response:
    form = StatusForm()
    if not form.validate():
        return _refused(project, "status", form)
    try:
        services.change_status(acting_user(), project, form.action.data,
                               form.reason.data or "")
    except DomainError as exc:
        return _refused(project, "status", form, exc)
    db.session.commit()
    flash(f"{project.key} is now {STATUS_LABELS[project.status].lower()}.", "success")
    return redirect(url_for(".show", key=project.key))
