"""Root-cause pages: the overview (chains, fishbone, verified root causes, Pareto) and the
5-Whys chains edited in place. Every change to a chain answers with the chain's fragment
(htmx) or a redirect to its page; a refusal shows the chain again with the message and
nothing saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..core.access import acting_user, guard
from ..core.errors import DomainError
from ..core.htmx import page_or_fragment, wants_fragment
from ..extensions import db
from ..projects.models import Project
from . import access, pages, services
from .models import RootCause, Why, WhyChain

bp = Blueprint("rootcause", __name__, url_prefix="/projects")


@bp.get("/<key>/rootcause")
@guard(access.VIEW)
def index(project: Project) -> str:
    return render_template("rootcause/index.html", **pages.index_context(acting_user(),
                                                                         project))


@bp.post("/<key>/whys")
@guard(access.EDIT)
def chain_create(project: Project) -> Response | tuple[str, int]:
    try:
        chain = services.create_chain(acting_user(), project.id, request.form.get("problem"))
    except DomainError as exc:
        db.session.rollback()
        return render_template("rootcause/index.html", **pages.index_context(
            acting_user(), project, problem=exc, typed=request.form.get("problem", ""))), \
            exc.status
    db.session.commit()
    return redirect(url_for(".chain", key=project.key, chain_id=chain.id))


@bp.get("/<key>/whys/<int:chain_id>")
@guard(access.VIEW_CHAIN)
def chain(project: Project, chain: WhyChain) -> Response:
    return page_or_fragment("rootcause/chain.html", "rootcause/_chain.html",
                            **pages.chain_context(acting_user(), project, chain))


def _change(project: Project, chain: WhyChain, change: Callable[[], Any]) -> Response:
    """Run one service on the chain, commit, answer with the chain; a refusal answers with
    the chain as it was and the message."""
    try:
        change()
    except DomainError as exc:
        db.session.rollback()
        return page_or_fragment("rootcause/chain.html", "rootcause/_chain.html", exc.status,
                                **pages.chain_context(acting_user(), project, chain,
                                                      problem=exc, typed=request.form))
    db.session.commit()
    if wants_fragment():
        return page_or_fragment("rootcause/chain.html", "rootcause/_chain.html",
                                **pages.chain_context(acting_user(), project, chain))
    return redirect(url_for(".chain", key=project.key, chain_id=chain.id))


@bp.post("/<key>/whys/<int:chain_id>/problem")
@guard(access.EDIT_CHAIN)
def chain_problem(project: Project, chain: WhyChain) -> Response:
    return _change(project, chain, lambda: services.update_chain(
        acting_user(), chain, request.form.get("problem"),
        pages.version_sent()))


@bp.post("/<key>/whys/<int:chain_id>/delete")
@guard(access.EDIT_CHAIN)
def chain_delete(project: Project, chain: WhyChain) -> Response:
    services.delete_chain(acting_user(), chain)
    db.session.commit()
    return redirect(url_for(".index", key=project.key))


@bp.post("/<key>/whys/<int:chain_id>/whys")
@guard(access.EDIT_CHAIN)
def why_add(project: Project, chain: WhyChain) -> Response:
    return _change(project, chain, lambda: services.add_why(
        acting_user(), chain, request.form.get("text"),
        pages.whole_or_none(request.form.get("parent_id"), "parent_id")))


@bp.post("/<key>/why/<int:why_id>")
@guard(access.EDIT_WHY)
def why_save(project: Project, why: Why) -> Response:
    return _change(project, why.chain, lambda: services.update_why(
        acting_user(), why, request.form.get("text"),
        pages.version_sent()))


@bp.post("/<key>/why/<int:why_id>/move")
@guard(access.EDIT_WHY)
def why_move(project: Project, why: Why) -> Response:
    step = -1 if request.form.get("direction") == "up" else 1
    return _change(project, why.chain, lambda: services.move_why(why, step))


@bp.post("/<key>/why/<int:why_id>/delete")
@guard(access.EDIT_WHY)
def why_delete(project: Project, why: Why) -> Response:
    chain = why.chain
    return _change(project, chain, lambda: services.delete_why(acting_user(), why))


@bp.post("/<key>/why/<int:why_id>/root")
@guard(access.EDIT_WHY)
def why_root(project: Project, why: Why) -> Response:
    is_root = request.form.get("root", "1") == "1"
    return _change(project, why.chain, lambda: services.mark_root(acting_user(), why,
                                                                  is_root))


@bp.post("/<key>/root-causes/<int:root_id>/verify")
@guard(access.EDIT_ROOT)
def verify(project: Project, root: RootCause) -> Response:
    def change() -> RootCause:
        return services.verify(acting_user(), root, request.form.get("verified") == "1",
                               request.form.get("evidence"),
                               pages.whole_or_none(request.form.get("record_id"), "record_id"),
                               pages.version_sent())

    if root.why is not None:
        return _change(project, root.why.chain, change)
    change()  # a fishbone cause's root cause: a refusal is the app's error page
    db.session.commit()
    return redirect(url_for(".fishbone", key=project.key))
