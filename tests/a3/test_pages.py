"""The A3 page as leadership reads it: every box for an empty, a typical and a very full
project; what is missing said in words; user text shown as text."""

from __future__ import annotations

import re
from typing import Any

from tests import factories
from tests.a3 import worlds

HEADINGS = ("Background and problem", "Current condition", "Goal", "Root-cause analysis",
            "Countermeasures", "Results", "Follow-up", "Benefits")


def a3_page(client: Any, project: Any, query: str = "") -> str:
    response = client.get(f"/projects/{project.key}/a3{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def box(html: str, css_class: str) -> str:
    """The HTML of one box of the sheet."""
    start = html.index(f'class="a3-box {css_class}"')
    return html[start:html.index("</section>", start)]


def test_an_empty_project_says_what_is_missing_in_every_box(client: Any, db: Any,
                                                            viewer: Any) -> None:
    project = worlds.empty()
    db.session.commit()

    html = a3_page(client, project)

    for heading in HEADINGS:
        assert heading in html
    assert "No problem statement written yet." in box(html, "a3-background")
    current = box(html, "a3-current")
    assert "No data set on the primary metric yet." in current and "<svg" not in current
    assert "capability does not apply" in current  # no specification limits
    assert "No goal written yet." in box(html, "a3-goal")
    assert "No primary metric named yet." in box(html, "a3-goal")
    root = box(html, "a3-rootcause")
    assert "No fishbone cause recorded yet." in root and "No 5-Whys chain yet." in root
    assert "No root cause marked yet." in root
    assert "No countermeasure yet." in box(html, "a3-countermeasures")
    results = box(html, "a3-results")
    assert "No data set on the primary metric yet." in results
    assert "No before/after comparison saved yet." in results
    follow = box(html, "a3-followup")
    assert "No control plan yet." in follow and "No open actions." in follow
    assert "No benefits recorded yet." in box(html, "a3-benefits")


def test_a_typical_project_tells_its_story_from_its_data(client: Any, db: Any,
                                                          viewer: Any) -> None:
    project = worlds.typical()
    db.session.commit()

    html = a3_page(client, project)

    assert project.title in html and project.lead.name in html
    assert "Scrap on line 3 averages 4.2% against a 2% plan." in box(html, "a3-background")
    current = box(html, "a3-current")
    # The baseline chart shows the 25 baseline points only, each with its tooltip.
    assert current.count("<title>") == 25
    assert "25 points (baseline) of &#39;Changeover time&#39;" in current
    assert re.search(r"Cpk \d+\.\d\d", current) and "Saved analysis." in current
    assert "Cut scrap to 2% by June." in box(html, "a3-goal")
    assert "lower is better; target 6; LSL 2; USL 14" in box(html, "a3-goal")
    root = box(html, "a3-rootcause")
    assert ">Die height set by eye</text>" in root  # the cause, drawn on the fishbone
    assert "Changeovers take 47 minutes" in root
    assert "Why? Nobody knows the right height <strong>verified root cause</strong>" in root
    assert "verified — Trial on 12 changeovers: one setting each" in root
    cms = box(html, "a3-countermeasures")
    assert "Height gauge on every die" in cms and "Nobody knows the right height" in cms
    assert "0 / 1" in cms and "Planned" in cms
    results = box(html, "a3-results")
    assert results.count("<title>") == 50  # the staged chart: every point of both stages
    assert "Stages: baseline, after change; limits from baseline." in results
    assert "<strong>Better:</strong> The mean fell from" in results
    follow = box(html, "a3-followup")
    assert "Every changeover" in follow and "Call the setter" in follow
    assert "Buy six gauges" in follow
    assert "No benefits recorded yet." in box(html, "a3-benefits")


def test_charts_on_one_page_keep_their_ids_apart(client: Any, db: Any, viewer: Any) -> None:
    project = worlds.typical()
    db.session.commit()

    html = a3_page(client, project)

    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_a_very_full_project_is_cut_to_a_page_saying_how_many_more(
        client: Any, db: Any, viewer: Any) -> None:
    project = worlds.full()
    db.session.commit()

    html = a3_page(client, project)

    root = box(html, "a3-rootcause")
    assert "… and 4 more 5-Whys chains on the project's pages." in root
    assert root.count("… and 5 more whys.") == 2  # 10 whys a chain, 5 shown
    assert "… and 1 more root cause on the project's pages." in root
    assert root.count("… and 8 more</text>") == 6  # 12 causes a bone, 4 drawn
    assert "… and 10 more countermeasures" in box(html, "a3-countermeasures")
    follow = box(html, "a3-followup")
    assert "… and 8 more control plan rows" in follow
    assert "… and 40 more open actions" in follow
    assert "+4 more" in box(html, "a3-countermeasures")  # 6 root causes answered, 2 named


def test_user_text_is_shown_as_text(client: Any, db: Any, viewer: Any) -> None:
    script = "<script>alert('a3')</script>"
    project = worlds.typical(cause_text=script)
    project.problem = f"Scrap {script} everywhere"
    db.session.commit()

    html = a3_page(client, project)

    assert "<script>alert" not in html
    assert "Scrap &lt;script&gt;alert(&#39;a3&#39;)&lt;/script&gt; everywhere" in html
    # matplotlib escapes the drawn text its own way (the quote needs none inside <text>).
    assert "&lt;script&gt;alert('a3')&lt;/script&gt;</text>" in box(html, "a3-rootcause")


def test_the_project_page_links_its_a3(client: Any, db: Any, viewer: Any) -> None:
    project = worlds.empty()
    db.session.commit()

    html = client.get(f"/projects/{project.key}").get_data(as_text=True)

    assert f'href="/projects/{project.key}/a3"' in html
    assert f'href="/projects/{project.key}/a3.pdf"' in html


def test_another_projects_a3_needs_a_real_key(client: Any, db: Any, viewer: Any) -> None:
    assert client.get("/projects/CI-1999-9999/a3").status_code == 404
    assert client.get("/projects/CI-1999-9999/a3.pdf").status_code == 404


def test_a_primary_data_set_without_a_control_chart_says_so(client: Any, db: Any,
                                                            viewer: Any) -> None:
    project = worlds.empty()
    factories.dataset(project, [{"category": c, "value": v} for c, v in
                                (("Short shot", 12), ("Flash", 5), ("Sink mark", 3))],
                      kind="categories", name="Defect types")
    db.session.commit()

    html = a3_page(client, project)

    assert ("The baseline chart of &#39;Defect types&#39; cannot be drawn: A categories data "
            "set has no control chart") in box(html, "a3-current")
    assert "The staged chart of &#39;Defect types&#39; cannot be drawn" in box(html,
                                                                                 "a3-results")


def test_the_benefits_box_shows_the_projects_lines(client: Any, db: Any, viewer: Any) -> None:
    """The benefits area fills the box (ciapp/benefits/__init__.py registers it)."""
    from datetime import date
    from decimal import Decimal

    from ciapp.benefits import services as benefits

    project = worlds.typical()
    benefits.create_line(project.lead, project, benefits.LineInput(
        "hard_savings", "Less scrap", "kg x price", Decimal("2000"), "kg", Decimal("1.25"),
        date(2026, 1, 1)))
    db.session.commit()
    found = box(a3_page(client, project), "a3-benefits")
    assert "No benefits recorded yet." not in found
    assert "Hard savings" in found and "2,500.00" in found  # 2,000 kg x 1.25 a year
