from __future__ import annotations

from typing import Any

from ciapp.rootcause import services as rootcause
from tests import factories


def root_cause(lead: Any, project: Any, text: str = "Trucks leave late", *,
               verified: bool = False) -> Any:
    chain = rootcause.create_chain(lead, project.id, f"Why: {text}")
    why = rootcause.add_why(lead, chain, text)
    root = rootcause.mark_root(lead, why, True)
    if verified:
        rootcause.verify(lead, root, True, "Trial on line 3", None, root.version)
    return root


def project_with_lead() -> tuple[Any, Any]:
    lead = factories.user("belt")
    return lead, factories.project(lead, complete=True)
