"""The fishbone (Ishikawa) of a project: its effect, categories, causes and sub-causes,
votes and status. Services flush, never commit.

A cause found verified becomes a :class:`RootCause` (kept, with its verification, in step
with the cause's status), so the project's verified root causes are one list whatever tool
found them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..audit import services as audit
from ..auth.models import User
from ..core.errors import DomainError
from ..core.time import utcnow
from ..core.versions import check_version
from ..extensions import db
from .models import CAUSE_STATUSES, SIX_MS, TEXT_MAX, Cause, CauseCategory, Fishbone, RootCause
from .services import clean_text, edit_text, record_of

MAX_VOTES = 1000


def find(project_id: int) -> Fishbone | None:
    return db.session.scalar(select(Fishbone).where(Fishbone.project_id == project_id))


def get_or_create(project_id: int) -> Fishbone:
    """The project's fishbone; the first time, an empty one on the 6 Ms."""
    bone = find(project_id)
    if bone is None:
        bone = Fishbone(project_id=project_id, effect="")
        bone.categories = [CauseCategory(project_id=project_id, name=name, position=i)
                           for i, name in enumerate(SIX_MS)]
        db.session.add(bone)
        db.session.flush()
    return bone


def set_effect(actor: User | None, bone: Fishbone, effect: Any,
               expected: int | None) -> Fishbone:
    return edit_text(actor, bone, effect, expected, "effect", attr="effect", entity="fishbone",
                     label="The effect", summary="Changed the fishbone's effect")


# --- categories -----------------------------------------------------------------------

def _category_name(bone: Fishbone, name: Any, keep: CauseCategory | None = None) -> str:
    text = clean_text(name, "category name", "name", limit=80)
    if any(c.name.lower() == text.lower() and c is not keep for c in bone.categories):
        raise DomainError(f"There is already a category '{text}'.", field="name")
    return text


def add_category(actor: User | None, bone: Fishbone, name: Any) -> CauseCategory:
    text = _category_name(bone, name)
    category = CauseCategory(project_id=bone.project_id, name=text,
                             position=len(bone.categories))
    bone.categories.append(category)
    db.session.flush()
    audit.record(actor, "create", "cause_category", category.id, project_id=bone.project_id,
                 summary=f"Added the fishbone category '{text}'")
    return category


def rename_category(actor: User | None, category: CauseCategory, name: Any) -> CauseCategory:
    text = _category_name(category.fishbone, name, keep=category)
    if text != category.name:
        audit.record(actor, "update", "cause_category", category.id,
                     project_id=category.project_id, summary="Renamed a fishbone category",
                     changes={"name": [category.name, text]})
        category.name = text
        db.session.flush()
    return category


def delete_category(actor: User | None, category: CauseCategory) -> None:
    if category.causes:
        raise DomainError(f"The category '{category.name}' still has "
                          f"{len(category.causes)} cause(s): move or remove them first.")
    audit.record(actor, "delete", "cause_category", category.id,
                 project_id=category.project_id,
                 summary=f"Removed the fishbone category '{category.name}'")
    category.fishbone.categories.remove(category)
    db.session.flush()


# --- causes ---------------------------------------------------------------------------

def _category(bone: Fishbone, category_id: Any) -> CauseCategory:
    for category in bone.categories:
        if category.id == category_id:
            return category
    raise DomainError(f"There is no category {category_id} on this fishbone: choose one of "
                      + ", ".join(c.name for c in bone.categories) + ".", field="category_id")


def add_cause(actor: User | None, bone: Fishbone, category_id: Any, text: Any,
              parent_id: Any = None) -> Cause:
    """A cause on a bone, or a sub-cause of a cause (``parent_id``) of the same bone."""
    category = _category(bone, category_id)
    parent = None
    if parent_id not in (None, "", "None"):
        parent = db.session.get(Cause, parent_id) if isinstance(parent_id, int) else None
        if parent is None or parent.category_id != category.id:
            raise DomainError(f"Cause {parent_id} is not a cause of '{category.name}' on "
                              "this fishbone.", field="parent_id")
    text = clean_text(text, "cause")
    last = db.session.scalar(select(func.max(Cause.position)).where(
        Cause.category_id == category.id))
    cause = Cause(project_id=bone.project_id, category=category, text=text,
                  parent_id=parent and parent.id, position=(last or 0) + 1, votes=0,
                  status="suspected", evidence="")
    db.session.add(cause)
    db.session.flush()
    audit.record(actor, "create", "cause", cause.id, project_id=bone.project_id,
                 summary=f"Added a cause under {category.name}: {text[:80]}")
    return cause


def update_cause(actor: User | None, cause: Cause, text: Any, expected: int | None) -> Cause:
    return edit_text(actor, cause, text, expected, "cause")


def vote(cause: Cause, step: int) -> Cause:
    """One vote more (or less, never below zero): the team's priority among causes."""
    cause.votes = min(MAX_VOTES, max(0, cause.votes + (1 if step > 0 else -1)))
    db.session.flush()
    return cause


def set_votes(cause: Cause, votes: Any) -> Cause:
    """The team's votes for a cause, set outright (the page steps them one at a time)."""
    if not isinstance(votes, int) or isinstance(votes, bool) or not 0 <= votes <= MAX_VOTES:
        raise DomainError(f"Votes must be a whole number from 0 to {MAX_VOTES}.",
                          field="votes")
    cause.votes = votes
    db.session.flush()
    return cause


