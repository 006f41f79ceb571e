"""The root-cause endpoints of /api/v1: 5-Whys chains with their whys, and the fishbone's
causes. Each change runs the service the pages run (``ciapp.rootcause``); the routes join
the API blueprint, so its token check and JSON errors apply to them.

A chain is read with its whys nested, in reading order (depth first), each why naming the
why it answers (``parent_id``; two answers to one why are a branch), its place among those
answers, and its root cause with the verification. A why is changed through its own address,
under its chain's.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.wrappers import Response

from ..core.access import Policy, acting_user, guard
from ..core.errors import NotFound
from ..core.versions import check_version
from ..extensions import db
from ..projects import permissions
from ..projects.access import ProjectRule, child_loader, on_child
from ..projects.models import Project
from ..rootcause import access, fishbone
from ..rootcause import services as rootcause
from ..rootcause.models import CAUSE_STATUSES, TEXT_MAX, Cause, RootCause, Why, WhyChain
from .children import (
    changes,
    checked,
    delete_version,
    editors,
    item,
    listing,
    new_item,
    no_content,
    text,
    whole,
)
from .fields import FieldSpec
from .idempotency import idempotent
from .inputs import invalid
from .routes import bp

WHAT = "root-cause analysis"
EDIT = editors(access.EDIT, WHAT)
VIEW = access.VIEW
VIEW_CHAIN = access.VIEW_CHAIN
EDIT_CHAIN = editors(access.EDIT_CHAIN, WHAT)
VIEW_CAUSE = on_child("view cause", child_loader(Cause, what="Cause"), "cause_id", "cause",
                      permissions.can_view_project)
EDIT_CAUSE = editors(access.EDIT_CAUSE, WHAT)


def _why_in_chain(name: str, rule: ProjectRule) -> Policy:
    """A why of the project, which must also be of the chain its address names."""
    base = on_child(name, child_loader(Why, what="Why"), "why_id", "why", rule)
    assert base.check is not None

    def check(user: Any, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        chain_id = kwargs.pop("chain_id")
        allowed = base.check(user, kwargs)  # type: ignore[misc]
        if allowed is not None and allowed["why"].chain_id != chain_id:
            raise NotFound(f"Why {allowed['why'].id} was not found in 5-Whys chain "
                           f"{chain_id}.")
        return allowed

    return Policy(base.name, check)


VIEW_WHY = _why_in_chain("view why", permissions.can_view_project)
EDIT_WHY = editors(_why_in_chain("edit why", permissions.can_edit_project), WHAT)

WHY_TEXT = text("text", "Why", TEXT_MAX, required=True)
CHAIN_NEW = {"problem": text("problem", "Problem statement", TEXT_MAX, required=True),
             "whys": FieldSpec("whys", "Whys, each answering the one before", ("array",))}
CHAIN_EDIT = {"problem": CHAIN_NEW["problem"]}
WHY_NEW = {"text": WHY_TEXT,
           "parent_id": whole("parent_id", "The why this answers", nullable=True)}
VERIFICATION = {
    "verified": FieldSpec("verified", "Verified", ("boolean",)),
    "evidence": text("evidence", "Evidence", TEXT_MAX),
    "record_id": whole("record_id", "Saved analysis showing it", nullable=True),
}
WHY_EDIT = {"text": WHY_TEXT, "parent_id": WHY_NEW["parent_id"],
            "position": whole("position", "Place among the answers to the same why",
                              minimum=0, maximum=1000),
            "root_cause": FieldSpec("root_cause", "A root cause", ("boolean",)),
            **VERIFICATION}
CAUSE_TEXT = text("text", "Cause", TEXT_MAX, required=True)
STATUS = FieldSpec("status", "Status", ("string",), enum=tuple(CAUSE_STATUSES))
VOTES = whole("votes", "Votes", minimum=0, maximum=fishbone.MAX_VOTES)
CAUSE_NEW = {
    "category_id": whole("category_id", "Category (by id)"),
    "category": text("category", "Category (by name)", 80),
    "text": CAUSE_TEXT,
    "parent_id": whole("parent_id", "The cause this is a sub-cause of", nullable=True),
    "votes": VOTES, "status": STATUS,
    "evidence": VERIFICATION["evidence"], "record_id": VERIFICATION["record_id"],
}
CAUSE_EDIT = {"text": CAUSE_TEXT, "votes": VOTES, "status": STATUS,
              "evidence": VERIFICATION["evidence"], "record_id": VERIFICATION["record_id"]}


def root_cause(root: RootCause | None) -> dict[str, Any] | None:
    if root is None:
        return None
    return {"id": root.id, "verified": root.verified, "evidence": root.evidence,
            "record_id": root.record_id,
            "verified_at": root.verified_at.isoformat() if root.verified_at else None}


def why_body(node: rootcause.Node, key: str) -> dict[str, Any]:
    w = node.why
    return {"id": w.id, "chain_id": w.chain_id, "parent_id": w.parent_id,
            "position": w.position, "depth": node.depth, "branch": node.branch,
            "text": w.text, "root_cause": root_cause(w.root_cause), "version": w.version,
            "links": {"self": url_for("api.get_why", key=key, chain_id=w.chain_id,
                                      why_id=w.id)}}


def _node(w: Why) -> rootcause.Node:
    return next(n for n in rootcause.tree(w.chain) if n.why is w)


def chain_body(c: WhyChain, key: str) -> dict[str, Any]:
    return {"id": c.id, "project": key, "problem": c.problem,
            "created_at": c.created_at.isoformat(), "version": c.version,
            "whys": [why_body(node, key) for node in rootcause.tree(c)],
            "links": {"self": url_for("api.get_chain", key=key, chain_id=c.id),
                      "whys": url_for("api.add_why", key=key, chain_id=c.id),
                      "page": url_for("rootcause.chain", key=key, chain_id=c.id)}}


@bp.get("/projects/<key>/whys")
@guard(VIEW)
def list_chains(project: Project) -> Response:
    return listing([chain_body(c, project.key) for c in rootcause.project_chains(project.id)])


def _linear_whys(raw: list[Any] | None) -> list[str]:
    """The whys a new chain starts with, each answering the one before; every one is
    checked before anything is saved."""
    for i, answer in enumerate(raw or []):
        name = f"whys[{i}]"
        checked({name: answer}, {name: text(name, "Why", TEXT_MAX, required=True)})
    return raw or []


@bp.post("/projects/<key>/whys")
@guard(EDIT)
@idempotent  # commits, with the Idempotency-Key if one was sent
def create_chain(project: Project) -> Response:
    data = new_item(CHAIN_NEW)
    answers = _linear_whys(data.get("whys"))
    created = rootcause.create_chain(acting_user(), project.id, data.get("problem"))
    parent = None
    for answer in answers:
        parent = rootcause.add_why(acting_user(), created, answer, parent and parent.id)
    return item(chain_body(created, project.key), 201,
                location=url_for(".get_chain", key=project.key, chain_id=created.id))


@bp.get("/projects/<key>/whys/<int:chain_id>")
@guard(VIEW_CHAIN)
def get_chain(project: Project, chain: WhyChain) -> Response:
    return item(chain_body(chain, project.key))


@bp.patch("/projects/<key>/whys/<int:chain_id>")
@guard(EDIT_CHAIN)
def update_chain(project: Project, chain: WhyChain) -> Response:
    found, version = changes(CHAIN_EDIT)
    rootcause.update_chain(acting_user(), chain, found["problem"], version)
    return _commit(item(chain_body(chain, project.key)))


@bp.delete("/projects/<key>/whys/<int:chain_id>")
@guard(EDIT_CHAIN)
def delete_chain(project: Project, chain: WhyChain) -> Response:
    check_version(chain, delete_version(), "The 5-Whys chain")
    rootcause.delete_chain(acting_user(), chain)
    return _commit(no_content())


@bp.get("/projects/<key>/whys/<int:chain_id>/whys")
@guard(VIEW_CHAIN)
def list_whys(project: Project, chain: WhyChain) -> Response:
    return listing([why_body(node, project.key) for node in rootcause.tree(chain)])


@bp.post("/projects/<key>/whys/<int:chain_id>/whys")
@guard(EDIT_CHAIN)
@idempotent
def add_why(project: Project, chain: WhyChain) -> Response:
    data = new_item(WHY_NEW)
    added = rootcause.add_why(acting_user(), chain, data.get("text"), data.get("parent_id"))
    return item(why_body(_node(added), project.key), 201, location=url_for(
        ".get_why", key=project.key, chain_id=chain.id, why_id=added.id))


@bp.get("/projects/<key>/whys/<int:chain_id>/whys/<int:why_id>")
@guard(VIEW_WHY)
def get_why(project: Project, why: Why) -> Response:
    return item(why_body(_node(why), project.key))


@bp.patch("/projects/<key>/whys/<int:chain_id>/whys/<int:why_id>")
@guard(EDIT_WHY)
def update_why(project: Project, why: Why) -> Response:
    found, version = changes(WHY_EDIT)
    rootcause.edit_why(acting_user(), why, found, version)
    return _commit(item(why_body(_node(why), project.key)))


@bp.delete("/projects/<key>/whys/<int:chain_id>/whys/<int:why_id>")
@guard(EDIT_WHY)
def delete_why(project: Project, why: Why) -> Response:
    check_version(why, delete_version(), "This why")
    rootcause.delete_why(acting_user(), why)
    return _commit(no_content())


def _commit(response: Response) -> Response:
    db.session.commit()
    return response


# --- causes ---------------------------------------------------------------------------

def cause_body(c: Cause, key: str) -> dict[str, Any]:
    root = c.root_cause
    return {"id": c.id, "category": {"id": c.category.id, "name": c.category.name},
            "parent_id": c.parent_id, "position": c.position, "text": c.text,
            "votes": c.votes, "status": c.status, "evidence": c.evidence,
            "record_id": root.record_id if root else None,
            "root_cause_id": root.id if root else None, "version": c.version,
            "links": {"self": url_for("api.get_cause", key=key, cause_id=c.id)}}


@bp.get("/projects/<key>/causes")
@guard(VIEW)
def list_causes(project: Project) -> Response:
    bone = fishbone.find(project.id)
    if bone is None:
        return listing([], effect=None, categories=[])
    return listing([cause_body(c, project.key) for category, tops in fishbone.layout(bone)
                    for top, subs in tops for c in (top, *subs)],
                   effect=bone.effect,
                   categories=[{"id": c.id, "name": c.name} for c in bone.categories])


@bp.post("/projects/<key>/causes")
@guard(EDIT)
@idempotent
def create_cause(project: Project) -> Response:
    data = new_item(CAUSE_NEW)
    bone = fishbone.get_or_create(project.id)
    category = _category(bone, data)
    added = fishbone.add_cause(acting_user(), bone, category, data.get("text"),
                               data.get("parent_id"))
    extra = {k: data[k] for k in fishbone.CAUSE_CHANGES if k in data and k != "text"}
    if extra:
        fishbone.edit_cause(acting_user(), added, extra, None)
    return item(cause_body(added, project.key), 201,
                location=url_for(".get_cause", key=project.key, cause_id=added.id))


def _category(bone: Any, data: dict[str, Any]) -> int:
    """The category id, given by id or by name: exactly one of the two."""
    if ("category_id" in data) == ("category" in data):
        raise invalid({"category_id": ["Name the cause's category: send category_id or "
                                       "category (its name), one of the two."]})
    if "category" in data:
        return fishbone.category_named(bone, data["category"]).id
    return data["category_id"]


@bp.get("/projects/<key>/causes/<int:cause_id>")
@guard(VIEW_CAUSE)
def get_cause(project: Project, cause: Cause) -> Response:
    return item(cause_body(cause, project.key))


@bp.patch("/projects/<key>/causes/<int:cause_id>")
@guard(EDIT_CAUSE)
def update_cause(project: Project, cause: Cause) -> Response:
    found, version = changes(CAUSE_EDIT)
    fishbone.edit_cause(acting_user(), cause, found, version)
    return _commit(item(cause_body(cause, project.key)))


@bp.delete("/projects/<key>/causes/<int:cause_id>")
@guard(EDIT_CAUSE)
def delete_cause(project: Project, cause: Cause) -> Response:
    check_version(cause, delete_version(), "This cause")
    fishbone.delete_cause(acting_user(), cause)
    return _commit(no_content())

