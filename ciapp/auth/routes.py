from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ..core.access import PUBLIC, SIGNED_IN, Policy, acting_user, guard
from ..core.errors import DomainError
from ..core.time import utcnow
from ..extensions import db
from . import services, sessions, throttle, tokens
from .forms import ChangePasswordForm, LoginForm, TokenForm
from .models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")
Page = str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]


def _own_token(user: User, kwargs: dict[str, Any]) -> dict[str, Any]:
    token = tokens.get_own_token(user, kwargs.pop("token_id"))
    return {**kwargs, "token": token}


OWN_TOKEN = Policy("own API token", _own_token)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _count_password_attempt(email: str) -> str:
    """Count a password check for ``email`` from this address (or refuse it), and commit,
    so that parallel requests see the count before the slow hash runs. Signing in and
    changing one's password share the count: both let someone guess the password."""
    address = throttle.client_address(
        request.remote_addr, ",".join(request.headers.getlist("X-Forwarded-For")),
        int(current_app.config["TRUSTED_PROXY_HOPS"]))
    throttle.reserve_attempt(address, email,
                             throttle.ThrottlePolicy.from_config(current_app.config))
    db.session.commit()
    return address


def _sign_in(email: str, password: str) -> User:
    address = _count_password_attempt(email)
    user = services.authenticate(email, password)
    throttle.clear(address, email)
    return user


@bp.route("/login", methods=["GET", "POST"])
@guard(PUBLIC)
def login() -> Page:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), \
            422 if request.method == "POST" else 200
    try:
        user = _sign_in(form.email.data, form.password.data)
    except DomainError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else {}
        return render_template("auth/login.html", form=form), exc.status, headers
    token = sessions.start(user, current_app.permanent_session_lifetime)
    db.session.commit()
    session.clear()  # nothing from before the sign-in carries over into the new session
    login_user(user)
    session[sessions.SESSION_KEY] = token
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@guard(SIGNED_IN)
def logout() -> Response:
    sessions.end(session.get(sessions.SESSION_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _account_page(password_form: ChangePasswordForm | None = None,
                  token_form: TokenForm | None = None, new_token: str | None = None,
                  status: int = 200) -> tuple[str, int]:
    user = acting_user()
    return render_template(
        "auth/account.html", user=user, tokens=tokens.list_tokens(user),
        password_form=password_form or ChangePasswordForm(prefix="pw", formdata=None),
        token_form=token_form or TokenForm(prefix="token", formdata=None),
        new_token=new_token, now=utcnow()), status


@bp.get("/account")
@guard(SIGNED_IN)
def account() -> Page:
    return _account_page()


@bp.post("/account/password")
@guard(SIGNED_IN)
def change_password() -> Page:
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        user = acting_user()
        try:
            address = _count_password_attempt(user.email)
            services.change_own_password(user, form.current_password.data,
                                         form.new_password.data,
                                         keep_session=session.get(sessions.SESSION_KEY))
            throttle.clear(address, user.email)
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_error(exc)
            return _account_page(password_form=form, status=exc.status)
        db.session.commit()
        flash("Password changed. Every other browser signed in as you was signed out.",
              "success")
        return redirect(url_for(".account"))
    return _account_page(password_form=form, status=422)


@bp.post("/account/tokens")
@guard(SIGNED_IN)
def create_token() -> Page:
    form = TokenForm(prefix="token")
    if form.validate_on_submit():
        try:
            value = tokens.issue_token(acting_user(), name=form.name.data,
                                       expires_days=form.expires_days.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_error(exc)
        else:
            db.session.commit()
            # Shown on this answer only, never put in a flash message: those travel in the
            # session cookie, which is signed but not encrypted.
            return _account_page(new_token=value)
    return _account_page(token_form=form, status=422)


@bp.post("/account/tokens/<int:token_id>/revoke")
@guard(OWN_TOKEN)
def revoke_token(token: tokens.ApiToken) -> Response:
    tokens.revoke_token(acting_user(), token)
    db.session.commit()
    flash(f"Revoked the API token “{token.name}”; programs using it are refused from now on.",
          "success")
    return redirect(url_for(".account"))
