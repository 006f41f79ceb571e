"""The org-unit tree's rules, without the admin pages around them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from ciapp.audit.models import AuditEvent
from ciapp.core.errors import DomainError, NotFound
from ciapp.orgunits import services
from ciapp.orgunits.models import AREA, SITE
from tests import factories


def test_sites_and_areas_sorted_by_name_with_labels(db: Any) -> None:
    admin = factories.user("admin")
    north = services.create_site(admin, "  North   plant ")
    south = services.create_site(admin, "Ashford")
    services.create_area(admin, north.id, "Welding")
    services.create_area(admin, north.id, "assembly")
    assert (north.name, north.kind) == ("North plant", SITE)
    tree = services.site_tree()
    assert [node.site.name for node in tree] == ["Ashford", "North plant"]
    assert [a.name for a in tree[1].areas] == ["assembly", "Welding"]
    assert services.choices() == [
        (south.id, "Ashford"), (north.id, "North plant"),
        (tree[1].areas[0].id, "North plant > assembly"),
        (tree[1].areas[1].id, "North plant > Welding")]
    assert tree[1].areas[0].kind == AREA
    summaries = list(db.session.scalars(select(AuditEvent.summary)
                                        .where(AuditEvent.entity == "org_unit")))
    assert "Created area North plant > Welding" in summaries


def test_names_are_unique_among_siblings_whatever_the_case(db: Any) -> None:
    admin = factories.user("admin")
    plant = services.create_site(admin, "Plant")
    other = services.create_site(admin, "Other")
    services.create_area(admin, plant.id, "Paint")
    with pytest.raises(DomainError, match="already a site"):
        services.create_site(admin, "PLANT")
    with pytest.raises(DomainError, match="already an area of this site"):
        services.create_area(admin, plant.id, "paint")
    assert services.create_area(admin, other.id, "Paint").label == "Other > Paint"


@pytest.mark.parametrize(("name", "message"), [("   ", "empty"), ("x" * 121, "longer than")])
def test_bad_names_are_refused(db: Any, name: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        services.create_site(factories.user("admin"), name)


def test_an_area_needs_an_existing_site(db: Any) -> None:
    admin = factories.user("admin")
    _, area = factories.site_and_area()
    for site_id in (None, 999999, area.id):
        with pytest.raises(DomainError, match="Choose the site"):
            services.create_area(admin, site_id, "Stores")


def test_rename_keeps_siblings_apart_and_records_both_names(db: Any) -> None:
    admin = factories.user("admin")
    site, area = factories.site_and_area(area="Assembly")
    services.create_area(admin, site.id, "Paint")
    with pytest.raises(DomainError, match="already an area"):
        services.rename_org_unit(admin, area, "paint")
    services.rename_org_unit(admin, area, "Final assembly")
    services.rename_org_unit(admin, area, "Final assembly")  # no change, no event
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rename")))
    assert [e.changes for e in events] == [{"name": ["Assembly", "Final assembly"]}]


def test_lookups(db: Any) -> None:
    site, _ = factories.site_and_area()
    assert services.get_org_unit(site.id) is site
    with pytest.raises(NotFound, match="Org unit 999999 was not found"):
        services.get_org_unit(999999)
    services.check_exists(None)
    services.check_exists(site.id)
    with pytest.raises(DomainError, match="No site or area with id 999999"):
        services.check_exists(999999)
