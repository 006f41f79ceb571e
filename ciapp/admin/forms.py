"""Forms of the admin pages. Choices are loaded when a form is built, never at import."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from ..auth.models import BELT_LABELS, ROLE_LABELS, BeltLevel, Role
from ..auth.services import MIN_PASSWORD
from ..core.forms import IdSelectField, ServiceForm
from ..orgunits import services as orgunits

ROLE_CHOICES = [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role]
BELT_CHOICES = [SelectChoice(b.value, BELT_LABELS[b]) for b in BeltLevel]
NO_UNIT = SelectChoice("", "— none —")
NAME = [DataRequired(), Length(max=orgunits.NAME_MAX)]
PASSWORD = [DataRequired(), Length(max=200),
            Length(min=MIN_PASSWORD, message=f"The password needs at least {MIN_PASSWORD} "
                                             "characters.")]



class AdminForm(ServiceForm):
    """The forms of this area; a refused save shows beside its field."""


class UserFields(AdminForm):
    name = StringField("Full name", validators=NAME)
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.MEMBER.value)
    belt_level = SelectField("Belt level", choices=BELT_CHOICES, default=BeltLevel.NONE.value)
    org_unit_id = IdSelectField("Site / area")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_unit_id.choices = [NO_UNIT, *(SelectChoice(str(i), label)
                                               for i, label in orgunits.choices())]

    def values(self) -> dict[str, Any]:
        names = [n for n in ("email", "name", "role", "belt_level", "org_unit_id", "active",
                             "password") if hasattr(self, n)]
        return {n: getattr(self, n).data for n in names}


class UserCreateForm(UserFields):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Initial password", validators=PASSWORD)


class UserEditForm(UserFields):
    active = BooleanField("Active (may sign in)")


class PasswordResetForm(AdminForm):
    password = PasswordField("New password", validators=PASSWORD)
    confirm = PasswordField("Repeat the new password", validators=[
        InputRequired(), EqualTo("password", "The passwords differ.")])


class SiteForm(AdminForm):
    name = StringField("Site name", validators=NAME)


class AreaForm(AdminForm):
    site_id = IdSelectField("Site", validators=[InputRequired()])
    name = StringField("Area name", validators=NAME)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_id.choices = [SelectChoice(str(n.site.id), n.site.name)
                                for n in orgunits.site_tree()]


class RenameForm(AdminForm):
    name = StringField("New name", validators=NAME)
