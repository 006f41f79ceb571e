"""What the attachment pages and the include on other pages need: the settings, where an
owner is shown, and the attachments of one owner for the include."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, g, url_for

from ..core.access import acting_user
from ..extensions import db
from ..projects import permissions
from ..projects.models import Project
from . import services, storage
from .models import OWNER_KINDS, Attachment
from .services import OWNER_MODELS, Owner


def folder() -> Path:
    return storage.folder_for(current_app.config.get("ATTACHMENTS_DIR"),
                              current_app.instance_path)


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def owner_of(attachment: Attachment) -> Owner:
    kind = attachment.owner_kind
    return Owner(kind, None if kind == "project" else attachment.owner_id)


def back_to(project: Project, owner: Owner) -> str:
    """The page that shows ``owner``'s attachments, at the owner."""
    if owner.kind == "why":
        from ..rootcause.models import Why

        why = db.session.get(Why, owner.id)
        if why is not None:
            return url_for("rootcause.chain", key=project.key, chain_id=why.chain_id) + \
                f"#why-{owner.id}"
    if owner.kind == "cause":
        return url_for("rootcause.fishbone", key=project.key) + f"#cause-{owner.id}"
    if owner.kind == "countermeasure":
        return url_for("improve.index", key=project.key) + f"#countermeasure-{owner.id}"
    return url_for("projects.show", key=project.key) + "#attachments"


@dataclass(frozen=True)
class Group:
    owner: Owner
    title: str
    link: str
    items: list[Attachment]


def _title(owner: Owner) -> str:
    if owner.kind == "project":
        return "The project"
    model, what = OWNER_MODELS[owner.kind]
    row = db.session.get(model, owner.id)
    text = getattr(row, "text", None) or getattr(row, "title", "") if row else ""
    return f"{what}: {text}"


def index_context(project: Project, *, problem: Exception | None = None,
                  owner: Owner | None = None) -> dict[str, Any]:
    grouped = services.by_owner(project.id)
    order = {kind: i for i, kind in enumerate(OWNER_KINDS)}
    groups = [Group(o, _title(o), back_to(project, o), grouped[key])
              for key in sorted(grouped, key=lambda k: (order[k[0]], k[1]))
              for o in [Owner(key[0], None if key[0] == "project" else key[1])]]
    return {"project": project, "groups": groups, "problem": problem,
            "owner": owner or Owner("project"), "limit": services.size_text(max_bytes()),
            "can_edit": permissions.can_edit_project(acting_user(), project)}


def attachments_of(project: Project, kind: str, owner_id: int | None = None
                   ) -> list[Attachment]:
    """For the include: one query per project and request, however many owners it shows."""
    cache = g.setdefault("attachments_by_owner", {})
    if project.id not in cache:
        cache[project.id] = services.by_owner(project.id)
    return cache[project.id].get((kind, project.id if kind == "project" else owner_id), [])


def template_globals() -> dict[str, Any]:
    return {"attachments_of": attachments_of, "attachment_size": services.size_text,
            "attachment_limit": lambda: services.size_text(max_bytes())}