CAUSE_CHANGES = ("text", "votes", "status", "evidence", "record_id")


def edit_cause(actor: User | None, cause: Cause, changes: dict[str, Any],
               expected: int | None) -> Cause:
    """Change any of :data:`CAUSE_CHANGES` in one step, checked against the cause's version.
    Evidence or a saved analysis without a status keeps the status the cause has."""
    check_version(cause, expected, "This cause")
    if "text" in changes:
        update_cause(actor, cause, changes["text"], None)
    if "votes" in changes:
        set_votes(cause, changes["votes"])
    if any(name in changes for name in ("status", "evidence", "record_id")):
        root = cause.root_cause
        set_status(actor, cause, changes.get("status", cause.status),
                   changes.get("evidence", cause.evidence),
                   changes.get("record_id", root.record_id if root else None), None)
    return cause


def category_named(bone: Fishbone, name: Any) -> CauseCategory:
    """The category called ``name`` (case aside); a name that is not on the fishbone is
    refused, as a cause cannot hang on a missing bone."""
    for category in bone.categories:
        if isinstance(name, str) and category.name.lower() == name.strip().lower():
            return category
    raise DomainError(f"There is no category '{name}' on this fishbone: choose one of "
                      + ", ".join(c.name for c in bone.categories) + ".", field="category")


def set_status(actor: User | None, cause: Cause, status: Any, evidence: Any,
               record_id: Any, expected: int | None) -> Cause:
    """Suspected, verified or ruled out. Verified and ruled out need evidence; verified makes
    (or re-verifies) the cause's root cause, anything else un-verifies it."""
    check_version(cause, expected, "This cause")
    if status not in CAUSE_STATUSES:
        raise DomainError(f"Status must be one of: {', '.join(CAUSE_STATUSES)}.",
                          field="status")
    evidence = (evidence or "").strip() if isinstance(evidence, str) or evidence is None \
        else ""
    if len(evidence) > TEXT_MAX:
        raise DomainError(f"Keep the evidence to {TEXT_MAX} characters.", field="evidence")
    if status != "suspected" and not evidence:
        raise DomainError(f"Say what shows it: evidence is needed to mark a cause "
                          f"{CAUSE_STATUSES[status].lower()}.", field="evidence")
    record = record_of(cause.project_id, record_id)
    changes = audit.diff(cause, {"status": status, "evidence": evidence})
    cause.status, cause.evidence = status, evidence
    root = cause.root_cause
    if status == "verified" and root is None:
        root = RootCause(project_id=cause.project_id, cause=cause)
        db.session.add(root)
    if root is not None:
        root.verified = status == "verified"
        root.evidence = evidence if root.verified else root.evidence
        root.record_id = record.id if record else None
        root.verified_at = utcnow() if root.verified else None
    db.session.flush()
    if changes:
        audit.record(actor, "update", "cause", cause.id, project_id=cause.project_id,
                     summary=f"Cause {CAUSE_STATUSES[status].lower()}: {cause.text[:80]}",
                     changes=changes)
    return cause


def delete_cause(actor: User | None, cause: Cause) -> None:
    audit.record(actor, "delete", "cause", cause.id, project_id=cause.project_id,
                 summary=f"Removed a cause: {cause.text[:80]}")
    for gone in [*_subs(cause), cause]:  # deepest first: see services.delete_why
        cause.category.causes.remove(gone)
        db.session.flush()


def _subs(cause: Cause) -> list[Cause]:
    out = []
    for c in cause.category.causes:
        if c.parent_id == cause.id:
            out.extend(_subs(c))
            out.append(c)
    return out


def layout(bone: Fishbone) -> list[tuple[CauseCategory, list[tuple[Cause, list[Cause]]]]]:
    """Each category with its top causes and their sub-causes (deeper levels flattened
    under their top cause), causes by votes then order."""
    out = []
    for category in bone.categories:
        tops = [c for c in category.causes if c.parent_id is None]
        tops.sort(key=lambda c: (-c.votes, c.position, c.id))
        top_of = {c.id: c.id for c in tops}
        subs: dict[int, list[Cause]] = {c.id: [] for c in tops}
        pending = [c for c in category.causes if c.parent_id is not None]
        for _ in range(len(pending) + 1):  # settle chains of sub-sub-causes
            rest = []
            for c in pending:
                top = top_of.get(c.parent_id or 0)
                if top is None:
                    rest.append(c)
                else:
                    top_of[c.id] = top
                    subs[top].append(c)
            if not rest or len(rest) == len(pending):
                break
            pending = rest
        out.append((category, [(c, subs[c.id]) for c in tops]))
    return out


def cause_counts(project_id: int) -> tuple[list[str], list[int]]:
    """The team's votes per cause, for the Pareto of causes; causes ruled out, or with no
    vote, are left out."""
    rows = db.session.execute(select(Cause.text, Cause.votes).where(
        Cause.project_id == project_id, Cause.status != "ruled_out", Cause.votes > 0)
        .order_by(Cause.id))
    pairs = [(text, int(votes)) for text, votes in rows]
    return [p[0] for p in pairs], [p[1] for p in pairs]
