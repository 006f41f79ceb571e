"""The A3 as a PDF, from the page and from the API: one A3 landscape page whatever the
project holds, with the sheet's text in it."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from ciapp.auth.services import issue_token
from tests.a3 import worlds
from tests.a3.conftest import pdf_pages, pdf_text

# ISO 216: A3 is 297 x 420 mm; in PDF points (1/72 inch) 841.89 x 1190.55.
A3_LANDSCAPE = (1190.55, 841.89)


def get_pdf(client: Any, url: str, **kwargs: Any) -> bytes:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    return response.data


@pytest.mark.parametrize("world", ["empty", "typical", "full"])
def test_the_pdf_is_one_a3_landscape_page(client: Any, db: Any, viewer: Any,
                                          world: str) -> None:
    project = getattr(worlds, world)()
    db.session.commit()

    body = get_pdf(client, f"/projects/{project.key}/a3.pdf")

    pages = pdf_pages(body)
    assert len(pages) == 1
    width, height = (float(v) for v in pages[0].mediabox.upper_right)
    assert (width, height) == pytest.approx(A3_LANDSCAPE, abs=0.5)
    text = pdf_text(body)
    assert project.title in text and "Root-cause analysis" in text and "Benefits" in text


def test_the_pdf_holds_the_same_story_as_the_page(client: Any, db: Any, viewer: Any) -> None:
    project = worlds.typical()
    db.session.commit()

    response = client.get(f"/projects/{project.key}/a3.pdf")

    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="{project.key}-A3.pdf"'
    text = " ".join(pdf_text(response.data).split())
    for words in ("Height gauge on every die", "Nobody knows the right height",
                  "Call the setter", "No benefits recorded yet.", "Trial on 12 changeovers"):
        assert words in text


def test_the_api_gives_the_same_pdf(client: Any, db: Any) -> None:
    project = worlds.typical()
    token = issue_token(project.lead)
    db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}

    body = get_pdf(client, f"/api/v1/projects/{project.key}/a3.pdf", headers=auth)

    assert len(pdf_pages(body)) == 1
    assert "Height gauge on every die" in pdf_text(body)
    assert get_pdf(client, f"/api/v1/projects/{project.key}/a3.pdf?live=true", headers=auth)


@pytest.mark.parametrize(("query", "field"), [("?live=maybe", "live"), ("?format=png", "format")])
def test_the_api_refuses_what_it_does_not_know(client: Any, db: Any, query: str,
                                               field: str) -> None:
    project = worlds.empty()
    token = issue_token(project.lead)
    db.session.commit()

    response = client.get(f"/api/v1/projects/{project.key}/a3.pdf{query}",
                          headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_without_weasyprint_the_pdf_says_why(client: Any, db: Any, viewer: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = worlds.empty()
    db.session.commit()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails, as without Pango

    response = client.get(f"/projects/{project.key}/a3.pdf")

    assert response.status_code == 503
    assert "Pango" in response.get_data(as_text=True)
    assert client.get(f"/projects/{project.key}/a3").status_code == 200
