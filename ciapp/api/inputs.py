"""Reading JSON requests: body parsing, JSON types, unknown fields, then the HTML side's forms.

Every check here ends in a DomainError (400, 415, 422 or 428) before anything is written, so
a refused request never leaves half-saved data.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from flask import current_app, request
from werkzeug.datastructures import ETags, MultiDict

from ..core.errors import DomainError
from ..core.validators import MAX_ID, parse_whole
from ..gates.forms import DecisionForm, RequestReviewForm
from ..projects.forms import CharterForm, FilterForm, TeamMemberForm, charter_form
from ..projects.models import Project
from ..projects.services import CHARTER_FIELDS, ProjectFilters
from .errors import BadRequest, PreconditionRequired, UnsupportedMediaType
from .fields import FieldSpec, json_type, specs_of

CHARTER = specs_of(CharterForm, CHARTER_FIELDS)
TEAM_MEMBER = specs_of(TeamMemberForm, ("user_id", "role"))
REVIEW_REQUEST = specs_of(RequestReviewForm, ("note",))
DECISION = specs_of(DecisionForm, ("decision", "comment", "override_reason"))
FILTERS = specs_of(FilterForm, ("q", "methodology", "phase", "status", "org_unit_id",
                                "lead_id", "page"))
VERSION = FieldSpec("version", "Version you last read", ("integer",), minimum=1)
SPONSOR = {"sponsor_id": replace(CHARTER["sponsor_id"], required=True)}
MAX_PER_PAGE = 100


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_json(*, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object; an absent body is ``{}`` when ``optional``."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise BadRequest("The request body is empty; send a JSON object.")
    if not request.is_json:
        raise UnsupportedMediaType(
            f"Send the body as JSON with 'Content-Type: application/json' "
            f"(got {request.mimetype or 'no Content-Type'!r}).")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest(f"The body must be a JSON object, not {json_type(data)}.")
    return data


def invalid(fields: Mapping[str, list[str]], labels: Mapping[str, str] | None = None,
            ) -> DomainError:
    name, messages = next(iter(fields.items()))
    label = (labels or {}).get(name, name)
    more = f" ({len(fields) - 1} more field(s) to fix)" if len(fields) > 1 else ""
    return DomainError(f"{label}: {messages[0]}{more}", fields={k: list(v)
                                                                 for k, v in fields.items()})


def check_shape(data: Mapping[str, Any], specs: Mapping[str, FieldSpec],
                extra: tuple[str, ...] = (), *, prefix: str = "", partial: bool = False) -> None:
    """Refuse unknown fields, missing required ones (unless ``partial``), and values of the
    wrong JSON type."""
    errors: dict[str, list[str]] = {}
    for name in data:
        if name not in specs and name not in extra:
            errors[prefix + name] = [f"Unknown field; allowed: {', '.join([*specs, *extra])}."]
    for name, spec in specs.items():
        if name in data:
            problems = spec.problems(data[name])
            if problems:
                errors[prefix + name] = problems
        elif spec.required and not partial:
            errors[prefix + name] = ["This field is required."]
    if errors:
        raise invalid(errors, {prefix + n: s.label for n, s in specs.items()})


def _validated(form: Any) -> Any:
    if not form.validate():
        raise invalid(form.errors, {name: field.label.text for name, field in form._fields.items()})
    return form


def _form(form_class: type, data: Mapping[str, Any]) -> Any:
    formdata = MultiDict({k: "" if v is None else str(v) for k, v in data.items()})
    return _validated(form_class(formdata=formdata, meta={"csrf": False}))


def new_project(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Charter values and team of a project to create, validated by the charter form."""
    check_shape(data, CHARTER, ("team",))
    team = team_members(data.get("team", []))
    changes = {name: spec.default for name, spec in CHARTER.items()} | {
        k: v for k, v in data.items() if k in CHARTER}
    form = _validated(charter_form(None, changes, csrf=False))
    return form.values(), team


def team_members(raw: Any) -> list[tuple[int, str]]:
    if not isinstance(raw, list):
        raise invalid({"team": ["Must be an array of {user_id, role} objects."]})
    team: list[tuple[int, str]] = []
    for i, item in enumerate(raw):
        prefix = f"team[{i}]."
        if not isinstance(item, dict):
            raise invalid({f"team[{i}]": ["Must be an object with user_id and role."]})
        check_shape(item, TEAM_MEMBER, prefix=prefix)
        member = {"role": TEAM_MEMBER["role"].default} | item
        try:
            form = _form(TeamMemberForm, member)
        except DomainError as exc:
            raise invalid({prefix + k: v for k, v in exc.fields.items()}) from None
        if any(user_id == form.user_id.data for user_id, _ in team):
            raise invalid({prefix + "user_id": ["This person is listed twice."]})
        team.append((form.user_id.data, form.role.data))
    return team


