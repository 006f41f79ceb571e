"""A project register, row by row: what each row would create, or every reason it cannot.

Pure: the people, sites and existing titles it needs come in a :class:`RegisterRefs` that
the service reads from the database first, so this module (and its property test) never
touches it. Each row is checked in full, so one pass lists every fault of every row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..datasets.reading import RawTable, quote
from ..projects.phases import (
    METHODOLOGY_LABELS,
    PHASE_LABELS,
    STATUS_LABELS,
    Methodology,
    Phase,
    Status,
    phase_label,
)
from . import cells
from .cells import Refusal, Sheet

TITLE_MAX = 200
TEXT_MAX = 5000  # the charter form's limit on its long texts
SHORT = {"metric_name": 120, "metric_unit": 40}
TEXTS = ("problem", "goal", "in_scope", "out_of_scope", "business_case", "metric_name",
         "metric_unit")


def fold(text: str) -> str:
    """Names and titles compared as a person would: case and spacing ignored."""
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    active: bool = True


@dataclass(frozen=True)
class Unit:
    id: int
    label: str


@dataclass(frozen=True)
class RegisterRefs:
    """What rows may name, keyed by :func:`fold` of the name (e-mails by their case-folded
    text); lists where names may repeat (two people of one name, two sites of one name)."""

    people_by_email: Mapping[str, Person] = field(default_factory=dict)
    people_by_name: Mapping[str, tuple[Person, ...]] = field(default_factory=dict)
    sites: Mapping[str, tuple[Unit, ...]] = field(default_factory=dict)
    areas: Mapping[tuple[int, str], Unit] = field(default_factory=dict)  # (site id, name)
    areas_by_name: Mapping[str, tuple[Unit, ...]] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)  # existing title -> key


@dataclass(frozen=True)
class NewProject:
    """One row that would become a project: charter values, its phase and status."""

    row: int
    values: dict[str, Any]
    phase: str
    status: str
    closed_on: date | None
    lead: str
    sponsor: str
    place: str

    @property
    def phase_label(self) -> str:
        return phase_label(self.values["methodology"], self.phase)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "title": self.values["title"],
                "methodology": self.values["methodology"], "phase": self.phase,
                "status": self.status, "lead": self.lead, "sponsor": self.sponsor or None,
                "site": self.place or None,
                "start_date": _iso(self.values.get("start_date")),
                "target_date": _iso(self.values.get("target_date")),
                "closed_on": _iso(self.closed_on)}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Plan:
    """What an import would do: ``created`` if nothing were refused, and ``refused``."""

    created: list[Any]
    refused: list[Refusal]
    rows: int = 0


METHODOLOGIES = {cells.norm(text): m.value for m in Methodology
                 for text in (m.value, METHODOLOGY_LABELS[m])} | {
    "sixsigma": "dmaic", "leansixsigma": "dmaic", "lss": "dmaic", "kaizenblitz": "kaizen"}
PHASES = {cells.norm(text): p.value for p in Phase
          for text in (p.value, *(labels[p] for labels in PHASE_LABELS.values()))} | {
    "analyse": Phase.ROOT_CAUSE.value, "sustain": Phase.SUSTAIN.value,
    "implement": Phase.COUNTERMEASURES.value}
STATUSES = {cells.norm(text): s.value for s, label in STATUS_LABELS.items()
            for text in (s.value, label)} | {
    "open": "active", "inprogress": "active", "ongoing": "active", "hold": "on_hold",
    "paused": "on_hold", "canceled": "cancelled", "stopped": "cancelled", "done": "closed",
    "complete": "closed", "completed": "closed", "finished": "closed"}
BETTER = {"lower": "lower", "lowerisbetter": "lower", "down": "lower", "decrease": "lower",
          "higher": "higher", "higherisbetter": "higher", "up": "higher",
          "increase": "higher"}


def parse(raw: RawTable, mapping: Mapping[str, str], refs: RegisterRefs, today: date) -> Plan:
    refused = cells.mapping_refusals(raw, mapping, "projects")
    if refused:
        return Plan([], refused, raw.n_rows)
    sheet = Sheet(raw, mapping)
    starts, start_bad = cells.dates(sheet, "start_date")
    targets, target_bad = cells.dates(sheet, "target_date")
    closings, closed_bad = cells.dates(sheet, "closed_on")
    refused = [*start_bad, *target_bad, *closed_bad]
    bad_rows = {r.row for r in refused}
    mark = cells.number_mark(sheet, "target")
    seen: dict[str, int] = {}
    created = []
    for i in range(sheet.n_rows):
        row = _Row(sheet, i, refs)
        found = row.read(starts[i], targets[i], closings[i], mark, today, seen)
        refused.extend(row.refused)
        if found is not None and not row.refused and sheet.row(i) not in bad_rows:
            created.append(found)
    refused.sort(key=lambda r: (r.row or 0, r.column or ""))
    return Plan(created, refused, raw.n_rows)


class _Row:
    """One row read cell by cell; every fault goes into ``refused``."""

    def __init__(self, sheet: Sheet, i: int, refs: RegisterRefs) -> None:
        self.sheet, self.i, self.refs = sheet, i, refs
        self.refused: list[Refusal] = []

    def refuse(self, name: str, reason: str) -> None:
        self.refused.append(self.sheet.refuse(self.i, name, reason))

    def cell(self, name: str) -> str:
        return self.sheet.cell(name, self.i)

    def pick(self, name: str, table: Mapping[str, str], what: str, allowed: str,
             default: str) -> str:
        text = self.cell(name)
        if not text:
            return default
        try:
            return cells.choice(text, table, what, allowed)
        except ValueError as exc:
            self.refuse(name, str(exc))
            return default

    def read(self, start: date | None, target: date | None, closed: date | None, mark: str,
             today: date, seen: dict[str, int]) -> NewProject | None:
        title = self.title(seen)
        methodology = self.pick("methodology", METHODOLOGIES, "methodology",
                                "DMAIC or Kaizen", "dmaic")
        phase = self.pick("phase", PHASES, "phase", "Define, Measure, Analyze, Improve or "
                          "Control (or the Kaizen names)", "")
        status = self.pick("status", STATUSES, "status",
                           "Active, On hold, Cancelled or Closed", "active")
        lead = self.person("lead", required=True)
        sponsor = self.person("sponsor")
        if lead and sponsor and lead.id == sponsor.id:
            self.refuse("sponsor", "the lead cannot also be the sponsor, who decides the "
                        "lead's gate reviews.")
        place = self.place()
        values: dict[str, Any] = {"title": title, "methodology": methodology,
                                  "lead_id": lead.id if lead else None,
                                  "sponsor_id": sponsor.id if sponsor else None,
                                  "org_unit_id": place.id if place else None,
                                  "start_date": start, "target_date": target}
        for name in TEXTS:
            values[name] = self.text(name, SHORT.get(name, TEXT_MAX))
        values["metric_better"] = self.pick("metric_better", BETTER, "direction",
                                            "lower or higher", "lower")
        values["target"] = self.target(mark)
        if start and target and target < start:
            self.refuse("target_date", f"the target date {target} is before the start date "
                        f"{start}.")
        closed = self.closing(status, closed, today)
        if not phase:
            phase = Phase.SUSTAIN.value if status == Status.CLOSED else Phase.SCOPE.value
        if self.refused or not title or not lead:
            return None
        return NewProject(self.sheet.row(self.i), values, phase, status, closed, lead.name,
                          sponsor.name if sponsor else "", place.label if place else "")

    def title(self, seen: dict[str, int]) -> str:
        title = self.cell("title")
        if not title:
            self.refuse("title", "the title is empty; every project needs one.")
            return ""
        try:
            cells.limited(title, TITLE_MAX, "title")
        except ValueError as exc:
            self.refuse("title", str(exc))
            return ""
        key = fold(title)
        if key in self.refs.titles:
            self.refuse("title", f"a project titled {quote(title)} exists already "
                        f"({self.refs.titles[key]}); importing it again would make a second.")
        elif key in seen:
            self.refuse("title", f"the same title as row {seen[key]}.")
        else:
            seen[key] = self.sheet.row(self.i)
        return title

    def text(self, name: str, limit: int) -> str:
        try:
            return cells.limited(self.cell(name), limit, name.replace("_", " "))
        except ValueError as exc:
            self.refuse(name, str(exc))
            return ""

    def target(self, mark: str) -> float | None:
        text = self.cell("target")
        if not text:
            return None
        try:
            return cells.number(text, mark)
        except ValueError as exc:
            self.refuse("target", str(exc))
            return None

    def closing(self, status: str, closed: date | None, today: date) -> date | None:
        if closed is None:
            return None
        if status != Status.CLOSED:
            self.refuse("closed_on", f"a closing date ({closed}) for a project that is not "
                        "closed; leave it empty or set the status to Closed.")
        elif closed > today:
            self.refuse("closed_on", f"{closed} is in the future.")
        return closed

    def person(self, name: str, *, required: bool = False) -> Person | None:
        text = self.cell(name)
        label = "lead" if name == "lead" else "sponsor"
        if not text:
            if required:
                self.refuse(name, f"the {label} is empty; every project needs a lead "
                            "(their e-mail).")
            return None
        found: Person | None = None
        if "@" in text:
            found = self.refs.people_by_email.get(text.casefold())
            if found is None:
                self.refuse(name, f"nobody here has the e-mail {quote(text)}; add them as a "
                            "user first (Admin > Users), or correct the address.")
                return None
        else:
            named = self.refs.people_by_name.get(fold(text), ())
            if len(named) != 1:
                why = "nobody here is named" if not named else \
                    f"{len(named)} people are named"
                self.refuse(name, f"{why} {quote(text)}; give the {label}'s e-mail.")
                return None
            found = named[0]
        if not found.active:
            self.refuse(name, f"{found.name} is deactivated and cannot be a project's "
                        f"{label}.")
            return None
        return found

    def place(self) -> Unit | None:
        site_text, area_text = self.cell("site"), self.cell("area")
        site: Unit | None = None
        if site_text:
            sites = self.refs.sites.get(fold(site_text), ())
            if len(sites) != 1:
                self.refuse("site", f"there is no site named {quote(site_text)}; an admin "
                            "adds sites under Admin > Sites and areas." if not sites else
                            f"{len(sites)} sites are named {quote(site_text)}.")
                return None
            site = sites[0]
        if not area_text:
            return site
        if site is not None:
            area = self.refs.areas.get((site.id, fold(area_text)))
            if area is None:
                self.refuse("area", f"{site.label} has no area named {quote(area_text)}.")
            return area
        areas = self.refs.areas_by_name.get(fold(area_text), ())
        if len(areas) != 1:
            self.refuse("area", f"there is no area named {quote(area_text)}." if not areas
                        else f"{len(areas)} sites have an area named {quote(area_text)}; "
                        "add a site column.")
            return None
        return areas[0]
