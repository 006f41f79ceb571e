"""Bringing an existing programme in: a project register and a benefits spreadsheet.

The file goes through the data set import's machinery: ``datasets.reading`` reads it (CSV
in any common encoding, or XLSX), ``datasets.imports`` keeps it as a draft between the
column mapping and the confirm (a draft of no project: the programme's), and refusals are
``datasets.problems`` problems naming row and column. What each row means is in
``projectsheet`` (projects) and ``ledger`` (benefit lines); this module reads what they refer
to from the database, and creates the rows through the projects' and benefits' own
services.

Nothing here commits. :func:`confirm` creates everything or raises having created nothing
the caller keeps: the route commits once, or rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from ..audit import services as audit
from ..auth.models import User
from ..benefits import services as benefits
from ..benefits.models import BenefitLine, BenefitMonth
from ..core.errors import NotFound
from ..core.time import utcnow
from ..core.validators import MAX_ID
from ..datasets import imports, reading
from ..datasets.models import ImportDraft
from ..datasets.problems import ImportProblem
from ..extensions import db
from ..orgunits.models import OrgUnit
from ..projects import services as projects
from ..projects.models import Project
from ..projects.phases import Status
from . import cells, ledger, projectsheet
from .projectsheet import Plan, fold


@dataclass(frozen=True)
class Choices:
    """The column chosen for each field, and the sheet of a workbook."""

    mapping: Mapping[str, str]
    sheet: str | None = None


def start(actor: User, data: bytes, filename: str, *, pasted: bool = False,
          max_bytes: int = reading.DEFAULT_MAX_BYTES) -> ImportDraft:
    """Keep the upload as a draft of no project (ImportProblem when it is no table)."""
    return imports.start(actor, None, data, filename=filename, pasted=pasted,
                         max_bytes=max_bytes)


def get_draft(actor: User, draft_id: int) -> ImportDraft:
    """The actor's own programme draft; anyone else's, or a data set's, is not found."""
    draft = db.session.get(ImportDraft, draft_id) if 0 < draft_id <= MAX_ID else None
    if draft is None or draft.project_id is not None or draft.created_by_id != actor.id:
        raise NotFound(f"Import {draft_id} was not found; an upload is kept for a day.")
    return draft


def read(draft: ImportDraft, sheet: str | None = None) -> reading.RawTable:
    return imports.read_draft(draft, sheet)


def today() -> date:
    return utcnow().date()


def plan(kind: str, raw: reading.RawTable, mapping: Mapping[str, str]) -> Plan:
    """What importing ``raw`` would create, and every row it would refuse: the dry run."""
    if kind == "projects":
        return projectsheet.parse(raw, mapping, register_refs(), today())
    return ledger.parse(raw, mapping, ledger_refs(), today())


def register_refs() -> projectsheet.RegisterRefs:
    people = [projectsheet.Person(id_, name, email, active) for id_, name, email, active in
              db.session.execute(select(User.id, User.name, User.email, User.active))]
    by_name: dict[str, list[projectsheet.Person]] = defaultdict(list)
    for person in people:
        by_name[fold(person.name)].append(person)
    units = db.session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)).all()
    names = {id_: name for id_, name, _ in units}
    sites: dict[str, list[projectsheet.Unit]] = defaultdict(list)
    areas: dict[tuple[int, str], projectsheet.Unit] = {}
    areas_by_name: dict[str, list[projectsheet.Unit]] = defaultdict(list)
    for id_, name, parent in units:
        if parent is None:
            sites[fold(name)].append(projectsheet.Unit(id_, name))
        else:
            unit = projectsheet.Unit(id_, f"{names.get(parent, '')} > {name}")
            areas[(parent, fold(name))] = unit
            areas_by_name[fold(name)].append(unit)
    titles = {fold(title): key for key, title in
              db.session.execute(select(Project.key, Project.title))}
    return projectsheet.RegisterRefs(
        {p.email.casefold(): p for p in people}, {k: tuple(v) for k, v in by_name.items()},
        {k: tuple(v) for k, v in sites.items()}, areas,
        {k: tuple(v) for k, v in areas_by_name.items()}, titles)


