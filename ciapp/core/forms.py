"""Small helpers shared by the forms of every area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import Form, SelectChoice

from .errors import DomainError


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs; WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def form_error(form: Form) -> DomainError:
    """The errors of a form that has no page of its own to show them on, as one
    DomainError whose message names the first field at fault."""
    for name, messages in form.errors.items():
        field = getattr(form, name, None)
        label = field.label.text if field is not None else name
        return DomainError(f"{label}: {messages[0]}", fields=dict(form.errors))
    return DomainError("Invalid input.")
