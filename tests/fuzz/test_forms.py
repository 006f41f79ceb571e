"""Every HTML form, posted with Hypothesis-drawn values: never a 500; a refusal (4xx) says
what was wrong and leaves every table as it was.

The forms are found, not listed: every non-API route that takes a POST is tried, signed in
as a role its access policy allows (``tests/test_permissions.py``'s table, the lead where
only the lead may), on that test's sample world (a project with a review, a data set, an
import draft, root causes, benefits, a KPI, an idea...). A first, empty post records the
fields the view reads (``request.form``, ``request.files``, the WTForms forms it builds with
their choices, the inline editor's field names); the fuzzer then posts drawn values for them,
leaving some out and adding strangers. A new form is fuzzed without touching this file.

The world is committed once per module and each example runs in a transaction rolled back
after it, so every example starts from the same rows (``BEFORE``) and is checked against them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask, url_for
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from wtforms.form import BaseForm

from ciapp import create_app
from ciapp.core.inline import Inline
from ciapp.extensions import db as _db
from tests.conftest import empty_all_tables, rolled_back, sign_in
from tests.fuzz.strategies import fuzz_settings, hostile_text
from tests.ops.test_faults import every_row
from tests.test_permissions import PUBLIC, _url_args, _world, expected_for

# Routes not fuzzed, and why. Everything else that takes a POST outside /api/ is.
SKIPPED = {
    "auth.login": "a failed sign-in is recorded on purpose (the throttle); tests/auth covers it",
    "auth.logout": "takes no fields and ends the fuzzer's own session",
    "leadership.email_send": "sends the monthly e-mail (writes the outbox) whatever is posted",
}
# Tables a refused form changes on purpose: a wrong current password is counted (and
# committed before the slow hash) so that guessing it is throttled like signing in.
CHANGED_BY_DESIGN = {"auth.change_password": {"login_throttles"}}
EXAMPLES = 6  # per form; an inline editor gets 2 per field


def _form_endpoints() -> list[str]:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = {rule.endpoint for rule in app.url_map.iter_rules()
             if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")}
    return sorted(found - set(SKIPPED))


ENDPOINTS = _form_endpoints()


# --- what a view reads -----------------------------------------------------------------


@dataclass
class Reads:
    form: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    choices: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # WTForms field -> what it holds
    inline: tuple[str, ...] = ()


class _Recording(ImmutableMultiDict):  # type: ignore[type-arg]
    """A request's form (or files) that notes every name the view asks for."""

    names: set[str]

    def _note(self, key: Any) -> None:
        if isinstance(key, str):
            self.names.add(key)

    def __getitem__(self, key: Any) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> Any:  # noqa: A002
        self._note(key)
        return super().getlist(key, type)


def _recording(data: Any, names: set[str]) -> _Recording:
    out = _Recording(data)
    out.names = names
    return out


KINDS = {"DateField": "date", "DateTimeField": "date", "DecimalField": "number",
         "FloatField": "number", "IntegerField": "number", "BooleanField": "flag",
         "EmailField": "email", "PasswordField": "password", "FileField": "file"}


def _kind(item: Any) -> str:
    return next((KINDS[c.__name__] for c in type(item).__mro__ if c.__name__ in KINDS), "text")


def _kind_by_name(name: str) -> str | None:
    """What a field read straight from ``request.form`` probably holds, by its name."""
    words = set(name.lower().replace("-", "_").split("_"))
    if "version" in words:
        return "version"
    if words & {"month"}:
        return "month"
    if words & {"date", "period", "due", "start", "end", "day", "when"}:
        return "date"
    if words & {"value", "amount", "n", "alpha", "lsl", "usl", "target", "quantity",
                "effort", "impact", "severity", "occurrence", "detection", "size"}:
        return "number"
    return None


