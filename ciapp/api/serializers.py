"""Model objects to plain JSON-ready dicts; the OpenAPI document describes these shapes."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from flask import url_for
from sqlalchemy import Row

from ..auth.models import OrgUnit, User
from ..gates.models import GateReview
from ..gates.services import GateStatus
from ..projects.models import Project, TeamMember
from ..projects.phases import phase_label
from ..projects.services import CHARTER_FIELDS


def _plain(value: Any) -> Any:
    # A datetime is a date too; a plain class check is cheaper than a union, per value.
    return value.isoformat() if isinstance(value, date) else value


def etag(project: Project) -> str:
    return f'"{project.version}"'


def user_ref(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.name}


def org_unit_ref(unit: OrgUnit | None) -> dict[str, Any] | None:
    return None if unit is None else {"id": unit.id, "label": unit.label}


class ProjectLinks:
    """The links of many projects from one ``url_for`` per endpoint, a marker key swapped for
    each project's (quoted) key: on a 50-item page, ``url_for`` per item was a fifth of the
    request."""

    MARKER = "KEY-MARKER"

    def __init__(self) -> None:
        self.self_ = url_for("api.get_project", key=self.MARKER)
        self.gate = url_for("api.get_gate", key=self.MARKER)

    def __call__(self, key: str) -> dict[str, str]:
        key = quote(key, safe="")
        return {"self": self.self_.replace(self.MARKER, key),
                "gate": self.gate.replace(self.MARKER, key)}


# A project's own fields, as the API shows them (besides phase_label and links).
SUMMARY_FIELDS: tuple[str, ...] = (
    "key", *CHARTER_FIELDS, "phase", "status", "version", "created_at", "updated_at",
    "closed_at")


def project_summary(project: Project | Row[Any],
                    links: ProjectLinks | None = None) -> dict[str, Any]:
    """A project's own fields; ``project`` may also be a row of ``list_records`` read with
    ``columns=SUMMARY_FIELDS`` (zip stops before the list's total, its last column)."""
    if isinstance(project, Row):
        values = dict(zip(SUMMARY_FIELDS, project, strict=False))
    else:
        values = {name: getattr(project, name) for name in SUMMARY_FIELDS}
    return _summary(values, links or ProjectLinks())


def _summary(body: dict[str, Any], links: ProjectLinks) -> dict[str, Any]:
    # Dates and times stay objects: the JSON provider writes them as ISO 8601 text in C,
    # where converting each of the 250 on a page here was half of the list's serializing.
    body["phase_label"] = phase_label(body["methodology"], body["phase"])
    body["links"] = links(body["key"])
    return body


def team_member(member: TeamMember) -> dict[str, Any]:
    return {"id": member.id, "user": user_ref(member.user), "role": member.role}


def project(project: Project) -> dict[str, Any]:
    return project_summary(project) | {
        "sponsor": user_ref(project.sponsor),
        "lead": user_ref(project.lead),
        "org_unit": org_unit_ref(project.org_unit),
        "team": [team_member(m) for m in project.team],
    }


def project_page(pagination: Any, args: dict[str, str]) -> dict[str, Any]:
    def link(page: int | None) -> str | None:
        if page is None:
            return None
        return url_for("api.list_projects", **(args | {"page": str(page)}))

    links = ProjectLinks()
    return {
        "items": [project_summary(p, links) for p in pagination.items],
        "meta": {"page": pagination.page, "per_page": pagination.per_page,
                 "total": pagination.total, "pages": pagination.pages},
        "links": {"next": link(pagination.next_num), "prev": link(pagination.prev_num)},
    }


def review(review: GateReview) -> dict[str, Any]:
    return {
        "id": review.id,
        "project": {"key": review.project.key, "phase": review.project.phase,
                    "status": review.project.status, "version": review.project.version},
        "phase": review.phase,
        "status": review.status,
        "requested_by": user_ref(review.requested_by),
        "requested_at": _plain(review.requested_at),
        "request_note": review.request_note,
        "decided_by": user_ref(review.decided_by),
        "decided_at": _plain(review.decided_at),
        "decision_comment": review.decision_comment,
        "override_reason": review.override_reason,
        "criteria_at_request": review.criteria_at_request,
        "criteria_at_decision": review.criteria_at_decision,
        "links": {"self": url_for("api.get_review", review_id=review.id),
                  "decision": url_for("api.decide_review", review_id=review.id)},
    }


def gate(project: Project, status: GateStatus) -> dict[str, Any]:
    return {
        "project": project.key,
        "phase": status.phase.value,
        "label": status.label,
        "next_label": status.next_label,
        "criteria": [c.to_dict() for c in status.criteria],
        "criteria_met": status.criteria_met,
        "checklist": [{"key": i.key, "label": i.label, "done": i.done, "by": i.by}
                      for i in status.checklist],
        "checklist_done": status.checklist_done,
        "ready": status.ready,
        "pending_review": review(status.pending) if status.pending else None,
        "reviews": [{"id": r.id, "phase": r.phase, "status": r.status,
                     "requested_at": _plain(r.requested_at),
                     "decided_at": _plain(r.decided_at)} for r in status.history],
    }
