"""The leadership figures: projected, realized and finance-validated benefits of a year, side
by side, by month (with running totals), by site and area, by category, by methodology and
by the lead's belt; the top projects; and the share of claimed savings backed by data.

Five statements whatever the size of the programme: the org units and the four of the
roll-up (``ciapp.benefits.rollup``), which answers with groups (site or area, methodology,
lead's belt, category), months and the top projects, never a row per project.
Every figure is a sum of whole cents, so the months of a year add up to the year exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from ..auth.models import BELT_LABELS, BeltLevel
from ..benefits.models import CATEGORIES
from ..benefits.rollup import Claims, Figures, Group, year_figures
from ..extensions import db
from ..orgunits.models import OrgUnit
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


def _units() -> tuple[dict[int, OrgUnit], list[OrgUnit]]:
    units = list(db.session.scalars(select(OrgUnit)))
    by_id = {u.id: u for u in units}
    sites = sorted((u for u in units if u.parent_id is None), key=lambda u: u.name.lower())
    return by_id, sites


def _breakdown(groups: Iterable[Group], key: Callable[[Group], Hashable],
               label: Callable[[Any], str], arg: str) -> list[Slice]:
    """The groups' figures summed by ``key``, largest projected first; a None key is
    "(none)"."""
    summed: dict[Hashable, Figures] = {}
    for group in groups:
        k = key(group)
        summed[k] = summed.get(k, Figures()) + group.figures
    ordered = sorted(summed.items(), key=lambda item: (-item[1].projected, label(item[0])))
    return [Slice(label(k), f, {arg: "none" if k is None else k}) for k, f in ordered]


def build(year: int, today: date, site_id: int | None = None) -> Summary:
    """The figures of ``year``, of every project or of one site's (its areas included)."""
    units, sites = _units()
    site = units.get(site_id) if site_id is not None else None
    scope = None
    if site is not None:
        scope = [site.id, *(u.id for u in units.values() if u.parent_id == site.id)]
    data = year_figures(year, org_unit_ids=scope, top=TOP)
    groups = data.groups

    def site_of(group: Group) -> int | None:
        unit = units.get(group.org_unit_id) if group.org_unit_id is not None else None
        return None if unit is None else (unit.parent_id or unit.id)

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

    return Summary(
        year=year, site=site, sites=sites, today=today, total=running, to_date=to_date,
        months=months,
        by_site=_breakdown(groups, site_of, unit_name, "site"),
        by_area=_breakdown(groups, lambda g: g.org_unit_id, area_label, "unit"),
        by_category=_breakdown(groups, lambda g: g.category,
                               lambda c: CATEGORIES.get(c, str(c)), "category"),
        by_methodology=_breakdown(groups, lambda g: g.methodology,
                                  lambda m: METHODOLOGY_LABELS.get(Methodology(m), m),
                                  "methodology"),
        by_belt=_breakdown(groups, lambda g: g.belt or BeltLevel.NONE.value,
                           lambda b: BELT_LABELS.get(BeltLevel(b), b), "belt"),
        top=[TopProject(p.id, p.key, p.title, f) for p, f in data.top],
        claims=data.claims())
