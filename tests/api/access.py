"""Who may call each API endpoint on a project where they have no part (lead, sponsor and
team are other people); ``tests/test_permissions.py`` tries every role against this."""

from __future__ import annotations

from tests.test_permissions import EVERYONE, PUBLIC

API_EXPECTED: dict[str, frozenset[str] | str] = {
    "api.openapi_document": PUBLIC,
    "api.list_projects": EVERYONE,
    "api.create_project": frozenset({"admin", "council", "belt"}),
    "api.get_project": EVERYONE,
    "api.update_project": frozenset({"admin"}),
    "api.get_gate": EVERYONE,
    "api.request_review": frozenset(),  # the lead only
    "api.get_review": EVERYONE,
    "api.decide_review": frozenset({"council"}),  # or the sponsor, never the requester
    "api.list_datasets": EVERYONE,
    "api.create_dataset": frozenset({"admin"}),
    "api.get_dataset": EVERYONE,
    "api.append_rows": frozenset({"admin"}),
    "api.list_rows": EVERYONE,
    "api.rows_csv": EVERYONE,
    "api.chart": EVERYONE,
    "api.chart_svg": EVERYONE,
    "api.chart_png": EVERYONE,
    "api.capability": EVERYONE,
    "api.compare": EVERYONE,  # computes, saves nothing
    "api.save_analysis": frozenset({"admin"}),
    "api.get_analysis": EVERYONE,
    "api.list_benefits": EVERYONE,
    "api.create_benefit": frozenset({"admin"}),
    "api.get_benefit": EVERYONE,
    "api.update_benefit": frozenset({"admin"}),
    "api.set_benefit_month": frozenset({"admin"}),
    "api.submit_benefit": frozenset({"admin"}),
    "api.validate_benefit": frozenset({"finance"}),  # never on a project one has a part in
    "api.reopen_benefit": frozenset({"admin"}),
    "api.benefit_queue": frozenset({"finance", "admin"}),
    "api.portfolio_board": EVERYONE,
    "api.attention": EVERYONE,
    "api.list_ideas": EVERYONE,
    "api.submit_idea": EVERYONE,  # anyone submits an idea
    "api.get_idea": EVERYONE,
}
