"""5-Whys chains and root causes: the rules. Services flush, never commit.

Bad input is refused with a DomainError naming the field before anything is written, so a
refused request leaves nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError
from ..core.records import child_or_404
from ..core.time import utcnow
from ..core.versions import check_version
from ..datasets.models import AnalysisRecord
from ..extensions import db
from .models import TEXT_MAX, Cause, RootCause, Why, WhyChain


def clean_text(value: Any, what: str, field: str = "text", limit: int = TEXT_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise DomainError(f"The {what} must be text.", field=field)
    if not text:
        raise DomainError(f"Write the {what}: it cannot be empty.", field=field)
    if len(text) > limit:
        raise DomainError(f"Keep the {what} to {limit} characters.", field=field)
    return text


# --- chains ---------------------------------------------------------------------------

def project_chains(project_id: int) -> list[WhyChain]:
    return list(db.session.scalars(select(WhyChain).where(
        WhyChain.project_id == project_id).order_by(WhyChain.id)))


def create_chain(actor: User | None, project_id: int, problem: Any) -> WhyChain:
    chain = WhyChain(project_id=project_id, problem=clean_text(problem, "problem statement",
                                                               "problem"))
    db.session.add(chain)
    db.session.flush()
    audit.record(actor, "create", "why_chain", chain.id, project_id=project_id,
                 summary=f"Started a 5-Whys chain: {chain.problem[:80]}")
    return chain


def update_chain(actor: User | None, chain: WhyChain, problem: Any,
                 expected: int | None) -> WhyChain:
    return edit_text(actor, chain, problem, expected, "problem statement", attr="problem",
                     entity="why_chain", label="The problem statement",
                     summary="Changed a 5-Whys problem statement")


def delete_chain(actor: User | None, chain: WhyChain) -> None:
    audit.record(actor, "delete", "why_chain", chain.id, project_id=chain.project_id,
                 summary=f"Removed the 5-Whys chain: {chain.problem[:80]}")
    db.session.delete(chain)
    db.session.flush()


# --- whys -----------------------------------------------------------------------------

def _parent(chain: WhyChain, parent_id: Any) -> Why | None:
    if parent_id in (None, "", "None"):
        return None
    parent = db.session.get(Why, parent_id) if isinstance(parent_id, int) else None
    if parent is None or parent.chain_id != chain.id:
        raise DomainError(f"The why this answers ({parent_id}) is not in this chain.",
                          field="parent_id")
    return parent


def add_why(actor: User | None, chain: WhyChain, text: Any, parent_id: Any = None) -> Why:
    """A new why at the end of its parent's answers; a second answer to the same why is a
    branch."""
    parent = _parent(chain, parent_id)
    text = clean_text(text, "why")
    siblings = db.session.scalar(select(func.max(Why.position)).where(
        Why.chain_id == chain.id,
        Why.parent_id.is_(None) if parent is None else Why.parent_id == parent.id))
    why = Why(project_id=chain.project_id, chain=chain, parent_id=parent and parent.id,
              text=text, position=(siblings if siblings is not None else -1) + 1)
    db.session.add(why)
    db.session.flush()
    audit.record(actor, "create", "why", why.id, project_id=chain.project_id,
                 summary=f"Added a why: {text[:80]}")
    return why


def edit_text(actor: User | None, item: Any, value: Any, expected: int | None, what: str,
              *, attr: str = "text", entity: str | None = None, label: str | None = None,
              summary: str | None = None) -> Any:
    """Change one text of a root-cause record (a why's or a cause's text, a chain's problem,
    the fishbone's effect): version-checked, cleaned, audited when it changes. ``what``
    names it in messages, ``entity`` is its kind in the audit trail (``what`` by default),
    ``label`` and ``summary`` the conflict message's subject and the audit line."""
    check_version(item, expected, label or f"This {what}")
    text = clean_text(value, what, attr)
    old = getattr(item, attr)
    if text != old:
        setattr(item, attr, text)
        db.session.flush()
        audit.record(actor, "update", entity or what, item.id, project_id=item.project_id,
                     summary=summary or f"Changed a {what}", changes={attr: [old, text]})
    return item


def update_why(actor: User | None, why: Why, text: Any, expected: int | None) -> Why:
    return edit_text(actor, why, text, expected, "why")


def move_why(why: Why, step: int) -> Why:
    """Swap a why with its neighbour among the answers to the same why (-1 up, +1 down)."""
    siblings = [w for w in why.chain.whys if w.parent_id == why.parent_id]
    siblings.sort(key=lambda w: (w.position, w.id))
    i = siblings.index(why)
    j = i + (1 if step > 0 else -1)
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        db.session.flush()
    return why


def place_why(why: Why, position: Any) -> Why:
    """Put a why at ``position`` (from 0) among the answers to the same why."""
    siblings = sorted((w for w in why.chain.whys if w.parent_id == why.parent_id),
                      key=lambda w: (w.position, w.id))
    if not isinstance(position, int) or isinstance(position, bool) \
            or not 0 <= position < len(siblings):
        raise DomainError(f"The position must be a whole number from 0 to "
                          f"{len(siblings) - 1}: the place among the answers to the same "
                          "why.", field="position")
    siblings.remove(why)
    siblings.insert(position, why)
    for place, sibling in enumerate(siblings):
        if sibling.position != place:
            sibling.position = place
    db.session.flush()
    return why


def reparent_why(why: Why, parent_id: Any) -> Why:
    """Make a why (with the whys that answer it) answer another why of its chain, or the
    problem statement (None): it goes last among its new siblings."""
    parent = _parent(why.chain, parent_id)
    if parent is why or parent in children_of(why):
        raise DomainError("A why cannot answer itself or one of the whys that answer it.",
                          field="parent_id")
    new_parent = parent.id if parent is not None else None
    if new_parent == why.parent_id:
        return why
    old_siblings = sorted((w for w in why.chain.whys
                           if w.parent_id == why.parent_id and w is not why),
                          key=lambda w: (w.position, w.id))
    for place, sibling in enumerate(old_siblings):
        sibling.position = place
    why.position = sum(1 for w in why.chain.whys if w.parent_id == new_parent)
    why.parent_id = new_parent
    db.session.flush()
    return why


WHY_CHANGES = ("text", "parent_id", "position", "root_cause", "verified", "evidence",
               "record_id")


def edit_why(actor: User | None, why: Why, changes: dict[str, Any],
             expected: int | None) -> Why:
    """Change any of :data:`WHY_CHANGES` of a why in one step, checked against the why's
    version. That version covers the why's root cause too (flag and verification): a change
    there bumps it, so one version is all a client needs to send back."""
    check_version(why, expected, "This why")
    if "text" in changes:
        edit_text(actor, why, changes["text"], None, "why")
    if "parent_id" in changes:
        reparent_why(why, changes["parent_id"])
    if "position" in changes:
        place_why(why, changes["position"])
    before = _root_state(why)
    if "root_cause" in changes:
        mark_root(actor, why, bool(changes["root_cause"]))
    if any(name in changes for name in ("verified", "evidence", "record_id")):
        root = why.root_cause
        if root is None:
            raise DomainError("This why is not a root cause: mark it one (root_cause: true) "
                              "before verifying it.", field="verified")
        verify(actor, root, bool(changes.get("verified", root.verified)),
               changes.get("evidence", root.evidence),
               changes.get("record_id", root.record_id), None)
    if _root_state(why) != before:
        flag_modified(why, "text")  # the UPDATE that moves the why's version on
        db.session.flush()
    return why


def _root_state(why: Why) -> tuple[Any, ...]:
    root = why.root_cause
    return (None,) if root is None else (root.id, root.verified, root.evidence,
                                         root.record_id)


def delete_why(actor: User | None, why: Why) -> None:
    """Remove a why and every why that answers it (they answered a question now gone)."""
    audit.record(actor, "delete", "why", why.id, project_id=why.project_id,
                 summary=f"Removed a why: {why.text[:80]}")
    # Deepest first, one flush each: the mapper knows no parent-child relationship between
    # whys, so it would not order these deletes itself (and the database's ON DELETE
    # CASCADE would remove a child under the mapper's feet, a stale-data error).
    for gone in [*children_of(why), why]:
        why.chain.whys.remove(gone)
        db.session.flush()


def children_of(why: Why) -> Iterator[Why]:
    for w in why.chain.whys:
        if w.parent_id == why.id:
            yield from children_of(w)
            yield w


@dataclass(frozen=True)
class Node:
    why: Why
    depth: int  # 1 = the first why
    branch: bool  # one of two or more answers to the same why


def tree(chain: WhyChain) -> list[Node]:
    """The chain's whys in reading order, depth first, each with its depth."""
    by_parent: dict[int | None, list[Why]] = {}
    for w in chain.whys:
        by_parent.setdefault(w.parent_id, []).append(w)
    for answers in by_parent.values():
        answers.sort(key=lambda w: (w.position, w.id))
    out: list[Node] = []

    def walk(parent: int | None, depth: int) -> None:
        answers = by_parent.get(parent, [])
        for w in answers:
            out.append(Node(w, depth, len(answers) > 1))
            walk(w.id, depth + 1)

    walk(None, 1)
    return out


# --- root causes ----------------------------------------------------------------------

def mark_root(actor: User | None, why: Why, is_root: bool) -> RootCause | None:
    """Make a why the root cause its branch ends in, or stop it being one (which forgets its
    verification)."""
    if is_root and why.root_cause is None:
        root = RootCause(project_id=why.project_id, why=why)
        db.session.add(root)
        db.session.flush()
        audit.record(actor, "create", "root_cause", root.id, project_id=why.project_id,
                     summary=f"Marked as a root cause: {why.text[:80]}")
        return root
    if not is_root and why.root_cause is not None:
        root = why.root_cause
        audit.record(actor, "delete", "root_cause", root.id, project_id=why.project_id,
                     summary=f"No longer a root cause: {why.text[:80]}")
        why.root_cause = None
        db.session.delete(root)
        db.session.flush()
    return why.root_cause


def record_of(project_id: int, record_id: Any) -> AnalysisRecord | None:
    """A saved analysis of the same project, as evidence; another project's is refused as a
    missing one would be."""
    if record_id in (None, "", "None"):
        return None
    try:
        return child_or_404(AnalysisRecord, record_id, project_id, what="Saved analysis",
                            within=" in this project")
    except DomainError as exc:
        raise DomainError(exc.message, field="record_id") from exc


def verify(actor: User | None, root: RootCause, verified: bool, evidence: Any,
           record_id: Any, expected: int | None) -> RootCause:
    """Verified needs evidence text; the saved analysis is optional."""
    check_version(root, expected, "This root cause")
    evidence = (evidence or "").strip() if isinstance(evidence, str) or evidence is None \
        else ""
    if len(evidence) > TEXT_MAX:
        raise DomainError(f"Keep the evidence to {TEXT_MAX} characters.", field="evidence")
    if verified and not evidence:
        raise DomainError("Say what shows this root cause is real: evidence is needed to "
                          "mark it verified.", field="evidence")
    record = record_of(root.project_id, record_id)
    changes = audit.diff(root, {"verified": verified, "evidence": evidence,
                                "record_id": record.id if record else None})
    root.verified, root.evidence = verified, evidence
    root.record_id = record.id if record else None
    root.verified_at = utcnow() if verified else None
    if root.cause is not None:
        _mirror_to_cause(root.cause, root)
    db.session.flush()
    if changes:
        audit.record(actor, "update", "root_cause", root.id, project_id=root.project_id,
                     summary=("Verified" if verified else "Unverified")
                     + f" a root cause: {root.statement[:80]}", changes=changes)
    return root


def _mirror_to_cause(cause: Cause, root: RootCause) -> None:
    cause.evidence = root.evidence
    if root.verified:
        cause.status = "verified"
    elif cause.status == "verified":
        cause.status = "suspected"


def project_root_causes(project_id: int, *, verified_only: bool = False) -> list[RootCause]:
    query = select(RootCause).where(RootCause.project_id == project_id)
    if verified_only:
        query = query.where(RootCause.verified.is_(True))
    return list(db.session.scalars(query.order_by(RootCause.id)))


def project_records(project_id: int) -> list[AnalysisRecord]:
    return list(db.session.scalars(select(AnalysisRecord).where(
        AnalysisRecord.project_id == project_id).order_by(AnalysisRecord.id.desc())))


@dataclass(frozen=True)
class Summary:
    chains: int
    causes: int
    verified: int


def summary(project_id: int) -> Summary:
    """The counts the project page's Root cause card shows, in one statement."""
    def count(model: type, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(
            model.project_id == project_id, *where).scalar_subquery()  # type: ignore[attr-defined]

    chains, causes, verified = db.session.execute(select(
        count(WhyChain), count(Cause), count(RootCause, RootCause.verified.is_(True)))).one()
    return Summary(chains or 0, causes or 0, verified or 0)
