from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ..core.access import PUBLIC, SIGNED_IN, guard
from ..core.errors import DomainError
from ..extensions import db
from . import services
from .forms import LoginForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("projects.index")


@bp.route("/login", methods=["GET", "POST"])
@guard(PUBLIC)
def login() -> str | Response:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data, form.password.data,
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lockout=timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"]))
        except DomainError as exc:
            db.session.commit()  # keep the failed attempt for the rate limit
            form.form_errors.append(exc.message)
            status = 429 if "Too many" in exc.message else 401
        else:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@guard(SIGNED_IN)
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))
