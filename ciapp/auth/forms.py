from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[lambda value: value.strip() if value else value])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
