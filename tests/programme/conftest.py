"""A small organisation to import into: two sites with areas, people with e-mails, one
project that exists already."""

from __future__ import annotations

from typing import Any

import pytest

from ciapp.orgunits.models import OrgUnit
from tests import factories


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    north = OrgUnit(name="Plant North", kind="site")
    south = OrgUnit(name="Plant South", kind="site")
    moulding = OrgUnit(name="Moulding", kind="area", parent=north)
    packing = OrgUnit(name="Packing", kind="area", parent=north)
    south_packing = OrgUnit(name="Packing", kind="area", parent=south)
    db.session.add_all([north, south, moulding, packing, south_packing])
    people = {
        "dana": factories.user("belt", email="dana@plant.example", name="Dana Belt"),
        "omar": factories.user("belt", email="omar@plant.example", name="Omar Lead"),
        "sam": factories.user("council", email="sam@plant.example", name="Sam Sponsor"),
        "gone": factories.user("belt", email="gone@plant.example", name="Gone Person",
                               active=False),
        "admin": factories.user("admin", email="ada@plant.example", name="Ada Admin"),
        "council": factories.user("council", email="cy@plant.example", name="Cy Council"),
    }
    existing = factories.project(people["dana"], title="Faster changeovers on press 4")
    db.session.commit()
    return {"north": north, "south": south, "moulding": moulding, "packing": packing,
            "existing": existing, **people}
