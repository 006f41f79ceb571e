"""Small helpers shared by the forms of every area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, SelectField

from .errors import DomainError
from .validators import parse_whole


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs; WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_id(value: Any) -> int | None:
    """A select's value as a row id; the empty option (rendered as "" or "None") is None.
    ASCII digits only, below 2**31 (``int("٣")`` would be 3)."""
    if value in (None, "", "None"):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else parse_whole(
        str(value), minimum=0)


class IdSelectField(SelectField):
    """A select of database rows (people, org units) whose choices are set per request."""

    def __init__(self, label: str | None = None, validators: Any = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("coerce", optional_id)
        kwargs.setdefault("invalid_value_message", "Not a valid choice.")
        super().__init__(label, validators, **kwargs)


def form_error(form: Form) -> DomainError:
    """The errors of a form that has no page of its own to show them on, as one
    DomainError whose message names the first field at fault."""
    for name, messages in form.errors.items():
        field = getattr(form, name, None)
        label = field.label.text if field is not None else name
        return DomainError(f"{label}: {messages[0]}", fields=dict(form.errors))
    return DomainError("Invalid input.")


def show_errors(form: Form, exc: DomainError) -> None:
    """Put a service's refusal on the form that was sent: beside each field it names, or
    above the form when it names none of the form's fields."""
    placed = False
    for name, messages in exc.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
            placed = True
    if not placed:
        form.form_errors.append(exc.message)


class ServiceForm(FlaskForm):
    """A form whose service may refuse it with a DomainError."""

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal next to the field it names, or above the form."""
        for name, messages in exc.fields.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, *messages]
            else:
                self.form_errors.append(" ".join(messages))
        if not exc.fields:
            self.form_errors.append(exc.message)
