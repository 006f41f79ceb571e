"""Test data factories: real rows through the ORM, with believable defaults."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import update
from werkzeug.security import generate_password_hash

from ciapp.auth.models import User
from ciapp.extensions import db
from ciapp.orgunits.models import OrgUnit
from ciapp.projects import services as project_services
from ciapp.projects.models import Project

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
# A cheap hash keeps hundreds of test users fast; sign-in tests use the real default.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def user(role: str = "belt", **kwargs: Any) -> User:
    n = next(_seq)
    values = {"email": f"user{n}@example.com", "name": f"{role.title()} User {n}",
              "role": role, "password_hash": _HASH} | kwargs
    u = User(**values)
    db.session.add(u)
    db.session.flush()
    return u


def site_and_area(site: str = "Plant A", area: str = "Assembly") -> tuple[OrgUnit, OrgUnit]:
    s = OrgUnit(name=f"{site} {next(_seq)}", kind="site")
    a = OrgUnit(name=area, kind="area", parent=s)
    db.session.add_all([s, a])
    db.session.flush()
    return s, a


def project(lead: User | None = None, *, complete: bool = False, **kwargs: Any) -> Project:
    """A project; ``complete=True`` fills every field the scope gate checks."""
    lead = lead or user("belt")
    values: dict[str, Any] = {"title": f"Reduce scrap on line {next(_seq)}", "lead_id": lead.id}
    team: list[tuple[int, str]] = []
    if complete:
        sponsor = kwargs.pop("sponsor", None) or user("council")
        values |= {
            "problem": "Scrap on line 3 averages 4.2% against a 2% plan.",
            "goal": "Cut scrap to 2% by June.",
            "in_scope": "Line 3 moulding, all shifts.",
            "sponsor_id": sponsor.id,
            "metric_name": "Scrap rate", "metric_unit": "%", "metric_better": "lower",
        }
        team = [(user("member").id, "Operator")]
    values |= kwargs
    # The council names the sponsor, not the lead (projects.services.check_sponsor); test
    # data skips that step and writes it straight to the row, leaving the version at 1.
    sponsor_id = values.pop("sponsor_id", None)
    p = project_services.create_project(lead, values, team=team)
    if sponsor_id is not None:
        db.session.execute(update(Project).where(Project.id == p.id)
                           .values(sponsor_id=sponsor_id)
                           .execution_options(synchronize_session=False))
        db.session.expire(p, ["sponsor_id", "sponsor"])
    db.session.flush()
    return p


def dataset(project: Project, values: Any = (10.2, 9.8, 10.5, 10.1, 9.9), *,
            name: str | None = None, kind: str = "continuous", **kwargs: Any) -> Any:
    """A data set of ``project`` whose version 1 holds ``values`` (dicts are whole rows)."""
    from ciapp.datasets import building
    from ciapp.datasets import services as dataset_services

    rows = [v if isinstance(v, dict) else {"value": v} for v in values]
    table = building.from_records(rows, kind)
    ds = dataset_services.create_dataset(project.lead, project.id, table,
                                         name=name or f"Data set {next(_seq)}", kind=kind,
                                         **kwargs)
    db.session.flush()
    return ds
