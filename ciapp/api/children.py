"""What the endpoints of a project's children share (5-Whys chains, causes, FMEA rows,
countermeasures, actions, ...): reading a JSON body against field specs that the OpenAPI
document shows too, the version an edit names, and answers carrying the item's version.

A body is checked here for its shape (unknown fields, JSON types, the limits the document
states); the rules about the values are the services' (``ciapp.rootcause``,
``ciapp.improve``), the same the pages call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from ..core.access import Policy
from ..core.errors import NotFound
from ..core.validators import MAX_ID
from .access import explained
from .fields import FieldSpec
from .inputs import check_shape, expected_version, invalid, read_json

EDITORS = "Only the project's lead, sponsor, team or an admin change its {}."


@contextmanager
def naming(field: str) -> Iterator[None]:
    """An id sent in the body that is not found (or is another project's) is refused with
    404, as in the address; this names the field it came from, where the service did not."""
    try:
        yield
    except NotFound as exc:
        if not exc.fields:
            exc.fields[field] = [exc.message]
        raise


def editors(policy: Policy, what: str) -> Policy:
    """``policy`` refusing with a 403 that says who may change ``what``."""
    return explained(policy, EDITORS.format(what))


def text(name: str, label: str, max_length: int, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, ("string",), required=required, max_length=max_length,
                     min_length=1 if required else None)


def whole(name: str, label: str, *, minimum: int = 1, maximum: int = MAX_ID,
          required: bool = False, nullable: bool = False) -> FieldSpec:
    return FieldSpec(name, label, ("integer", "null") if nullable else ("integer",),
                     required=required, minimum=minimum, maximum=maximum)


def optional(specs: Mapping[str, FieldSpec]) -> dict[str, FieldSpec]:
    """``specs`` for a PATCH, where every field may be left out."""
    return {name: replace(spec, required=False) for name, spec in specs.items()}


def _limit_problems(spec: FieldSpec, value: Any) -> list[str]:
    """The limits the document states, so that what it calls invalid is refused here."""
    if isinstance(value, str):
        if spec.max_length is not None and len(value) > spec.max_length:
            return [f"Must be at most {spec.max_length} characters."]
        if spec.min_length and len(value) < spec.min_length:
            return ["Must not be empty."]
        if spec.enum is not None and value not in spec.enum:
            return [f"Must be one of: {', '.join(spec.enum)}."]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return [f"Must be a whole number from {low:g} to {high:g}."]
    return []


def checked(data: Mapping[str, Any], specs: Mapping[str, FieldSpec], *,
            partial: bool = False, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """``data`` once its fields are known, of their JSON types and within their limits."""
    check_shape(data, specs, extra, partial=partial)
    errors = {name: problems for name, spec in specs.items() if name in data
              for problems in [_limit_problems(spec, data[name])] if problems}
    if errors:
        raise invalid(errors, {name: spec.label for name, spec in specs.items()})
    return dict(data)


def new_item(specs: Mapping[str, FieldSpec]) -> dict[str, Any]:
    """A create request's body, checked."""
    return checked(read_json(), specs)


def changes(specs: Mapping[str, FieldSpec]) -> tuple[dict[str, Any], int | None]:
    """A PATCH body's fields to change, checked, and the version the edit was made on
    (428 without one; None for ``If-Match: *``)."""
    data = read_json()
    version = expected_version(data)
    found = {k: v for k, v in checked(data, specs, partial=True, extra=("version",)).items()
             if k in specs}
    if not found:
        raise invalid({"body": [f"Send at least one field to change: {', '.join(specs)}."]})
    return found, version


def delete_version() -> int | None:
    """A DELETE may name the version it saw (If-Match); then a changed item is not removed."""
    if not request.headers.get("If-Match", "").strip():
        return None
    return expected_version({})


def item(body: dict[str, Any], status: int = 200, *, location: str | None = None
         ) -> Response:
    """``body`` as JSON with its version as the ETag, to send back as If-Match."""
    response = jsonify(body)
    response.status_code = status
    if "version" in body:
        response.headers["ETag"] = f'"{body["version"]}"'
    if location:
        response.headers["Location"] = location
    return response


def listing(items: list[dict[str, Any]], **extra: Any) -> Response:
    return jsonify({"items": items, **extra})


def no_content() -> Response:
    return Response(status=204)
