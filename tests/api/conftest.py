"""API fixtures: a client that speaks JSON with a bearer token, and a schema check that
holds every response to the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from ciapp.api.openapi import document
from ciapp.auth.models import User
from ciapp.auth.services import issue_token
from ciapp.extensions import db as _db
from tests import factories


def check_schema(name: str, instance: Any) -> None:
    """Fail unless ``instance`` matches ``components/schemas/<name>`` of the API document."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    Draft202012Validator(schema).validate(instance)


@dataclass
class Api:
    """A JSON client signed in by token; ``call`` checks error bodies against the schema."""

    client: FlaskClient
    user: User
    token: str

    def call(self, method: str, url: str, body: Any = None, **kwargs: Any) -> TestResponse:
        headers = {"Authorization": f"Bearer {self.token}"} | kwargs.pop("headers", {})
        if body is not None:
            kwargs["json"] = body
        response = self.client.open(url, method=method, headers=headers, **kwargs)
        if response.status_code >= 400:
            check_schema("Error", response.get_json())
        return response

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", url, **kwargs)

    def post(self, url: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("POST", url, body, **kwargs)

    def patch(self, url: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("PATCH", url, body, **kwargs)


@pytest.fixture
def api_as(client: FlaskClient, db: Any) -> Callable[..., Api]:
    """``api_as("council")`` makes a user of that role (or takes ``user=``) with a token."""

    def make(role: str = "belt", *, user: User | None = None, **kwargs: Any) -> Api:
        user = user or factories.user(role=role, **kwargs)
        token = issue_token(user)
        _db.session.commit()
        return Api(client, user, token)

    return make
