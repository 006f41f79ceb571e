"""In-app notifications: listed for their owner only, marked read one by one or all."""

from __future__ import annotations

from typing import Any

from ciapp.notifications import services
from ciapp.notifications.models import Notification
from tests import factories


def test_unread_count_in_the_header_and_marking_read(client: Any, login_as: Any,
                                                     db: Any) -> None:
    user = login_as("council")
    project = factories.project()
    services.notify([user], "Gate review waiting", project_id=project.id)
    services.notify([user], "Another one", project_id=project.id)
    db.session.commit()
    page = client.get("/notifications/")
    assert "Gate review waiting" in page.text and 'aria-label="2 unread"' in page.text
    assert f'href="/projects/{project.key}#gate">Open {project.key}</a>' in page.text
    first = db.session.query(Notification).filter_by(message="Gate review waiting").one()
    client.post(f"/notifications/{first.id}/read")
    assert 'aria-label="1 unread"' in client.get("/notifications/").text
    client.post("/notifications/read")
    assert services.unread_count(user) == 0


def test_someone_elses_notification_is_not_found(client: Any, login_as: Any,
                                                 db: Any) -> None:
    login_as("belt")
    other = factories.user("council")
    services.notify([other], "Private")
    db.session.commit()
    note = db.session.query(Notification).one()
    response = client.post(f"/notifications/{note.id}/read")
    assert response.status_code == 404
    assert "Private" not in client.get("/notifications/").text
    db.session.refresh(note)
    assert note.read_at is None


def test_inactive_users_are_not_notified(db: Any) -> None:
    gone = factories.user("council", active=False)
    services.notify([gone], "Hello")
    assert services.for_user(gone) == []
