"""Editing one field of a record in place: one field, one form, one fragment.

An area describes its record once with an :class:`Inline` (where its fields are shown,
edited and saved, which version the page holds, whether the user may edit), and its three
routes call :func:`show`, :func:`edit` and :func:`save`. The templates are shared:
``_macros/inline.html`` (the row and its form) and ``inline/`` (fragments and the page a
browser without JavaScript gets).

Versions: every editor on a page carries the record's version in a hidden input of class
``Inline.version_class``. A save answers with the saved row plus an out-of-band input that
htmx swaps into every such input, so the next field saved from the same page is not taken
for someone else's change. A save on a version that is not the record's any more (a real
conflict) comes back as the form with what the person typed still in it, the value saved
meanwhile beside it, and the current version, so a second Save overwrites on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort, url_for
from werkzeug.wrappers import Response
from wtforms import Form

from ..extensions import db
from .errors import DomainError
from .htmx import page_or_fragment
from .versions import VersionConflict, require_version


@dataclass(frozen=True)
class Inline:
    """One record's fields edited in place.

    ``endpoint`` answers GET (the row) and POST (save) with ``url_args`` plus ``field``;
    ``endpoint + "_edit"`` answers GET with the form. ``prefix`` makes the rows' ids
    (``prefix-field``); ``version_class`` names the record's version inputs on the page.
    """

    prefix: str
    endpoint: str
    url_args: Mapping[str, Any]
    fields: Sequence[str]
    version: int
    version_class: str
    can_edit: bool
    back_url: str
    back_label: str

    def url(self, field: str, *, editing: bool = False) -> str:
        endpoint = self.endpoint + ("_edit" if editing else "")
        return url_for(endpoint, **self.url_args, field=field)

    def dom_id(self, field: str) -> str:
        return f"{self.prefix}-{field}"

    def check(self, field: str) -> str:
        """``field`` when it is one of the record's inline fields, else 404."""
        if field not in self.fields:
            abort(404, f"{field!r} is not a field that can be edited here.")
        return field


@dataclass(frozen=True)
class ConflictShown:
    """A save refused because the record moved on: the message and the saved values."""

    message: str
    current: Form


@dataclass(frozen=True)
class Saved:
    """What a save answers with besides the row: out-of-band templates and their context."""

    oob: Sequence[str] = ()
    context: Mapping[str, Any] = field(default_factory=dict)


def _render(kind: str, inline: Inline, form: Form, field: str, status: int = 200,
            **context: Any) -> Response:
    return page_or_fragment("inline/field.html", f"inline/_{kind}.html", status=status,
                            inline=inline, form=form, field=field, mode=kind, **context)


def show(inline: Inline, form: Form, field: str) -> Response:
    return _render("field", inline, form, inline.check(field))


def edit(inline: Inline, form: Form, field: str) -> Response:
    if not inline.can_edit:
        abort(403)
    return _render("form", inline, form, inline.check(field))


def gather_errors(form: Form, field: str) -> None:
    """Show every error on the one field being edited (e.g. 'LSL must be below USL' when
    the user changed USL), since the other fields are not on screen."""
    edited = form[field]
    for name, messages in form.errors.items():
        if name not in (field, "csrf_token"):
            edited.errors = [*edited.errors, *messages]


def show_refusal(form: Form, field: str, exc: DomainError) -> None:
    """A service's refusal on the one field being edited, whichever field it names."""
    edited = form[field]
    edited.errors = [*edited.errors, *(exc.fields.get(field) or [exc.message])]


def save(inline: Inline, form: Form, field: str, version: int | None,
         store: Callable[[int], Any], reload: Callable[[], tuple[Inline, Form]],
         after: Callable[[], Saved] | None = None) -> Response:
    """Validate ``form``, call ``store(version)`` (the area's service), commit, and answer
    with the saved row. No version: 428. A stale version: 409 with the typed value kept and
    the current one shown; ``reload()`` gives the record's editor and form as saved now.
    A service's refusal (a ``DomainError``) is the form again with its message."""
    field = inline.check(field)
    if not form.validate():
        gather_errors(form, field)
        return _render("form", inline, form, field, status=422)
    expected = require_version(version)
    try:
        store(expected)
    except VersionConflict as exc:
        db.session.rollback()
        current, current_form = reload()
        form["version"].data = str(current.version)
        return _render("form", current, form, field, status=409,
                       conflict=ConflictShown(exc.message, current_form))
    except DomainError as exc:
        # A rule the form cannot know (a due date before the record was created, an owner
        # no longer active): the service's message beside the field, nothing saved.
        db.session.rollback()
        show_refusal(form, field, exc)
        return _render("form", inline, form, field, status=exc.status)
    db.session.commit()
    saved_inline, saved_form = reload()
    extra = after() if after is not None else Saved()
    return _render("saved", saved_inline, saved_form, field, oob_templates=extra.oob,
                   **extra.context)
