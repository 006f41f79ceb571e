"""Who may bring a programme in: admins and the CI council.

An import creates projects in any phase, names their leads and sponsors, and writes benefit
lines into projects the importer does not lead: the programme office's work, which is the
council's (it already names sponsors and moves projects' status) and the admins'. Belts add
their own projects one at a time; finance validates the imported figures afterwards.
"""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..core.access import Policy, roles
from . import services

IMPORTERS = ("admin", "council")
IMPORT = roles(*IMPORTERS)


def can_import(user: Any) -> bool:
    return bool(user) and user.has_role(*IMPORTERS)


def _own_draft(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """An importer's own upload; another's, or a data set's, is 404 (it may hold data its
    sender chose not to save)."""
    if not can_import(user):
        return None
    draft = services.get_draft(user, kwargs.pop("draft_id"))
    return {**kwargs, "draft": draft}


DRAFT = Policy("programme import draft: admin, council (own upload)", _own_draft)
