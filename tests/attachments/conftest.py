"""Fixtures of the attachment tests: the attachment folder the test app writes to, and a
project led by the signed-in belt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from ciapp.attachments import pages
from tests import factories
from tests.api.conftest import api_as  # noqa: F401  the API tests here use it too


@pytest.fixture
def folder(app: Flask, db: Any) -> Path:
    return pages.folder()


def files_in(folder: Path) -> set[Path]:
    """Every file under the folder, temporary uploads included."""
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


@pytest.fixture
def lead_project(login_as: Any) -> Any:
    lead = login_as("belt")
    return factories.project(lead, complete=True)
