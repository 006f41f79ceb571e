"""POST /api/v1/imports/projects and /benefits: the dry run, the real run, refusals as 422
naming row and column, nothing half-saved."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy import func, select

from ciapp.auth.services import issue_token
from ciapp.benefits.models import BenefitLine
from ciapp.projects.models import Project
from tests.programme.helpers import csv_bytes

REGISTER = csv_bytes([
    ["Title", "Lead", "Site", "Area", "Phase", "Status", "Start date"],
    ["Cut scrap on line 3", "dana@plant.example", "Plant North", "Moulding", "Measure", "",
     "01/02/2026"],
    ["Bad lead", "nobody@plant.example", "Plant North", "", "Define", "", "03/02/2026"],
])


def _bearer(db: Any, user: Any) -> dict[str, str]:
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _count(db: Any, model: Any = Project) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(client: Any, path: str, headers: dict[str, str], data: bytes,
          **fields: str) -> Any:
    return client.post(path, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "register.csv"), **fields})


def test_a_dry_run_lists_created_and_refused_rows(client: Any, db: Any,
                                                  org: dict[str, Any]) -> None:
    headers = _bearer(db, org["council"])
    before = _count(db)

    response = _post(client, "/api/v1/imports/projects?dry_run=true", headers, REGISTER)

    assert response.status_code == 200
    body = response.get_json()
    assert (body["dry_run"], body["rows"], body["ready"]) == (True, 2, False)
    assert [(p["row"], p["title"], p["phase"], p["start_date"]) for p in body["created"]] == \
        [(2, "Cut scrap on line 3", "baseline", "2026-02-01")]
    assert body["refused"] == [{
        "row": 3, "column": "B", "header": "Lead",
        "message": "Row 3, column B (Lead): nobody here has the e-mail "
                   "'nobody@plant.example'; add them as a user first (Admin > Users), or "
                   "correct the address."}]
    assert body["projects"] == [] and _count(db) == before


def test_a_refused_row_refuses_the_real_run(client: Any, db: Any,
                                            org: dict[str, Any]) -> None:
    headers = _bearer(db, org["admin"])
    before = _count(db)

    response = _post(client, "/api/v1/imports/projects", headers, REGISTER)

    assert response.status_code == 422
    body = response.get_json()
    assert body["message"].startswith("Row 3, column B (Lead): nobody here has the e-mail")
    assert body["fields"] == {"Lead": [body["message"]]}
    assert _count(db) == before


def test_the_real_run_creates_every_row(client: Any, db: Any, org: dict[str, Any]) -> None:
    headers = _bearer(db, org["council"])
    data = csv_bytes([["Project", "Owner", "Gate"],
                      ["Cut scrap on line 3", "dana@plant.example", "Improve"],
                      ["5S in packing", "omar@plant.example", ""]])
    mapping = json.dumps({"title": "Project", "lead": "Owner", "phase": "Gate"})

    response = _post(client, "/api/v1/imports/projects", headers, data, map=mapping,
                     dry_run="false")

    assert response.status_code == 201
    keys = response.get_json()["projects"]
    assert len(keys) == 2
    phases = dict(db.session.execute(select(Project.title, Project.phase)
                                     .where(Project.key.in_(keys))).all())
    assert phases == {"Cut scrap on line 3": "countermeasures", "5S in packing": "scope"}


def test_benefits_through_the_api(client: Any, db: Any, org: dict[str, Any]) -> None:
    headers = _bearer(db, org["council"])
    key = org["existing"].key
    data = csv_bytes([["Project", "Category", "Description", "Projected", "Month", "Amount"],
                      [key, "Hard savings", "Less scrap", "3000", "2026-01", "250"],
                      [key, "", "Less scrap", "", "2026-02", "260"]])

    dry = _post(client, "/api/v1/imports/benefits", headers, data, dry_run="true")
    assert dry.status_code == 200
    assert dry.get_json()["created"][0]["months"] == {"2026-01": "250.00",
                                                      "2026-02": "260.00"}
    assert _count(db, BenefitLine) == 0

    done = _post(client, "/api/v1/imports/benefits", headers, data)
    assert done.status_code == 201 and done.get_json()["projects"] == [key]
    line = db.session.scalar(select(BenefitLine))
    assert [str(m.amount) for m in line.months] == ["250.00", "260.00"]


def test_bad_requests_are_4xx_and_save_nothing(client: Any, db: Any,
                                               org: dict[str, Any]) -> None:
    headers = _bearer(db, org["council"])
    before = _count(db)
    answers = [
        client.post("/api/v1/imports/projects", headers=headers, json={"rows": []}),
        client.post("/api/v1/imports/projects", headers=headers,
                    content_type="multipart/form-data", data={"map": "{}"}),
        _post(client, "/api/v1/imports/projects", headers, REGISTER, map="[1]"),
        _post(client, "/api/v1/imports/projects", headers, REGISTER,
              map='{"colour": "Title"}'),
        _post(client, "/api/v1/imports/projects", headers, REGISTER, dry_run="maybe"),
        _post(client, "/api/v1/imports/projects", headers, REGISTER, extra="1"),
        _post(client, "/api/v1/imports/projects", headers, b""),
        _post(client, "/api/v1/imports/benefits", headers, b"\x00\x01\x02garbage"),
    ]
    assert [a.status_code for a in answers] == [415, 422, 422, 422, 422, 422, 422, 422]
    assert all(a.get_json()["message"] for a in answers)
    assert _count(db) == before


def test_belts_may_not_import(client: Any, db: Any, org: dict[str, Any]) -> None:
    response = _post(client, "/api/v1/imports/projects", _bearer(db, org["dana"]), REGISTER)
    assert response.status_code == 403
    assert "admins and council members" in response.get_json()["message"]
