"""Project charter forms; the JSON API validates with the same forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.errors import DomainError
from ..core.fields import IsoDateField, NumberField, WholeNumberField, within
from ..core.forms import IdSelectField, options
from . import filter_choices, services
from .phases import METHODOLOGY_LABELS, PHASES, STATUS_LABELS, Methodology, phase_label
from .selects import QuickSelectField, RowSelectField

TEXT_MAX = 5000
# Far past any real list, and small enough that page * page size stays a valid SQL offset.
MAX_PAGE = 1_000_000
BETTER_CHOICES = [("lower", "Lower is better"), ("higher", "Higher is better")]



def _model_value(field: Any) -> Any:
    if isinstance(field, StringField):  # TextAreaField is a StringField
        return (field.data or "").strip()
    return field.data


class CharterForm(FlaskForm):
    """Every scope field of a project. ``FIELDS`` maps form fields to model columns."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    methodology = SelectField(
        "Methodology", choices=options((m.value, METHODOLOGY_LABELS[m]) for m in Methodology),
        default=Methodology.DMAIC.value)
    problem = TextAreaField("Problem statement", validators=[Length(max=TEXT_MAX)])
    goal = TextAreaField("Goal", validators=[Length(max=TEXT_MAX)])
    in_scope = TextAreaField("In scope", validators=[Length(max=TEXT_MAX)])
    out_of_scope = TextAreaField("Out of scope", validators=[Length(max=TEXT_MAX)])
    business_case = TextAreaField("Business case", validators=[Length(max=TEXT_MAX)])
    sponsor_id = IdSelectField("Sponsor", validate_choice=True)
    lead_id = IdSelectField("Project lead", validate_choice=True)
    org_unit_id = IdSelectField("Site / area", validate_choice=True)
    start_date = IsoDateField("Start date", validators=[Optional()])
    target_date = IsoDateField("Target date", validators=[Optional()])
    metric_name = StringField("Primary metric", validators=[Length(max=120)])
    metric_unit = StringField("Unit", validators=[Length(max=40)])
    metric_better = SelectField("Better is", choices=options(BETTER_CHOICES), default="lower")
    lsl = NumberField("LSL", validators=[Optional()])
    usl = NumberField("USL", validators=[Optional()])
    target = NumberField("Target", validators=[Optional()])
    alpha = NumberField("Alpha", default=0.05,
                        validators=[InputRequired(), within(0.001, 0.2)])
    version = HiddenField()

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        """``people``: the choices of ``services.person_choices()`` when the caller has
        them already (the project page builds three forms that offer everyone)."""
        super().__init__(*args, **kwargs)
        people = [(None, "— none —"), *_people(people)]
        self.sponsor_id.choices = people
        self.lead_id.choices = people
        self.org_unit_id.choices = [(None, "— none —"), *services.unit_choices()]

    def values(self, only: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The model values of the form: text stripped, and an absent text field is ''."""
        names = only or services.CHARTER_FIELDS
        return {name: _model_value(getattr(self, name)) for name in names}

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        # The rules across fields run even when a field failed on its own (with that field
        # left out), so one submit names every mistake, not one kind per try.
        values = {name: None if getattr(self, name).errors else value
                  for name, value in self.values().items()}
        try:
            services.check_charter(values)
        except DomainError as exc:
            for field, messages in exc.fields.items():
                getattr(self, field).errors.extend(messages)
            return False
        return ok


INLINE_FIELDS: tuple[str, ...] = tuple(
    f for f in services.CHARTER_FIELDS if f != "methodology")


class SponsorForm(FlaskForm):
    """The council's control on the team card: it names the sponsor of any project, even
    one it does not edit, since the sponsor decides the project's gate reviews."""

    sponsor_id = IdSelectField("Sponsor", validate_choice=True)
    version = HiddenField()

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sponsor_id.choices = [(None, "— none —"), *_people(people)]


class TeamMemberForm(FlaskForm):
    user_id = IdSelectField("Person", validators=[InputRequired()])
    role = StringField("Role on the team", default="Team member",
                       validators=[DataRequired(), Length(max=80)])

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices = list(_people(people))

    def offer(self, project: Any) -> TeamMemberForm:
        """Offer only people not on the team card yet (lead, sponsor and team are)."""
        taken = {project.lead_id, project.sponsor_id, *(m.user_id for m in project.team)}
        self.user_id.choices = [(id_, name) for id_, name in self.user_id.choices
                                if id_ not in taken]
        return self


class StatusForm(FlaskForm):
    """Every move is a valid choice when the form is read, so a stale page that offers
    Resume on a project someone else resumed gets the service's reason ("cannot be
    resumed"); the menu itself offers only the moves that apply (``offer``)."""

    action = SelectField("Action", choices=options(services.TRANSITION_LABELS.items()))
    reason = TextAreaField("Reason", validators=[Length(max=2000)])

    def offer(self, project: Any) -> StatusForm:
        self.action.choices = options((action, services.TRANSITION_LABELS[action])
                                      for action in services.status_actions(project))
        return self


class FilterForm(FlaskForm):
    """The project list's filters, read from the query string."""

    class Meta:
        csrf = False

    # The fields the filter bar draws, in order (the page number is not one of them).
    BAR = ("q", "methodology", "phase", "status", "org_unit_id", "lead_id")
    # The fields whose sent value is checked against the database (RowSelectField).
    CHECKED_BY_DATABASE = ("org_unit_id", "lead_id")

    q = StringField("Search", validators=[Optional(), Length(max=100)])
    methodology = QuickSelectField("Methodology", choices=options([("", "Any")] + [
        (m.value, METHODOLOGY_LABELS[m]) for m in Methodology]), validators=[Optional()])
    phase = QuickSelectField("Phase", choices=options([("", "Any")] + [
        (p.value, f"{phase_label('dmaic', p)} / {phase_label('kaizen', p)}") for p in PHASES]),
        validators=[Optional()])
    status = QuickSelectField("Status", choices=options([("", "Any")] + [
        (s.value, label) for s, label in STATUS_LABELS.items()]), validators=[Optional()])
    org_unit_id = RowSelectField("Site / area", validators=[Optional()],
                                 rows=filter_choices.units)
    lead_id = RowSelectField("Lead", validators=[Optional()], rows=filter_choices.people)
    page = WholeNumberField("Page", default=1,
                            validators=[Optional(), within(1, MAX_PAGE, whole=True)])

    def filters(self) -> services.ProjectFilters:
        return services.ProjectFilters(
            methodology=self.methodology.data or None, phase=self.phase.data or None,
            status=self.status.data or None, org_unit_id=self.org_unit_id.data,
            lead_id=self.lead_id.data, q=(self.q.data or "").strip() or None)

    def link_args(self) -> dict[str, Any]:
        """The filters in force as query arguments for the pager's links: the empty ones
        left out, so a link reads ``?status=active&page=2``, never ``lead_id=None``."""
        if self.errors:
            return {}
        return {name: value for name, value in vars(self.filters()).items()
                if value not in (None, "")}


def plain_number(value: float) -> str:
    """A stored number as a person would type it: ``90`` rather than ``90.0``, and the
    shortest text that reads back as the same float (``0.1``, ``1e-07``)."""
    text = repr(float(value))
    return text.removesuffix(".0")


def _as_form_value(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float):
        return plain_number(value)
    return str(value)


def _people(people: list[tuple[int, str]] | None) -> list[tuple[int, str]]:
    return services.person_choices() if people is None else people


def charter_form(project: Any = None, changes: dict[str, Any] | None = None,
                 *, csrf: bool = True,
                 people: list[tuple[int, str]] | None = None) -> CharterForm:
    """A charter form holding ``project``'s values with ``changes`` laid over them.

    Both the inline editor (one field) and the JSON API (any fields) validate through this,
    so cross-field rules such as LSL < USL see the values that would be saved.
    """
    from werkzeug.datastructures import MultiDict

    data: dict[str, str] = {}
    if project is not None:
        data = {name: _as_form_value(getattr(project, name)) for name in services.CHARTER_FIELDS}
        data["version"] = str(project.version)
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, str) else _as_form_value(value)
    meta = None if csrf else {"csrf": False}
    return CharterForm(formdata=MultiDict(data), meta=meta, people=people)
