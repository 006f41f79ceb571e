"""The leadership figures: projected, realized and finance-validated benefits of a year, side
by side, by month (with running totals), by site and area, by category, by methodology and
by the lead's belt; the top projects; and the share of claimed savings backed by data.

Four queries whatever the size of the programme: the org units, the two of the roll-up
(``ciapp.benefits.rollup``), and one for the methodology and lead of the projects in it.
Every figure is a sum of whole cents, so the months of a year add up to the year exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from ..auth.models import BELT_LABELS, BeltLevel, User
from ..benefits.models import CATEGORIES
from ..benefits.rollup import Claims, Figures, year_figures
from ..extensions import db
from ..orgunits.models import OrgUnit
from ..projects.models import Project
from ..projects.phases import METHODOLOGY_LABELS, Methodology

TOP = 10
NAMES = ("projected", "projected_validated", "realized", "realized_validated")


def today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Slice:
    """One row of a breakdown: its label, its figures, and the query arguments of the lines
    page that lists the benefit lines it sums."""

    label: str
    figures: Figures
    lines: dict[str, Any]


@dataclass(frozen=True)
class Month:
    month: date
    figures: Figures
    cumulative: Figures


@dataclass(frozen=True)
class TopProject:
    id: int
    key: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class Summary:
    year: int
    site: OrgUnit | None
    sites: list[OrgUnit]
    today: date
    total: Figures
    to_date: Figures  # the year's months up to this one (all twelve for a past year)
    months: list[Month]
    by_site: list[Slice]
    by_area: list[Slice]
    by_category: list[Slice]
    by_methodology: list[Slice]
    by_belt: list[Slice]
    top: list[TopProject]
    claims: Claims  # the projected claims of the lines running in the year

    @property
    def backed_share(self) -> float | None:
        """The share of the projected amount that a significant before/after result backs."""
        return self.claims.backed / self.claims.projected if self.claims.projected else None

    def to_dict(self) -> dict[str, Any]:
        def slices(rows: list[Slice]) -> list[dict[str, Any]]:
            return [{"label": s.label, **s.figures.to_dict(), "filter": s.lines} for s in rows]

        return {
            "year": self.year, "site": self.site.name if self.site else None,
            "total": self.total.to_dict(), "year_to_date": self.to_date.to_dict(),
            "months": [{"month": m.month.isoformat()[:7], **m.figures.to_dict(),
                        "cumulative": m.cumulative.to_dict()} for m in self.months],
            "by_site": slices(self.by_site), "by_area": slices(self.by_area),
            "by_category": slices(self.by_category),
            "by_methodology": slices(self.by_methodology), "by_belt": slices(self.by_belt),
            "top_projects": [{"key": p.key, "title": p.title, **p.figures.to_dict()}
                             for p in self.top],
            "claims": {"lines": self.claims.lines, "backed_lines": self.claims.backed_lines,
                       "projected": str(Figures(projected=self.claims.projected)
                                        .money("projected")),
                       "backed": str(Figures(projected=self.claims.backed).money("projected")),
                       "backed_share": self.backed_share},
        }


@dataclass(frozen=True)
class ProjectFacts:
    methodology: str
    belt: str
    unit_id: int | None


def _units() -> tuple[dict[int, OrgUnit], list[OrgUnit]]:
    units = list(db.session.scalars(select(OrgUnit)))
    by_id = {u.id: u for u in units}
    sites = sorted((u for u in units if u.parent_id is None), key=lambda u: u.name.lower())
    return by_id, sites


def _facts(project_ids: list[int]) -> dict[int, ProjectFacts]:
    if not project_ids:
        return {}
    rows = db.session.execute(
        select(Project.id, Project.methodology, User.belt_level, Project.org_unit_id)
        .outerjoin(User, User.id == Project.lead_id).where(Project.id.in_(project_ids)))
    return {pid: ProjectFacts(str(m), str(belt or BeltLevel.NONE), unit)
            for pid, m, belt, unit in rows}


def _sum(parts: Iterable[Figures]) -> Figures:
    p = pv = r = rv = 0
    for f in parts:
        p, pv, r, rv = p + f.projected, pv + f.projected_validated, r + f.realized, \
            rv + f.realized_validated
    return Figures(p, pv, r, rv)


def _breakdown(totals: dict[tuple[int, str], Figures], key: Callable[[int, str], Hashable],
               label: Callable[[Any], str], arg: str) -> list[Slice]:
    """The year's figures of each (project, category) grouped by ``key(project_id,
    category)``, largest projected first; a group whose key is None is "(none)"."""
    groups: dict[Hashable, list[Figures]] = {}
    for (pid, category), figures in totals.items():
        groups.setdefault(key(pid, category), []).append(figures)
    summed = {k: _sum(parts) for k, parts in groups.items()}
    ordered = sorted(summed.items(), key=lambda item: (-item[1].projected, label(item[0])))
    return [Slice(label(k), f, {arg: "none" if k is None else k}) for k, f in ordered]


def build(year: int, today: date, site_id: int | None = None) -> Summary:
    """The figures of ``year``, of every project or of one site's (its areas included)."""
    units, sites = _units()
    site = units.get(site_id) if site_id is not None else None
    scope = None
    if site is not None:
        scope = [site.id, *(u.id for u in units.values() if u.parent_id == site.id)]
    data = year_figures(year, org_unit_ids=scope)
    facts = _facts(sorted(data.projects))

    def site_of(unit_id: int | None) -> int | None:
        unit = units.get(unit_id) if unit_id is not None else None
        return None if unit is None else (unit.parent_id or unit.id)

    def fact(pid: int) -> ProjectFacts:
        return facts.get(pid, ProjectFacts(Methodology.DMAIC, BeltLevel.NONE, None))

    totals = data.totals
    months, running = [], Figures()
    for m in range(1, 13):
        figures = data.months.get(date(year, m, 1), Figures())
        running = running + figures
        months.append(Month(date(year, m, 1), figures, running))
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    to_date = months[last - 1].cumulative if last else Figures()

    def unit_name(unit_id: int | None) -> str:
        return "(no site)" if unit_id is None else units[unit_id].name

    def area_label(unit_id: int | None) -> str:
        return "(no area)" if unit_id is None else units[unit_id].label

    by_project: dict[int, list[Figures]] = {}
    for (pid, _category), figures in totals.items():
        by_project.setdefault(pid, []).append(figures)
    project_totals = {pid: _sum(parts) for pid, parts in by_project.items()}
    top = sorted(project_totals.items(), key=lambda item: (
        -item[1].realized, -item[1].projected, data.projects[item[0]].key))[:TOP]
    claims = Claims()
    for (pid, _category), c in data.claims.items():
        if pid in project_totals:  # a line running in the year
            claims = claims + c
    return Summary(
        year=year, site=site, sites=sites, today=today, total=running, to_date=to_date,
        months=months,
        by_site=_breakdown(totals, lambda p, c: site_of(fact(p).unit_id), unit_name, "site"),
        by_area=_breakdown(totals, lambda p, c: fact(p).unit_id, area_label, "unit"),
        by_category=_breakdown(totals, lambda p, c: c, lambda c: CATEGORIES.get(c, str(c)),
                               "category"),
        by_methodology=_breakdown(totals, lambda p, c: fact(p).methodology,
                                  lambda m: METHODOLOGY_LABELS.get(Methodology(m), m),
                                  "methodology"),
        by_belt=_breakdown(totals, lambda p, c: fact(p).belt,
                           lambda b: BELT_LABELS.get(BeltLevel(b), b), "belt"),
        top=[TopProject(pid, data.projects[pid].key, data.projects[pid].title, f)
             for pid, f in top],
        claims=claims)
