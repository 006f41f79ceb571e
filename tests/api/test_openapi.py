"""The OpenAPI document: valid, complete against the URL map, and true to the forms."""

from __future__ import annotations

import re

from flask import Flask
from openapi_spec_validator import validate

from ciapp.api.openapi import document
from ciapp.projects.forms import CharterForm
from ciapp.projects.services import CHARTER_FIELDS


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_document_is_valid_openapi_3_1(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()

    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_api_route_is_described_and_nothing_else(app: Flask) -> None:
    routes = {(openapi_path(rule.rule), method.lower(), rule.endpoint)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    described = {(path, method, "api." + op["operationId"])
                 for path, item in document()["paths"].items() for method, op in item.items()}

    assert described == routes


def test_only_the_document_itself_is_public() -> None:
    public = [op["operationId"] for item in document()["paths"].values()
              for op in item.values() if op.get("security") == []]

    assert public == ["openapi_document"]


def test_project_fields_follow_the_charter_form() -> None:
    schemas = document()["components"]["schemas"]
    create = schemas["ProjectCreate"]

    assert set(create["properties"]) == {*CHARTER_FIELDS, "team"}
    assert create["required"] == ["title"]
    assert create["properties"]["title"]["maxLength"] == 200
    choices = [c.value for c in CharterForm.methodology.kwargs["choices"]]
    assert create["properties"]["methodology"]["enum"] == choices
    assert set(schemas["ProjectPatch"]["properties"]) == {*CHARTER_FIELDS, "version"}
    assert set(CHARTER_FIELDS) <= set(schemas["Project"]["properties"])


def test_patch_documents_the_version_rules() -> None:
    patch = document()["paths"]["/api/v1/projects/{key}"]["patch"]

    assert {"409", "428", "422"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" for p in patch["parameters"])