@contextmanager
def recording(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Reads]:
    reads = Reads()
    base = app.request_class

    class RecordingRequest(base):  # type: ignore[valid-type, misc]
        def _load_form_data(self) -> None:
            super()._load_form_data()
            self.__dict__["form"] = _recording(self.__dict__["form"], reads.form)
            self.__dict__["files"] = _recording(self.__dict__["files"], reads.files)

    process, validate = BaseForm.process, BaseForm.validate

    def note_fields(form: BaseForm) -> None:
        for item in form:
            reads.form.add(item.name)
            reads.kinds[item.name] = _kind(item)
            if hasattr(item, "iter_choices"):
                with suppress(TypeError, ValueError):  # choices the view has not set yet
                    reads.choices.setdefault(item.name, set()).update(
                        str(choice[0]) for choice in item.iter_choices())

    def noting_process(form: BaseForm, *args: Any, **kwargs: Any) -> None:
        process(form, *args, **kwargs)
        note_fields(form)

    def noting_validate(form: BaseForm, *args: Any, **kwargs: Any) -> bool:
        note_fields(form)  # choices of people and units are set between the two
        return validate(form, *args, **kwargs)

    check = Inline.check

    def noting_check(inline: Inline, name: str) -> str:
        reads.inline = tuple(inline.fields)
        return check(inline, name)

    monkeypatch.setattr(BaseForm, "process", noting_process)
    monkeypatch.setattr(BaseForm, "validate", noting_validate)
    monkeypatch.setattr(Inline, "check", noting_check)
    app.request_class = RecordingRequest
    try:
        yield reads
    finally:
        app.request_class = base
        monkeypatch.undo()


# --- the world -------------------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Any]
    args: dict[str, dict[str, Any]]  # endpoint -> its URL's arguments
    role: dict[str, str]  # endpoint -> who posts to it
    ids: tuple[str, ...]  # every id of the world, as text: plausible select values
    before: dict[str, list[str]]


def _poster(endpoint: str) -> str:
    allowed = expected_for(endpoint)
    if allowed == PUBLIC:
        return "viewer"
    if not allowed:
        return "lead"  # the lead only (an import draft, asking for a gate, project health)
    return "admin" if "admin" in allowed else sorted(allowed)[0]


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        try:
            made = _world()
            users = {**made["users"], "lead": made["project"].lead}
            clients = {}
            for role, user in users.items():
                clients[role] = app.test_client()
                sign_in(clients[role], user)
            roles = {e: _poster(e) for e in ENDPOINTS}
            with app.test_request_context():
                args = {}
                for endpoint in ENDPOINTS:
                    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
                    args[endpoint] = _url_args(rule, made, roles[endpoint])
            ids = sorted({str(v) for a in args.values() for v in a.values() if
                          isinstance(v, int)} | {str(u.id) for u in users.values()} |
                         {str(made["site"].id), str(made["area"].id)})
            _db.session.commit()
            with rolled_back():
                before = every_row()
            yield World(clients, args, roles, tuple(ids), before)
        finally:
            _db.session.rollback()
            empty_all_tables()
            _db.session.remove()


def _url(app: Flask, endpoint: str, args: dict[str, Any]) -> str:
    with app.test_request_context():
        return url_for(endpoint, **args)


