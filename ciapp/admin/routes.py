"""Admin pages: users and the org-unit tree. Every view needs the admin role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..auth.services import get_user
from ..core.access import acting_user, guard, roles
from ..core.errors import DomainError
from ..extensions import db
from ..orgunits import services as orgunits
from . import services
from .forms import (
    AdminForm,
    AreaForm,
    PasswordResetForm,
    RenameForm,
    SiteForm,
    UserCreateForm,
    UserEditForm,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

ADMIN = roles("admin")
Page = str | Response | tuple[str, int]


def _saved(form: AdminForm, action: Callable[[], Any]) -> bool:
    """Validate and run the service; commit on success, otherwise put its errors on the form.

    The rollback on refusal keeps a half-done change out of the next commit.
    """
    if not form.validate_on_submit():
        return False
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        form.add_domain_error(exc)
        return False
    db.session.commit()
    return True


def _status(*forms: FlaskForm) -> int:
    return 422 if request.method == "POST" and any(f.errors for f in forms) else 200


@bp.get("/")
@guard(ADMIN)
def index() -> Response:
    return redirect(url_for(".users"))


@bp.get("/users")
@guard(ADMIN)
def users() -> str:
    return render_template("admin/users.html", users=services.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@guard(ADMIN)
def new_user() -> Page:
    form = UserCreateForm()
    if _saved(form, lambda: services.create_user(acting_user(), form.values())):
        flash(f"Created {form.email.data.strip().lower()}.", "success")
        return redirect(url_for(".users"))
    return render_template("admin/user_new.html", form=form), _status(form)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@guard(ADMIN)
def edit_user(user_id: int) -> Page:
    user = get_user(user_id)
    form = UserEditForm(obj=user)
    if _saved(form, lambda: services.edit_user(acting_user(), user, form.values())):
        flash(f"Saved {user.email}.", "success")
        return redirect(url_for(".users"))
    return render_template("admin/user_edit.html", user=user, form=form,
                           password_form=PasswordResetForm(prefix="pw", formdata=None)), \
        _status(form)


@bp.post("/users/<int:user_id>/password")
@guard(ADMIN)
def reset_password(user_id: int) -> Page:
    user = get_user(user_id)
    form = PasswordResetForm(prefix="pw")
    if _saved(form, lambda: services.reset_password(acting_user(), user, form.password.data)):
        flash(f"Set a new password for {user.email}.", "success")
        return redirect(url_for(".users"))
    return render_template("admin/user_edit.html", user=user,
                           form=UserEditForm(obj=user, formdata=None), password_form=form), \
        _status(form)


def _org_units_page(site_form: SiteForm | None = None,
                    area_form: AreaForm | None = None) -> tuple[str, int]:
    site_form = site_form or SiteForm(prefix="site", formdata=None)
    area_form = area_form or AreaForm(prefix="area", formdata=None)
    return render_template("admin/org_units.html", tree=orgunits.site_tree(),
                           site_form=site_form, area_form=area_form), \
        _status(site_form, area_form)


@bp.get("/org-units")
@guard(ADMIN)
def org_units() -> Page:
    return _org_units_page()


@bp.post("/org-units/sites")
@guard(ADMIN)
def new_site() -> Page:
    form = SiteForm(prefix="site")
    if _saved(form, lambda: orgunits.create_site(acting_user(), form.name.data)):
        flash(f"Created site {form.name.data.strip()}.", "success")
        return redirect(url_for(".org_units"))
    return _org_units_page(site_form=form)


@bp.post("/org-units/areas")
@guard(ADMIN)
def new_area() -> Page:
    form = AreaForm(prefix="area")
    if _saved(form, lambda: orgunits.create_area(acting_user(), form.site_id.data,
                                                 form.name.data)):
        flash(f"Created area {form.name.data.strip()}.", "success")
        return redirect(url_for(".org_units"))
    return _org_units_page(area_form=form)


@bp.route("/org-units/<int:unit_id>/rename", methods=["GET", "POST"])
@guard(ADMIN)
def rename_org_unit(unit_id: int) -> Page:
    unit = orgunits.get_org_unit(unit_id)
    form = RenameForm(obj=unit)
    if _saved(form, lambda: orgunits.rename_org_unit(acting_user(), unit, form.name.data)):
        flash(f"Renamed to {unit.name}.", "success")
        return redirect(url_for(".org_units"))
    return render_template("admin/org_unit_rename.html", unit=unit, form=form), _status(form)
