from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..core.forms import options


class RequestReviewForm(FlaskForm):
    note = TextAreaField("Note to the council", validators=[Length(max=2000)])


class DecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=options([("approve", "Approve"),
                                                       ("return", "Send back")]),
                          validators=[InputRequired("Choose Approve or Send back.")])
    comment = TextAreaField("Comment", validators=[Length(max=4000)])
    override_reason = TextAreaField("Override reason (needed when criteria are unmet)",
                                    validators=[Length(max=4000)])
