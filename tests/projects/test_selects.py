"""The list filters' quick select (ciapp/projects/selects.py) accepts and refuses exactly
what WTForms' own select does, with the same words."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.validators import InputRequired, Optional

from ciapp.core.forms import options
from ciapp.projects.selects import QuickSelectField

CHOICES = options([("", "Any"), ("dmaic", "DMAIC"), ("kaizen", "Kaizen"), ("<b>", "Bold & co")])


class Quick(Form):
    kind = QuickSelectField("Kind", choices=CHOICES, validators=[Optional()])
    number = QuickSelectField("Number", choices=options([(1, "one"), (2, "two")]), coerce=int,
                              validators=[InputRequired()])


class Stock(Form):
    kind = SelectField("Kind", choices=CHOICES, validators=[Optional()])
    number = SelectField("Number", choices=options([(1, "one"), (2, "two")]), coerce=int,
                         validators=[InputRequired()])


@pytest.mark.parametrize("sent", [
    {}, {"kind": ""}, {"kind": "kaizen"}, {"kind": "<b>"}, {"kind": "six-sigma"},
    {"kind": "KAIZEN"}, {"number": "2"}, {"number": "3"}, {"number": "x"}, {"number": ""},
    {"kind": "dmaic", "number": "1"},
])
def test_quick_select_checks_as_wtforms_does(sent: dict[str, Any]) -> None:
    quick, stock = Quick(MultiDict(sent)), Stock(MultiDict(sent))
    assert quick.validate() == stock.validate()
    assert quick.errors == stock.errors


def test_a_value_not_offered_is_named_as_such() -> None:
    form = Quick(MultiDict({"kind": "six-sigma", "number": "1"}))
    assert not form.validate()
    assert form.errors == {"kind": ["Not a valid choice."]}
