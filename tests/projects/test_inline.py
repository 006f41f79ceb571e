"""The charter edited in place through core.inline: versions that follow saves, real
conflicts that keep the typed text, edits without a version, and races caught at flush."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from ciapp.projects import services
from tests import factories

HX = {"HX-Request": "true"}


def _setup(db: Any, login_as: Any, **kwargs: Any) -> Any:
    lead = login_as("belt")
    project = factories.project(lead, **kwargs)
    db.session.commit()
    return project


def _oob_version(html: str, project: Any) -> str:
    """The version the saved answer hands to every other open editor of the project."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)" '
                      rf'class="version-project-{project.id}"\s+'
                      rf'hx-swap-oob="outerHTML:input.version-project-{project.id}">', html)
    assert match, html
    return match.group(1)


def test_every_open_editor_holds_the_version_and_a_save_refreshes_it(client: Any, db: Any,
                                                                    login_as: Any) -> None:
    project = _setup(db, login_as)
    page = client.get(f"/projects/{project.key}").text
    goal_form = client.get(f"/projects/{project.key}/charter/goal/edit", headers=HX).text
    assert f'class="version-project-{project.id}"' in goal_form
    assert f'value="{project.version}"' in goal_form
    assert 'id="charter-goal"' in page and "charter-problem" in page

    # Two fields saved one after the other from the same page: the second uses the version
    # the first save handed out, as htmx swaps it into the problem editor's hidden input.
    first = client.post(f"/projects/{project.key}/charter/goal", headers=HX,
                        data={"goal": "Scrap below 2%", "version": str(project.version)})
    assert first.status_code == 200
    version = _oob_version(first.text, project)
    second = client.post(f"/projects/{project.key}/charter/problem", headers=HX,
                         data={"problem": "Scrap is 4%", "version": version})
    assert second.status_code == 200, second.text
    db.session.refresh(project)
    assert (project.goal, project.problem) == ("Scrap below 2%", "Scrap is 4%")
    assert _oob_version(second.text, project) == str(project.version)


def test_a_real_conflict_keeps_what_was_typed_and_shows_the_saved_value(
        client: Any, db: Any, login_as: Any) -> None:
    project = _setup(db, login_as, goal="Cut scrap")
    opened = project.version
    services.update_project(project.lead, project, {"goal": "Cut scrap to 1% (theirs)"})
    db.session.commit()

    response = client.post(f"/projects/{project.key}/charter/goal", headers=HX,
                           data={"goal": "Cut scrap to 2% (mine)", "version": str(opened)})
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert "Cut scrap to 2% (mine)</textarea>" in response.text
    assert '<span class="conflict-current">Cut scrap to 1% (theirs)</span>' in response.text
    current = re.search(r'name="version" value="(\d+)"', response.text).group(1)
    assert current == str(project.version)
    db.session.refresh(project)
    assert project.goal == "Cut scrap to 1% (theirs)"

    # Saving again from the conflict form overwrites on purpose.
    again = client.post(f"/projects/{project.key}/charter/goal", headers=HX,
                        data={"goal": "Cut scrap to 2% (mine)", "version": current})
    assert again.status_code == 200
    db.session.refresh(project)
    assert project.goal == "Cut scrap to 2% (mine)"


def test_an_edit_without_a_version_is_refused_and_saves_nothing(client: Any, db: Any,
                                                                login_as: Any) -> None:
    project = _setup(db, login_as)
    inline = client.post(f"/projects/{project.key}/charter/goal", data={"goal": "Sneaky"},
                         headers=HX)
    assert inline.status_code == 428 and "Send the version you last read" in inline.text
    whole = client.post(f"/projects/{project.key}/edit",
                        data={"title": "Renamed", "alpha": "0.05", "methodology": "dmaic",
                              "metric_better": "lower"})
    assert whole.status_code == 428
    db.session.refresh(project)
    assert project.goal == "" and project.title != "Renamed"


def test_a_race_caught_at_flush_is_the_409_page_not_a_500(client: Any, db: Any,
                                                          login_as: Any,
                                                          monkeypatch: Any) -> None:
    """The version check passes, then another request saves before this one flushes."""
    project = _setup(db, login_as)
    real_check = services.check_charter

    def someone_saves_meanwhile(values: dict[str, Any]) -> None:
        real_check(values)
        services.db.session.execute(text("UPDATE projects SET version = version + 1 "
                                          "WHERE id = :id"), {"id": project.id})

    monkeypatch.setattr(services, "check_charter", someone_saves_meanwhile)
    response = client.post(f"/projects/{project.key}/charter/goal", headers=HX,
                           data={"goal": "Lost?", "version": str(project.version)})
    assert response.status_code == 409
    assert "changed by someone else while you were saving" in response.text
    page = client.post(f"/projects/{project.key}/charter/goal",
                       data={"goal": "Lost?", "version": str(project.version)})
    assert page.status_code == 409 and "<html" in page.text
    db.session.refresh(project)
    assert project.goal == ""


def test_without_javascript_a_field_has_a_page_of_its_own(client: Any, db: Any,
                                                          login_as: Any) -> None:
    project = _setup(db, login_as)
    page = client.get(f"/projects/{project.key}/charter/goal/edit")
    assert page.status_code == 200 and "<html" in page.text
    assert f'href="/projects/{project.key}"' in page.text and "<textarea" in page.text
    saved = client.post(f"/projects/{project.key}/charter/goal",
                        data={"goal": "Plain form", "version": str(project.version)})
    assert saved.status_code == 200 and "Plain form" in saved.text and "<html" in saved.text
    assert client.get(f"/projects/{project.key}/charter/version/edit").status_code == 404


def test_the_whole_charter_form_keeps_what_was_typed_on_a_conflict(client: Any, db: Any,
                                                                   login_as: Any) -> None:
    project = _setup(db, login_as, goal="Cut scrap")
    opened = project.version
    services.update_project(project.lead, project, {"goal": "Theirs"})
    db.session.commit()
    typed = {"title": project.title, "methodology": "dmaic", "metric_better": "lower",
             "alpha": "0.05", "goal": "Mine", "problem": "Typed problem",
             "version": str(opened)}
    response = client.post(f"/projects/{project.key}/edit", data=typed)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert '<span class="conflict-current">Theirs</span>' in response.text
    assert '<span class="conflict-yours">Mine</span>' in response.text
    assert "Typed problem</textarea>" in response.text  # kept, though nobody else changed it
    current = re.search(r'name="version" type="hidden" value="(\d+)"', response.text)
    assert current and current.group(1) == str(project.version)
    again = client.post(f"/projects/{project.key}/edit", data=typed | {
        "version": current.group(1)})
    assert again.status_code == 302
    db.session.refresh(project)
    assert (project.goal, project.problem) == ("Mine", "Typed problem")