def _probe(app: Flask, world: World, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Reads:
    """Post an almost empty form and note what the view reads; then post again with those
    names filled in (and a small CSV for each file it asked for), which finds the fields a
    view reads only once the first ones are there, and the fields of an inline editor, whose
    sample field name in the URL may not be one of its own."""
    client = world.clients[world.role[endpoint]]
    url = _url(app, endpoint, world.args[endpoint])
    with recording(app, monkeypatch) as reads, rolled_back():
        first = client.post(url, data={"_probe": "1"})
        assert first.status_code not in (401, 403), f"{url} as {world.role[endpoint]}"
        if reads.inline:
            url = _url(app, endpoint, {**world.args[endpoint], "field": reads.inline[0]})
        files = {name: (io.BytesIO(b"period,value\n2026-01-05,1.5\n"), "a.csv")
                 for name in reads.files}
        client.post(url, data={**dict.fromkeys(reads.form, "1"), **files},
                    content_type="multipart/form-data")
    return reads


# --- the property ----------------------------------------------------------------------


WORDS = st.sampled_from(["Reduce scrap on line 3", "Late trucks", "Weekly audit", "Ops",
                         "Vent cleaning", "The press is down"])
PLAUSIBLE = {
    "date": st.dates(date(2025, 1, 1), date(2026, 6, 30)).map(date.isoformat),
    "number": st.one_of(st.integers(0, 500).map(str), st.sampled_from(["0.05", "12.5"])),
    "month": st.dates(date(2025, 1, 1), date(2026, 6, 30)).map(lambda d: f"{d:%Y-%m}"),
    "version": st.sampled_from(["1", "2"]),  # what the page holds, or one change behind
    "flag": st.sampled_from(["y", ""]),
    "email": st.from_regex(r"[a-z]{3,8}@example\.com", fullmatch=True),
    "password": st.just("correct horse battery staple 9"),
    "text": WORDS,
}


def _values(name: str, reads: Reads, world: World) -> st.SearchStrategy[Any]:
    """Mostly what the field expects (one of its choices, a date, a number, a few words, an
    id of the world), otherwise hostile text or several values for one name."""
    choices = sorted(reads.choices.get(name, set()))
    kind = _kind_by_name(name) if name == "version" else \
        reads.kinds.get(name) or _kind_by_name(name)
    plausible = st.sampled_from(choices) if choices else PLAUSIBLE[kind] if kind in PLAUSIBLE \
        else st.one_of(st.sampled_from(world.ids), WORDS)
    return st.one_of(plausible, plausible, hostile_text(),
                     st.lists(st.one_of(plausible, hostile_text()), min_size=2, max_size=3))


def _form(reads: Reads, world: World) -> st.SearchStrategy[dict[str, Any]]:
    known = sorted(reads.form - {"_probe", "csrf_token"})
    values = {n: _values(n, reads, world) for n in known}
    fields = st.one_of(st.fixed_dictionaries(values),  # every field the view reads, or some
                       st.fixed_dictionaries({}, optional=values))
    files = st.fixed_dictionaries({}, optional={
        n: st.tuples(st.binary(max_size=200).map(io.BytesIO),
                     st.sampled_from(["a.csv", "b.xlsx", "c.png", "", "../../x.pdf"]))
        for n in sorted(reads.files)})
    strangers = st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), hostile_text(),
                                max_size=2)
    return st.builds(lambda s, f, d: {**s, **f, **d}, strangers, fields, files)


def _changed(before: dict[str, list[str]], endpoint: str) -> list[str]:
    _db.session.expire_all()
    after = every_row()
    return sorted(name for name in before if before[name] != after[name]
                  and name not in CHANGED_BY_DESIGN.get(endpoint, ()))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_form_refuses_hostile_input_cleanly(app: Flask, world: World, endpoint: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    reads = _probe(app, world, endpoint, monkeypatch)
    client = world.clients[world.role[endpoint]]
    args = world.args[endpoint]
    paths = [_url(app, endpoint, {**args, "field": name}) for name in reads.inline] \
        or [_url(app, endpoint, args)]

    @fuzz_settings(EXAMPLES if len(paths) == 1 else max(EXAMPLES, 2 * len(paths)))
    @given(url=st.sampled_from(paths), data=_form(reads, world))
    def posting(url: str, data: dict[str, Any]) -> None:
        with rolled_back():
            response = client.post(url, data=data, content_type="multipart/form-data")
            status = response.status_code
            assert status < 500, f"{url} answered {status} to {data!r}"
            if status >= 400:
                assert response.get_data(as_text=True).strip(), f"{url}: an empty {status}"
                changed = _changed(world.before, endpoint)
                assert changed == [], f"{url} half-saved {changed} on {data!r} ({status})"

    posting()


def test_the_skipped_routes_still_exist() -> None:
    """A skip outlives its route only by mistake."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert set(SKIPPED) <= {rule.endpoint for rule in app.url_map.iter_rules()}
    assert len(ENDPOINTS) > 80


def test_a_file_sent_in_place_of_pasted_cells_is_refused(app: Flask, world: World) -> None:
    """Found by the fuzzer: the programme import read a file part named "cells" as text
    (a FileStorage has no ``strip``), a 500."""
    with rolled_back():
        response = world.clients["admin"].post(
            _url(app, "programme.upload", {"kind": "projects"}),
            content_type="multipart/form-data",
            data={"cells": (io.BytesIO(b"title\nKanban\n"), "cells.csv")})
        assert response.status_code == 422
        assert "Choose a file to upload, or paste the cells." in response.get_data(as_text=True)
