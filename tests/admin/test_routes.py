"""The admin pages: users and org units, valid and invalid input, seen over HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from ciapp.audit.models import AuditEvent
from ciapp.auth.models import OrgUnit, User
from ciapp.auth.services import authenticate
from tests import factories

PASSWORD = "a long enough password"


@pytest.fixture
def admin(login_as: Any) -> User:
    return login_as("admin", name="Ada Admin")


def count(db: Any, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions(db: Any, entity: str) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == entity)
                                   .order_by(AuditEvent.id)))


def new_user_form(**overrides: Any) -> dict[str, Any]:
    return {"email": "Grace.Liu@Example.com", "name": "Grace Liu", "role": "belt",
            "belt_level": "green", "org_unit_id": "", "password": PASSWORD} | overrides


# --- users ------------------------------------------------------------------------------

def test_users_page_lists_role_belt_unit_and_active(client: Any, db: Any, admin: User) -> None:
    _, area = factories.site_and_area("Northfield", "Moulding")
    factories.user("council", name="Margaret Okafor", belt_level="black", org_unit_id=area.id)
    factories.user("viewer", name="Robert Chen", active=False)
    db.session.commit()
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Margaret Okafor" in page and "CI council" in page and "Black belt" in page
    assert f"{area.parent.name} &gt; Moulding" in page
    assert "Robert Chen" in page and ">No<" in page


def test_admin_root_redirects_to_users(client: Any, admin: User) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")


def test_create_user(client: Any, db: Any, admin: User) -> None:
    _, area = factories.site_and_area()
    db.session.commit()
    response = client.post("/admin/users/new", data=new_user_form(org_unit_id=str(area.id)))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "grace.liu@example.com"))
    assert (user.name, user.role, user.belt_level, user.org_unit_id) == (
        "Grace Liu", "belt", "green", area.id)
    assert user.password_hash != PASSWORD
    assert authenticate("grace.liu@example.com", PASSWORD) == user
    assert audit_actions(db, "user")[-1] == "create"
    assert "Created grace.liu@example.com" in client.get("/admin/users").get_data(as_text=True)


def test_new_user_form_is_labelled(client: Any, admin: User) -> None:
    page = client.get("/admin/users/new").get_data(as_text=True)
    for field, label in (("email", "E-mail"), ("name", "Full name"), ("role", "Role"),
                         ("belt_level", "Belt level"), ("org_unit_id", "Site / area"),
                         ("password", "Initial password")):
        assert f'<label for="{field}">{label}</label>' in page


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "This field is required."),
    ({"email": "not-an-email"}, "email", "Invalid email address."),
    ({"email": "x" * 250 + "@example.com"}, "email", "longer than 254"),
    ({"name": "N" * 121}, "name", "longer than 120"),
    ({"password": "short"}, "password", "at least 10 characters"),
    ({"role": "overlord"}, "role", "Not a valid choice"),
    ({"belt_level": "purple"}, "belt_level", "Not a valid choice"),
    ({"org_unit_id": "99999"}, "org_unit_id", "Not a valid choice"),
    ({"org_unit_id": "abc"}, "org_unit_id", "Not a valid choice."),
])
def test_invalid_new_user_is_refused_in_place(client: Any, db: Any, admin: User,
                                              overrides: dict[str, Any], field: str,
                                              message: str) -> None:
    before = count(db, User)
    response = client.post("/admin/users/new", data=new_user_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert f'aria-describedby="{field}-error"' in page
    assert count(db, User) == before


def test_duplicate_email_is_refused_next_to_the_field(client: Any, db: Any,
                                                     admin: User) -> None:
    factories.user("member", email="grace.liu@example.com")
    db.session.commit()
    before = count(db, User)
    response = client.post("/admin/users/new", data=new_user_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in page
    assert "A user with e-mail grace.liu@example.com already exists." in page
    assert count(db, User) == before
    assert "create" not in audit_actions(db, "user")


def test_edit_user(client: Any, db: Any, admin: User) -> None:
    _, area = factories.site_and_area()
    user = factories.user("member", name="Marco Rossi")
    db.session.commit()
    page = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert 'value="Marco Rossi"' in page
    response = client.post(f"/admin/users/{user.id}/edit", data={
        "name": "Marco Rossi-Bianchi", "role": "belt", "belt_level": "yellow",
        "org_unit_id": str(area.id)})  # "active" unticked
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.role, user.belt_level, user.org_unit_id, user.active) == (
        "Marco Rossi-Bianchi", "belt", "yellow", area.id, False)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "user",
                                                        AuditEvent.action == "update")).one()
    assert event.changes["role"] == ["member", "belt"]
    assert event.changes["active"] == [True, False]
    assert event.actor_id == admin.id


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "N" * 121}, "name", "longer than 120"),
    ({"org_unit_id": "99999"}, "org_unit_id", "Not a valid choice"),
    ({"role": "overlord"}, "role", "Not a valid choice"),
])
def test_invalid_edit_saves_nothing(client: Any, db: Any, admin: User,
                                    overrides: dict[str, Any], field: str,
                                    message: str) -> None:
    user = factories.user("member", name="Marco Rossi")
    db.session.commit()
    data = {"name": "Changed", "role": "belt", "belt_level": "green", "org_unit_id": "",
            "active": "y"} | overrides
    response = client.post(f"/admin/users/{user.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    db.session.refresh(user)
    assert (user.name, user.role, user.belt_level) == ("Marco Rossi", "member", "none")
    assert "update" not in audit_actions(db, "user")


def test_admin_cannot_demote_themself(client: Any, db: Any, admin: User) -> None:
    response = client.post(f"/admin/users/{admin.id}/edit", data={
        "name": admin.name, "role": "viewer", "belt_level": "none", "org_unit_id": "",
        "active": "y"})
    assert response.status_code == 422
    assert "You cannot remove your own admin rights" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_edit_unknown_user_is_404(client: Any, admin: User) -> None:
    assert client.get("/admin/users/99999/edit").status_code == 404


def test_reset_password(client: Any, db: Any, admin: User) -> None:
    user = factories.user("member", email="marco@example.com")
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"pw-password": PASSWORD, "pw-confirm": PASSWORD})
    assert response.status_code == 302
    assert authenticate("marco@example.com", PASSWORD).id == user.id
    assert audit_actions(db, "user")[-1] == "reset_password"


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("short", "short", "at least 10 characters"),
    (PASSWORD, PASSWORD + "x", "The passwords differ."),
])
def test_bad_password_reset_changes_nothing(client: Any, db: Any, admin: User, password: str,
                                            confirm: str, message: str) -> None:
    user = factories.user("member")
    db.session.commit()
    old_hash = user.password_hash
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"pw-password": password, "pw-confirm": confirm})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_non_admin_is_refused(client: Any, db: Any, login_as: Any) -> None:
    login_as("council")
    before = count(db, User)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data=new_user_form()).status_code == 403
    assert client.post("/admin/org-units/sites", data={"site-name": "X"}).status_code == 403
    assert count(db, User) == before
    assert count(db, OrgUnit) == 0


# --- org units --------------------------------------------------------------------------

def test_org_unit_tree_lists_sites_with_their_areas(client: Any, db: Any,
                                                    admin: User) -> None:
    site, area = factories.site_and_area("Riverside DC", "Pick & pack")
    db.session.commit()
    page = client.get("/admin/org-units").get_data(as_text=True)
    assert page.index(site.name) < page.index("Pick &amp; pack")
    assert '<label for="site-name">Site name</label>' in page
    assert '<label for="area-site_id">Site</label>' in page


def test_create_site_then_area(client: Any, db: Any, admin: User) -> None:
    response = client.post("/admin/org-units/sites", data={"site-name": "  Northfield   Plant "})
    assert response.status_code == 302
    site = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == "site"))
    assert site.name == "Northfield Plant" and site.parent_id is None
    response = client.post("/admin/org-units/areas",
                           data={"area-site_id": str(site.id), "area-name": "Tool room"})
    assert response.status_code == 302
    area = db.session.scalar(select(OrgUnit).where(OrgUnit.kind == "area"))
    assert (area.name, area.parent_id, area.label) == ("Tool room", site.id,
                                                       "Northfield Plant > Tool room")
    assert audit_actions(db, "org_unit") == ["create", "create"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"site-name": ""}, "site-name", "This field is required."),
    ({"site-name": "S" * 121}, "site-name", "longer than 120"),
    ({"site-name": "northfield"}, "site-name", "There is already a site named"),
])
def test_invalid_site_is_refused(client: Any, db: Any, admin: User, data: dict[str, str],
                                 field: str, message: str) -> None:
    db.session.add(OrgUnit(name="Northfield", kind="site"))
    db.session.commit()
    response = client.post("/admin/org-units/sites", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert count(db, OrgUnit) == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"area-site_id": "SITE", "area-name": ""}, "area-name", "This field is required."),
    ({"area-site_id": "SITE", "area-name": "Assembly"}, "area-name",
     "There is already an area of this site named"),
    ({"area-site_id": "99999", "area-name": "Paint"}, "area-site_id", "Not a valid choice"),
    ({"area-site_id": "AREA", "area-name": "Paint"}, "area-site_id", "Not a valid choice"),
    ({"area-name": "Paint"}, "area-site_id", "This field is required."),
])
def test_invalid_area_is_refused(client: Any, db: Any, admin: User, data: dict[str, str],
                                 field: str, message: str) -> None:
    site, area = factories.site_and_area("Plant", "Assembly")
    db.session.commit()
    ids = {"SITE": str(site.id), "AREA": str(area.id)}
    data = {k: ids.get(v, v) for k, v in data.items()}
    response = client.post("/admin/org-units/areas", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and message in page
    assert count(db, OrgUnit) == 2


def test_same_area_name_is_fine_on_another_site(client: Any, db: Any, admin: User) -> None:
    factories.site_and_area("Plant", "Assembly")
    other = OrgUnit(name="Other plant", kind="site")
    db.session.add(other)
    db.session.commit()
    response = client.post("/admin/org-units/areas",
                           data={"area-site_id": str(other.id), "area-name": "Assembly"})
    assert response.status_code == 302


def test_rename_org_unit(client: Any, db: Any, admin: User) -> None:
    _, area = factories.site_and_area("Plant", "Assembly")
    db.session.commit()
    assert 'value="Assembly"' in client.get(
        f"/admin/org-units/{area.id}/rename").get_data(as_text=True)
    response = client.post(f"/admin/org-units/{area.id}/rename", data={"name": "Final assembly"})
    assert response.status_code == 302
    db.session.refresh(area)
    assert area.name == "Final assembly"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rename")).one()
    assert event.changes == {"name": ["Assembly", "Final assembly"]}


def test_rename_clash_and_empty_name_are_refused(client: Any, db: Any, admin: User) -> None:
    site, area = factories.site_and_area("Plant", "Assembly")
    db.session.add(OrgUnit(name="Paint shop", kind="area", parent=site))
    db.session.commit()
    for name, message in (("paint shop", "There is already an area of this site named"),
                          ("", "This field is required.")):
        response = client.post(f"/admin/org-units/{area.id}/rename", data={"name": name})
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    db.session.refresh(area)
    assert area.name == "Assembly"
    assert "rename" not in audit_actions(db, "org_unit")


def test_rename_unknown_org_unit_is_404(client: Any, admin: User) -> None:
    assert client.get("/admin/org-units/99999/rename").status_code == 404


def _csrf_token(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page)
    assert match, f"no {name} in the page"
    return match.group(1)


def test_forms_carry_their_csrf_token(client: Any, db: Any, admin: User,
                                      csrf_enabled: None) -> None:
    page = client.get("/admin/org-units").get_data(as_text=True)
    assert client.post("/admin/org-units/sites", data={"site-name": "Plant"}).status_code == 400
    token = _csrf_token(page, "site-csrf_token")
    response = client.post("/admin/org-units/sites",
                           data={"site-name": "Plant", "site-csrf_token": token})
    assert response.status_code == 302
    page = client.get("/admin/users/new").get_data(as_text=True)
    response = client.post("/admin/users/new", data=new_user_form(
        csrf_token=_csrf_token(page, "csrf_token")))
    assert response.status_code == 302
