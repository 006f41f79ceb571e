from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader


@pytest.fixture
def viewer(login_as: Any) -> Any:
    """Leadership reads any project's A3: a viewer with no part in the project."""
    return login_as("viewer")


def pdf_pages(body: bytes) -> list[Any]:
    return list(PdfReader(io.BytesIO(body)).pages)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_pages(body))
