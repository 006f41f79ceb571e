"""Schemathesis against /api/v1/openapi.json, in process through the WSGI app: every
operation gets generated requests, valid and invalid by the document, and must answer
without a 5xx, with a status, headers and body that the document describes.

Bounded (``MAX_EXAMPLES`` per operation and mode) so it takes seconds, not minutes; with
``CI`` set the examples are derandomised, so a red build is reproducible; developers' runs
stay random and keep finding new cases. Each operation's examples run inside the test's
rolled-back transaction, against a project whose sponsor holds the token (so edits and
decisions can succeed) and a pending review.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from ciapp import create_app
from ciapp.auth.services import issue_token
from ciapp.gates import services as gates
from tests import factories

MAX_EXAMPLES = 10


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    sponsor = factories.user("council")
    project = factories.project(complete=True, sponsor=sponsor)
    review = gates.request_review(project.lead, project, "Ready for a look")
    TOKEN["value"] = issue_token(sponsor)
    db.session.commit()
    return {"key": project.key, "review_id": review.id}


def load_schema() -> Any:
    """The document as the app serves it, read through WSGI from an app of its own (the
    document needs no database; the tests' app and database exist only inside fixtures)."""
    app = create_app({"SECRET_KEY": "schema", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES, deterministic=bool(os.environ.get("CI")),
        # NUL is refused app-wide with 400 before any view runs (tests/test_bad_input.py and
        # the document's 400 response say so), so strings valid by the schema leave it out.
        allow_x00=False, database="none")
    # Requests valid by the document may still break a rule it cannot state: LSL below USL,
    # an id of a person who does not exist (422), an edit without a version (428).
    acceptance = loaded.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "422", "428"]
    return loaded


schema = load_schema()
TOKEN: dict[str, str] = {}


@schema.auth(refresh_interval=None)  # a new token per test: never cached
class BearerToken:
    """The world's token on every request, except the ones schemathesis sends without
    credentials on purpose to check that they are refused."""

    def get(self, case: Any, context: Any) -> str:
        return TOKEN.get("value", "")

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
# The fixtures hold the database state every example of one operation shares, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_document(case: Any, app: Flask, world: dict[str, Any]) -> None:
    # A generated key is almost never a project; point most cases at the real one, so
    # bodies get past the lookup and into validation. Odd review ids stay as generated.
    # Only where the path was generated valid: an invalid one must stay invalid.
    params = case.path_parameters or {}
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if path is not None and path.mode is GenerationMode.POSITIVE:
        if params.get("key"):
            params["key"] = world["key"]
        if isinstance(params.get("review_id"), int) and params["review_id"] % 2 == 0:
            params["review_id"] = world["review_id"]
    case.call_and_validate(app=app)
