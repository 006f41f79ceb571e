"""The board, the table and the attention list run a fixed number of SQL statements,
whatever the number of projects: aggregates in SQL, never a query per project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from ciapp.auth.services import issue_token
from tests import factories
from tests.conftest import sign_in
from tests.portfolio.conftest import (
    health,
    overdue_action,
    passed_gate,
    pending_review,
    project,
    sustain_flag,
)

URLS = ("/portfolio/", "/portfolio/?status=all", "/portfolio/table?sort=health",
        "/portfolio/attention", "/portfolio/attention?days=5")
API_URLS = ("/api/v1/portfolio?status=all", "/api/v1/attention?days=5")


@contextmanager
def counting(db: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def portfolio(n: int) -> None:
    """``n`` projects across phases and sites, each with everything a row aggregates: a
    passed gate, a pending review, an overdue action, a health report, and for the closed
    ones a sustain signal."""
    lead = factories.user("belt")
    sites = [factories.site_and_area()[1] for _ in range(3)]
    phases = ("scope", "baseline", "root_cause", "countermeasures", "sustain")
    for i in range(n):
        closed = i % 5 == 4
        p = project(lead, phase=phases[i % 5], status="closed" if closed else "active",
                    days_old=90 + i, org_unit_id=sites[i % 3].id)
        passed_gate(p, 70)
        overdue_action(p, 1 + i % 7)
        health(p, ("on_track", "at_risk", "off_track")[i % 3])
        if closed:
            sustain_flag(p)
        else:
            pending_review(p)


def statements_per_request(client: Any, db: Any, urls: tuple[str, ...],
                           headers: dict[str, str] | None = None) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url, headers=headers)  # warm: templates, first-use lookups
        with counting(db) as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(statements)
    return counts


@pytest.mark.parametrize("api", [False, True], ids=["pages", "api"])
def test_the_number_of_statements_does_not_grow_with_the_projects(client, db,
                                                                  api: bool) -> None:
    viewer = factories.user("council")
    token = issue_token(viewer)
    db.session.commit()
    sign_in(client, viewer)
    urls, headers = (API_URLS, {"Authorization": f"Bearer {token}"}) if api else (URLS, None)

    portfolio(5)
    db.session.commit()
    few = statements_per_request(client, db, urls, headers)
    portfolio(45)
    db.session.commit()
    many = statements_per_request(client, db, urls, headers)

    assert many == few
    # Two for the board, one for the table, four for the attention list, besides the
    # session, the user and the filters' choices: a small fixed number.
    assert max(few.values()) <= 15, few
