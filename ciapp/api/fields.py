"""The JSON shape of form fields, read off the WTForms classes the HTML pages use.

The API checks JSON types with these specs and then validates through the very same form,
and the OpenAPI document describes the same specs, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import IdSelectField
from ..core.validators import check_finite, parse_date

_TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number"}


@dataclass(frozen=True)
class FieldSpec:
    """One input: its JSON types (``"null"`` among them when it may be cleared) and limits."""

    name: str
    label: str
    types: tuple[str, ...]
    required: bool = False
    max_length: int | None = None
    min_length: int | None = None
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    format: str | None = None
    default: Any = None

    @property
    def nullable(self) -> bool:
        return "null" in self.types

    def schema(self) -> dict[str, Any]:
        """A JSON Schema (OpenAPI 3.1) for this field."""
        schema: dict[str, Any] = {
            "type": list(self.types) if len(self.types) > 1 else self.types[0],
            "title": self.label,
        }
        extras = {"maxLength": self.max_length, "minLength": self.min_length,
                  "minimum": self.minimum, "maximum": self.maximum, "format": self.format,
                  "default": self.default}
        schema |= {k: v for k, v in extras.items() if v is not None}
        if self.enum is not None:
            schema["enum"] = list(self.enum) + ([None] if self.nullable else [])
        return schema

    def problems(self, value: Any) -> list[str]:
        """What is wrong with the JSON type of ``value``; the form checks everything else."""
        if value is None:
            return [] if self.nullable else ["Must not be null."]
        kind = json_type(value)
        if kind == "integer" and "number" in self.types:
            kind = "number"
        if kind not in self.types:
            words = [_TYPE_WORDS.get(t, t) for t in self.types if t != "null"]
            return [f"Must be {' or '.join(words)}{' or null' if self.nullable else ''}."]
        if kind == "string":
            return _string_problems(value) or self._format_problems(value)
        if kind == "number":
            try:
                check_finite(value)
            except ValueError as exc:
                return [str(exc)]
        return []

    def _format_problems(self, value: str) -> list[str]:
        if self.format != "date":
            return []
        # The form would take "" as "no date"; in JSON that is null, so "" is a mistake.
        try:
            parse_date(value)
        except ValueError as exc:
            clear = " Send null to clear it." if self.nullable else ""
            return [str(exc) + clear]
        return []


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _string_problems(value: str) -> list[str]:
    # Neither database stores these: PostgreSQL refuses NUL, and lone surrogates are not UTF-8.
    if "\x00" in value:
        return ["Must not contain NUL characters."]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return ["Must be valid Unicode text."]
    return []


def spec_of(name: str, unbound: UnboundField) -> FieldSpec:
    """Describe one declared field of a form class, without instantiating the form."""
    kwargs = unbound.kwargs
    validators = list(kwargs.get("validators") or [])
    label = unbound.args[0] if unbound.args else kwargs.get("label", name)
    cls = unbound.field_class
    needed = any(isinstance(v, DataRequired | InputRequired) for v in validators)
    # A needed field with a default (alpha, a team member's role) may be left out of the JSON.
    required = needed and kwargs.get("default") is None
    length = next((v for v in validators if isinstance(v, Length)), None)
    bounds = next((v for v in validators if isinstance(v, NumberRange)), None)
    spec: dict[str, Any] = {"name": name, "label": label, "required": required,
                            "default": kwargs.get("default")}
    if length is not None:
        spec["max_length"] = length.max if length.max != -1 else None
    if any(isinstance(v, DataRequired) for v in validators):
        spec["min_length"] = 1
    if bounds is not None:
        spec["minimum"], spec["maximum"] = bounds.min, bounds.max
    optional = any(isinstance(v, Optional) for v in validators)
    if issubclass(cls, IdSelectField):
        # Choices filled at runtime from the database: ids of people or org units.
        return FieldSpec(**spec, types=("integer",) if needed else ("integer", "null"))
    if issubclass(cls, SelectField):
        values = tuple(_choice_value(c) for c in kwargs.get("choices") or ())
        return FieldSpec(**spec, types=("string",), enum=tuple(v for v in values if v != ""))
    if issubclass(cls, DateField):
        return FieldSpec(**spec, types=("string", "null"), format="date")
    if issubclass(cls, FloatField):
        return FieldSpec(**spec, types=("number",) if needed else ("number", "null"))
    if issubclass(cls, IntegerField):
        return FieldSpec(**spec, types=("integer", "null") if optional else ("integer",))
    if issubclass(cls, StringField):
        return FieldSpec(**spec, types=("string",))
    raise TypeError(f"no JSON shape for {cls.__name__} field {name!r}")


def _choice_value(choice: Any) -> str:
    return choice.value if isinstance(choice, SelectChoice) else choice[0]


def specs_of(form_class: type, names: tuple[str, ...]) -> dict[str, FieldSpec]:
    return {name: spec_of(name, getattr(form_class, name)) for name in names}