def project_changes(project: Project, data: dict[str, Any]) -> dict[str, Any]:
    """The charter fields a PATCH changes, validated together with the unchanged ones."""
    check_shape(data, CHARTER, ("version",), partial=True)
    changed = tuple(name for name in CHARTER_FIELDS if name in data)
    if not changed:
        raise invalid({"body": ["Send at least one charter field to change."]})
    form = _validated(charter_form(project, {name: data[name] for name in changed}, csrf=False))
    return form.values(changed)


def sponsor_change(data: Mapping[str, Any]) -> dict[str, Any]:
    """The body of PUT /projects/{key}/sponsor: the sponsor's user id, or null for none
    (the version travels as If-Match or a ``version`` field, as on PATCH)."""
    check_shape(data, SPONSOR, ("version",))
    return {"sponsor_id": data["sponsor_id"]}


def expected_version(data: Mapping[str, Any]) -> int | None:
    """The version the client last read, from ``If-Match: "3"`` or a ``version`` field.

    Neither given: 428, so that no edit silently overwrites another. ``If-Match: *`` says
    "overwrite whatever is there" explicitly and returns None (no check).
    """
    body = data.get("version")
    if body is not None and (VERSION.problems(body) or not 1 <= body <= MAX_ID):
        raise invalid({"version": ["Must be a whole number from 1: the version you last "
                                   "read."]})
    if_match = request.if_match
    if if_match.star_tag:
        return None
    if not request.headers.get("If-Match", "").strip():
        if body is None:
            raise PreconditionRequired(
                "Send the version you last read, as 'If-Match: \"<version>\"' or a "
                "\"version\" field, so that a concurrent edit is not overwritten "
                "('If-Match: *' overwrites).")
        return body
    version = _if_match_version(if_match)
    if body is not None and body != version:
        raise invalid({"version": [f"If-Match says version {version} but this says {body}; "
                                   f"send one of them."]})
    return version


def _if_match_version(if_match: ETags) -> int:
    """The one strong ETag of If-Match as a version; a weak, empty or non-numeric tag, or
    several, is a malformed header (400)."""
    tags = list(if_match.as_set())
    weak = if_match.as_set(include_weak=True) != if_match.as_set()
    if len(tags) == 1 and not weak and tags[0]:
        try:
            return parse_whole(tags[0], minimum=1)
        except ValueError:
            pass
    raise BadRequest('If-Match must hold one project version in quotes, e.g. "3" '
                     "(or * to overwrite).")


def review_note(data: dict[str, Any]) -> str:
    check_shape(data, REVIEW_REQUEST)
    return _form(RequestReviewForm, data).note.data or ""


def decision(data: dict[str, Any]) -> tuple[str, str, str]:
    check_shape(data, DECISION)
    form = _form(DecisionForm, data)
    return form.decision.data, form.comment.data or "", form.override_reason.data or ""


def project_filters(args: MultiDict[str, str]) -> tuple[ProjectFilters, int, int]:
    """Filters, page and page size from the query string, checked by the HTML list's form."""
    unknown = [name for name in args if name not in FILTERS and name != "per_page"]
    if unknown:
        raise invalid({name: [f"Unknown query parameter; allowed: "
                              f"{', '.join([*FILTERS, 'per_page'])}."] for name in unknown})
    if not unknown and not any(args.get(name) for name in FILTERS):
        # No filter and no page, the list as most scripts read it: nothing for the form to
        # check (an empty value reads as absent, as the form reads it), and building it was
        # a twentieth of the request.
        return ProjectFilters(), 1, per_page(args.get("per_page"))
    form = _validated(FilterForm(formdata=args, meta={"csrf": False}))
    return form.filters(), form.page.data or 1, per_page(args.get("per_page"))


def per_page(raw: str | None) -> int:
    """The page size; empty or absent is the default, like the filters' empty values."""
    if raw is None or not raw.strip():
        return int(current_app.config["PROJECTS_PER_PAGE"])
    try:
        return parse_whole(raw, minimum=1, maximum=MAX_PER_PAGE)
    except ValueError as exc:
        raise invalid({"per_page": [str(exc)]}) from None


def column_map(raw: str | None, keys: Collection[str] | None, example: str) -> dict[str, str]:
    """The ``map`` form field of a file upload: a JSON object of role (or field) -> column
    header, its keys among ``keys`` when given; 422 naming ``map`` otherwise."""
    if not raw:
        return {}
    try:
        mapping = json.loads(raw)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and (keys is None or k in keys) and isinstance(v, str)
            for k, v in mapping.items()):
        raise DomainError(f"map must be a JSON object of {example}.", field="map")
    return mapping
