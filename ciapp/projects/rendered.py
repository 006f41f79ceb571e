"""The project list's filter form, filter bar and rows, made once and kept by what they show.

The list is the busiest page, and most of its HTML comes out the same on every view: the
filter bar (six fields drawn through the ``render_field`` macro and WTForms' label and
attribute code, the largest single cost of the page) and the table's rows. Each is kept,
per app, in a bounded least-recently-used memo whose key is every value the HTML is drawn
from, so nothing shown can be stale: a renamed person or a new unit changes the filter's
choices, an edited project changes its row, and either simply makes a new entry. On a miss
the HTML comes from the same template code as ever (the macro the template passes in).

The filter form itself (seven WTForms fields built and checked, a tenth of the page) is
kept too, validated, for each query string and set of menus, while checking it reads nothing
from the database: see ``filter_form``.

While templates reload (debug), nothing is kept: an edited template shows at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask import current_app
from markupsafe import Markup
from wtforms import SelectChoice

from . import filter_choices
from .forms import FilterForm
from .listing import ProjectRow

# Every field of a row, so that no change to a project or the names it shows can be missed.
_row_values = attrgetter(*(f.name for f in fields(ProjectRow)))

if TYPE_CHECKING:
    from flask import Flask
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

V = TypeVar("V")

EXTENSION = "ciapp.projects.rendered"
# A filter bar is ~6 kB (the lead filter lists everyone), a row ~0.6 kB: a few MB at most.
BAR_ENTRIES = 256
ROW_ENTRIES = 4096
FORM_ENTRIES = 256
MAX_KEPT_INPUT = 300  # characters typed into the bar's fields (the search allows 100)


class Memo(Generic[V]):
    """A bounded map by key (to rendered HTML, or to kept forms) that forgets the least
    recently used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share it

    def __len__(self) -> int:
        return len(self._items)

    def get_many(self, keys: Sequence[Hashable]) -> list[V | None]:
        with self._lock:
            found = [self._items.get(key) for key in keys]
            for key, value in zip(keys, found, strict=True):
                if value is not None:
                    self._items.move_to_end(key)
        return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Memos:
    def __init__(self) -> None:
        self.bars: Memo[str] = Memo(BAR_ENTRIES)
        self.rows: Memo[str] = Memo(ROW_ENTRIES)
        # query arguments and menus -> (the validated form, the menus it offers)
        self.forms: Memo[tuple[FilterForm, Any, Any]] = Memo(FORM_ENTRIES)


def register(app: Flask) -> None:
    app.extensions[EXTENSION] = Memos()
    app.add_template_global(filter_bar, "filter_bar")
    app.add_template_global(project_rows, "project_rows")


def _memos() -> Memos | None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.jinja_env.auto_reload:
        return None
    memos: Memos | None = app.extensions.get(EXTENSION)
    return memos


def filter_form(args: MultiDict[str, str], *, drawn: bool) -> FilterForm:
    """The list's ``FilterForm`` of the query arguments ``args``, validated.

    For a page that draws the filter bar (``drawn``), one form object serves every request
    with the same arguments and the same lead and unit menus while it is kept, so the page
    must only read it (the list's route and templates do). It is made afresh, and not kept,
    when a lead or a unit is chosen (that choice is checked against the database on every
    request), when the arguments are long, and while templates reload. A fragment, which
    draws no menus, gets a form of its own and reads no menus."""
    items = tuple(args.items(multi=True))
    memos = _memos()
    if not drawn or memos is None \
            or any(args.get(name) for name in FilterForm.CHECKED_BY_DATABASE) \
            or sum(len(name) + len(value) for name, value in items) > MAX_KEPT_INPUT:
        return _validated(FilterForm(args))
    people, units = filter_choices.people(), filter_choices.units()
    # The menus by identity (a new offer is a new list), held by the entry so that their
    # ids stay theirs while it is kept.
    key = (items, id(people), id(units))
    kept = memos.forms.get_many([key])[0]
    if kept is None:
        form = _validated(FilterForm(args))
        # Worked out now, before other requests (threads) read the same form; the menus
        # are then these or newer ones, never older.
        form.org_unit_id.choices  # noqa: B018
        form.lead_id.choices  # noqa: B018
        kept = (form, people, units)
        memos.forms.put(key, kept)
    return kept[0]


def _validated(form: FilterForm) -> FilterForm:
    form.validate()
    form.errors  # noqa: B018  (worked out on first use, and kept by the form)
    return form


def filter_bar(form: Form, names: Sequence[str], draw: Callable[..., Markup],
               *args: Hashable) -> Markup:
    """``draw(form, *args)``, the filter bar, kept by the state of its fields ``names``
    (data, raw input, errors, choices) and ``args`` (the form's address): all it shows.
    A bar with long typed input is drawn every time: kept, a few such requests could
    fill the memory with their keys."""
    memos = _memos()
    try:
        if sum(len(str(value)) for name in names for value in form[name].raw_data or ()) \
                > MAX_KEPT_INPUT:
            raise TypeError("long input")
        key = (type(form), form._prefix, tuple(_field_state(form[name]) for name in names),
               args)
        hash(key)
    except TypeError:  # long input, or a value that cannot be a key (a lazy string)
        memos = None
    if memos is None:
        return draw(form, *args)
    html = memos.bars.get_many([key])[0]
    if html is None:
        html = str(draw(form, *args))
        memos.bars.put(key, html)
    return Markup(html)  # nosec B704: the macro's own output, escaped when it was drawn


def _field_state(field: Any) -> tuple[Any, ...]:
    choices = getattr(field, "choices", None)
    if choices is not None:
        # The people's and units' (id, name) pairs as they are: a call per choice was
        # most of the key's cost.
        choices = (tuple(choices) if set(map(type, choices)) == {tuple}
                   else tuple(map(_choice, choices)))
    return (field.name, field.data, tuple(field.raw_data or ()), tuple(field.errors), choices)


def _choice(choice: Any) -> Any:
    if isinstance(choice, SelectChoice):
        if choice.render_kw or choice.optgroup is not None:
            raise TypeError("a choice with attributes is drawn uncached")
        return (choice.value, choice.label)
    return tuple(choice)


def project_rows(rows: Iterable[Any], draw: Callable[..., Markup], *args: Hashable) -> Markup:
    """``draw(row, *args)`` for each row, joined: each kept by the row's whole value (every
    field of its ``ProjectRow``: key, title, type, phase, status, lead and unit with their
    names) and ``args`` (the link's address). Anything else (a ``Project``, whose hash is
    its identity, not its value) is drawn every time."""
    rows = list(rows)
    memos = _memos()
    if not all(type(row) is ProjectRow for row in rows):
        memos = None
    # Plain tuples of every field: the dataclass's own __eq__ and __hash__ (Python code)
    # cost more than the lookups themselves.
    keys = [(*_row_values(row), args) for row in rows] if memos is not None else rows
    found = memos.rows.get_many(keys) if memos is not None else [None] * len(rows)
    html = []
    for row, key, kept in zip(rows, keys, found, strict=True):
        if kept is None:
            kept = str(draw(row, *args))
            if memos is not None:
                memos.rows.put(key, kept)
        html.append(kept)
    return Markup("".join(html))  # nosec B704: the macro's output, escaped when drawn