def ledger_refs() -> ledger.LedgerRefs:
    found = [ledger.ProjectRef(id_, key, title) for id_, key, title in
             db.session.execute(select(Project.id, Project.key, Project.title))]
    by_title: dict[str, list[ledger.ProjectRef]] = defaultdict(list)
    for ref in found:
        by_title[fold(ref.title)].append(ref)
    lines = frozenset((project_id, fold(text)) for project_id, text in db.session.execute(
        select(BenefitLine.project_id, BenefitLine.description)))
    return ledger.LedgerRefs({ref.key.upper(): ref for ref in found},
                             {k: tuple(v) for k, v in by_title.items()}, lines)


def refusal(found: Plan) -> ImportProblem:
    """A plan's refusals as the one error type imports raise (422, every problem)."""
    return ImportProblem.collect([r.as_problem() for r in found.refused])


def source_name(draft: ImportDraft, sheet: str | None) -> str:
    name = draft.filename or ("pasted cells" if draft.pasted else "an upload")
    return f"{name} (sheet {sheet})" if sheet else name


@dataclass(frozen=True)
class Done:
    """What an import created: the plan it followed, and the keys of the projects (new
    ones, or those the benefit lines went to)."""

    plan: Plan
    keys: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.plan.created)


def confirm(actor: User, kind: str, draft: ImportDraft, choices: Choices) -> Done:
    """Import the draft for real and forget it: every row, or (ImportProblem) none."""
    raw = read(draft, choices.sheet)
    done = create(actor, kind, raw, choices.mapping, source_name(draft, choices.sheet))
    db.session.delete(draft)
    db.session.flush()
    return done


def create(actor: User, kind: str, raw: reading.RawTable, mapping: Mapping[str, str],
           source: str) -> Done:
    """Create what the plan says, once no row is refused; the API's way in too."""
    found = plan(kind, raw, mapping)
    if found.refused:
        raise refusal(found)
    if not found.created:
        raise ImportProblem("There is nothing to import: no row holds data.")
    keys: list[str] = []
    if kind == "projects":
        keys = [create_project(actor, new, source).key for new in found.created]
    else:
        for line in found.created:
            create_line(actor, line, source)
            keys.append(line.project.key)
    return Done(found, tuple(dict.fromkeys(keys)))


def create_project(actor: User, new: projectsheet.NewProject, source: str) -> Project:
    """A project in its register's phase and status, through the projects' own service
    (the next key of the year's counter, the charter's rules), its history marked as
    imported: from which file and row, and by whom (the event's actor)."""
    project = projects.create_project(actor, dict(new.values))
    project.phase, project.status = new.phase, new.status
    if new.status == Status.CLOSED:
        project.closed_at = datetime.combine(new.closed_on, time(12), UTC) \
            if new.closed_on else utcnow()
    # No flush of its own: the next project's (or the caller's) flush writes the phase.
    audit.record(actor, "import", "project", project.id, project_id=project.id,
                 summary=f"Imported from {source}, row {new.row}, by {actor.name}: in "
                         f"{new.phase_label}, {new.status_label.lower()}",
                 changes={"phase": [None, new.phase], "status": [None, new.status],
                          "imported from": [None, f"{source}, row {new.row}"]})
    return project


def create_line(actor: User, new: ledger.NewLine, source: str) -> BenefitLine:
    """A benefit line through the benefits' service (its rules, its audit), its realized
    months with it, and an event saying where it came from and what each month holds.
    Imported figures are drafts: finance validates them as it validates any other.

    The months are added to the new line directly rather than one by one through
    ``benefits.set_month``, whose rules for a new line's draft months (a month that has
    begun, an exact amount) the parser has checked already: its flush and audit event per
    month made a sheet of 200 lines x 12 months take most of a minute."""
    project = db.session.get(Project, new.project.id)
    line = benefits.create_line(actor, project, benefits.LineInput(
        new.category, new.description, new.method, new.quantity, new.quantity_unit,
        new.unit_value, new.start_month))
    months = sorted(new.months.items())
    line.months.extend(BenefitMonth(month=month, amount=amount) for month, amount in months)
    rows = ", ".join(str(r) for r in new.rows)
    benefits.audit_line(actor, "import", line, f"imported from {source}, "
                        f"row{'s' * (len(new.rows) > 1)} {rows}, by {actor.name}: "
                        f"{len(months)} realized month(s), {new.realized} in all",
                        {f"realized {month:%Y-%m}": [None, amount] for month, amount in months})
    return line


def suggest(kind: str, raw: reading.RawTable) -> dict[str, str]:
    return cells.suggest(raw.headers, kind)
