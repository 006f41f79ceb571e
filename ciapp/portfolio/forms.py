"""The portfolio's forms: its filters (read from the query string, kept in the URL), the
health report, and the idea forms. The JSON API validates with the same forms."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..auth.models import OrgUnit
from ..core.fields import WholeNumberField, within
from ..core.forms import IdSelectField, options
from ..extensions import db
from ..projects.forms import MAX_PAGE
from ..projects.listing import person_choices, unit_choices
from ..projects.phases import METHODOLOGY_LABELS, PHASES, STATUS_LABELS, Methodology
from ..projects.selects import QuickSelect, RowSelectField
from . import board, ideas, table
from .models import HEALTH_LABELS

_UNITS = OrgUnit.__table__
_SITES = _UNITS.alias("site")
STATUS_FILTER_LABELS = {"open": "Open (active or on hold)", "all": "Any",
                        **{s.value: label for s, label in STATUS_LABELS.items()}}
YEAR_MIN, YEAR_MAX = 2000, 2100


def site_choices(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    stmt = select(_UNITS.c.id, _UNITS.c.name).where(_UNITS.c.parent_id.is_(None))
    if ids is not None:
        stmt = stmt.where(_UNITS.c.id.in_(ids))
    return sorted(((i, n) for i, n in db.session.execute(stmt)), key=lambda p: p[1].lower())


def area_choices(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    stmt = (select(_UNITS.c.id, _UNITS.c.name, _SITES.c.name)
            .join(_SITES, _UNITS.c.parent_id == _SITES.c.id))
    if ids is not None:
        stmt = stmt.where(_UNITS.c.id.in_(ids))
    return sorted(((i, f"{s} > {n}") for i, n, s in db.session.execute(stmt)),
                  key=lambda p: p[1].lower())


class FilterForm(FlaskForm):
    """The board's, the table's and the attention list's filters."""

    class Meta:
        csrf = False

    site_id = RowSelectField("Site", validators=[Optional()], rows=site_choices)
    area_id = RowSelectField("Area", validators=[Optional()], rows=area_choices)
    methodology = SelectField("Methodology", choices=options([("", "Any")] + [
        (m.value, METHODOLOGY_LABELS[m]) for m in Methodology]), validators=[Optional()],
        widget=QuickSelect())
    lead_id = RowSelectField("Lead", validators=[Optional()], rows=person_choices)
    status = SelectField("Status", choices=options([("", "Open (active or on hold)")] + [
        (k, v) for k, v in STATUS_FILTER_LABELS.items() if k != "open"]),
        validators=[Optional()], widget=QuickSelect())
    year = WholeNumberField("Year opened", validators=[
        Optional(), within(YEAR_MIN, YEAR_MAX, whole=True)])
    phase = SelectField("Phase", choices=options([("", "Any")] + [
        (p.value, board.column_label(p.value)) for p in PHASES]), validators=[Optional()],
        widget=QuickSelect())
    sort = SelectField("Sort by", choices=options([("", "Days in phase")] + [
        (k, v) for k, v in table.SORTS.items()]), validators=[Optional()])
    dir = SelectField("Order", choices=options([("", "Default"), ("asc", "Ascending"),
                                                ("desc", "Descending")]),
                      validators=[Optional()])
    page = WholeNumberField("Page", validators=[Optional(), within(1, MAX_PAGE, whole=True)])
    days = WholeNumberField("Stalled after (days)", validators=[
        Optional(), within(board.STALLED_MIN, board.STALLED_MAX, whole=True)])

    def filters(self) -> board.PortfolioFilters:
        """The filters; a field refused on its own counts as not given."""
        def ok(name: str) -> Any:
            field = self[name]
            return None if field.errors else (field.data or None)

        return board.PortfolioFilters(
            site_id=ok("site_id"), area_id=ok("area_id"), methodology=ok("methodology"),
            lead_id=ok("lead_id"), status=ok("status") or "open", year=ok("year"),
            phase=ok("phase"))

    def sort_order(self) -> tuple[str, str]:
        sort = (None if self.sort.errors else self.sort.data) or "since"
        direction = None if self.dir.errors else self.dir.data
        return sort, direction or table.DEFAULT_DIRECTION.get(sort, "asc")

    def link_args(self, *names: str) -> dict[str, Any]:
        """The filters in force (only ``names`` when given) as query arguments: empty
        ones left out, so a link reads ``?site_id=3``, never ``lead_id=None``."""
        wanted = names or tuple(self._fields)
        return {name: self[name].data for name in wanted
                if name in self._fields and not self[name].errors
                and self[name].data not in (None, "")}


class HealthForm(FlaskForm):
    health = SelectField("Health", choices=options(HEALTH_LABELS.items()),
                         validators=[InputRequired()])
    reason = TextAreaField("Reason", validators=[DataRequired(),
                                                 Length(max=2000)])
    seen = HiddenField()


class IdeaForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=ideas.TITLE_MAX)])
    description = TextAreaField("The problem, as you see it",
                                validators=[Length(max=ideas.TEXT_MAX)])
    benefit = TextAreaField("Expected benefit", validators=[Length(max=ideas.TEXT_MAX)])
    org_unit_id = IdSelectField("Site / area", validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_unit_id.choices = [(None, "— not sure —"), *unit_choices()]

    def values(self) -> dict[str, Any]:
        return {"title": self.title.data, "description": self.description.data,
                "benefit": self.benefit.data, "org_unit_id": self.org_unit_id.data}


class ScoreForm(FlaskForm):
    effort = WholeNumberField("Effort", validators=[
        InputRequired(), within(ideas.SCORE_MIN, ideas.SCORE_MAX, whole=True)])
    impact = WholeNumberField("Impact", validators=[
        InputRequired(), within(ideas.SCORE_MIN, ideas.SCORE_MAX, whole=True)])
    version = HiddenField()


class ProjectForm(FlaskForm):
    lead_id = IdSelectField("Project lead", validators=[InputRequired()])
    methodology = SelectField("Methodology", choices=options(
        (m.value, METHODOLOGY_LABELS[m]) for m in Methodology), default="dmaic")
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead_id.choices = person_choices()


class DecideForm(FlaskForm):
    outcome = SelectField("Outcome", choices=options(ideas.OUTCOMES.items()))
    note = TextAreaField("Note", validators=[DataRequired(), Length(max=ideas.NOTE_MAX)])
    version = HiddenField()
