from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from ..core.fields import WholeNumberField, within
from ..core.forms import ServiceForm
from .services import MIN_PASSWORD
from .tokens import DEFAULT_DAYS, MAX_DAYS, NAME_MAX


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[lambda value: value.strip() if value else value])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class AccountForm(ServiceForm):
    """The forms of this area; a refused save shows beside its field."""


class ChangePasswordForm(AccountForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField("New password", validators=[
        DataRequired(), Length(max=200),
        Length(min=MIN_PASSWORD, message=f"The password needs at least {MIN_PASSWORD} "
                                         "characters.")])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="The two new passwords differ.")])


class TokenForm(AccountForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)],
                       filters=[lambda value: value.strip() if value else value])
    # ASCII digits only, as every number field: int() would also take "١٢" or "1_0".
    expires_days = WholeNumberField(
        "Expires after (days)", default=DEFAULT_DAYS,
        validators=[InputRequired(message="Enter a number of days."),
                    within(1, MAX_DAYS, whole=True)])
