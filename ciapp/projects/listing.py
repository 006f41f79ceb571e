"""The project list: its filters and search, the rows a page shows, the choices of its filters.

The list is the busiest page, so it is read lean (``bench/web_bench.py`` measures it):

- rows, not ``Project`` objects: building fifty ORM objects with their lead, unit and site
  cost several times more than the rest of the page;
- on the tables' columns rather than the mapped attributes, in statements built once at
  import: SQLAlchemy then skips its ORM layer, which took longer than SQLite's own work;
- a fixed number of statements per page whatever its size: the rows (each with its lead and
  site / area joined in) and, unless they all fit on the first page, the count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from typing import Any, Generic, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from ..auth.models import OrgUnit, User
from ..core.records import read
from ..extensions import db
from .models import Project
from .phases import METHODOLOGY_LABELS, STATUS_LABELS, phase_label

T = TypeVar("T")
MAX_PER_PAGE = 100
# A project key, or the start of one: "CI-2026-0042", "ci-2026", "CI-2026-00".
KEY_QUERY = re.compile(r"CI-[0-9]{1,4}(-[0-9]{0,4})?", re.IGNORECASE)
NUMBER_QUERY = re.compile(r"[0-9]{1,4}")

_P = Project.__table__
_USERS = User.__table__
_UNITS = OrgUnit.__table__
_SITES = _UNITS.alias("site")
# The index ix_projects_created_at_id serves this order and a page's LIMIT.
NEWEST_FIRST = (_P.c.created_at.desc(), _P.c.id.desc())


@dataclass(frozen=True)
class ProjectFilters:
    methodology: str | None = None
    phase: str | None = None
    status: str | None = None
    org_unit_id: int | None = None
    lead_id: int | None = None
    q: str | None = None


def search_condition(q: str) -> ColumnElement[bool]:
    """What the list's search box matches.

    A key, or the start of one, is looked up by range on the unique index of ``key`` (the
    LIKE beside it only confirms the prefix), so typing a key never reads the text columns.
    Anything else is a case-insensitive substring of the title, problem or goal, with ``%``
    and ``_`` taken literally; the key is not searched for ordinary words, which no key
    contains, only for a bare number ("42" finds CI-2026-0042). A substring cannot be
    looked up in a B-tree index, so such a search reads those three columns of the rows the
    other filters leave: a few milliseconds for 5,000 projects, while the page itself still
    comes from the (created_at, id) index. A trigram or full-text index would serve it on
    PostgreSQL; at this size it is not worth an extension that SQLite lacks.
    """
    if KEY_QUERY.fullmatch(q):
        prefix = q.upper()
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return and_(_P.c.key >= prefix, _P.c.key < after, _P.c.key.like(prefix + "%"))
    text = or_(*(_contains(column, q) for column in (_P.c.title, _P.c.problem, _P.c.goal)))
    if NUMBER_QUERY.fullmatch(q):
        # A project's number as people say it: "42" for CI-2026-0042 (of any year).
        return or_(text, _P.c.key.like(f"CI-%-{int(q):04d}"))
    return text


def _contains(column: Any, q: str) -> ColumnElement[bool]:
    # SQLite's LIKE already ignores case (ASCII only, and so does its lower()), so the
    # lower() on both sides that ILIKE becomes there would only slow the scan down, by 2.5x.
    if db.session.get_bind().dialect.name == "sqlite":
        return column.contains(q, autoescape=True)  # type: ignore[no-any-return]
    return column.icontains(q, autoescape=True)  # type: ignore[no-any-return]


def conditions(filters: ProjectFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.methodology:
        where.append(_P.c.methodology == filters.methodology)
    if filters.phase:
        where.append(_P.c.phase == filters.phase)
    if filters.status:
        where.append(_P.c.status == filters.status)
    if filters.org_unit_id:
        # An area, or every area of a site. On an alias, so that the page's own join of
        # org_units does not turn this into a correlated subquery.
        area = _UNITS.alias("area")
        areas = select(area.c.id).where(area.c.parent_id == filters.org_unit_id)
        where.append(or_(_P.c.org_unit_id == filters.org_unit_id,
                         _P.c.org_unit_id.in_(areas)))
    if filters.lead_id:
        where.append(_P.c.lead_id == filters.lead_id)
    if filters.q and filters.q.strip():
        where.append(search_condition(filters.q.strip()))
    return where


def project_query(filters: ProjectFilters) -> Select[tuple[Project]]:
    """The filtered projects as ``Project`` objects, newest first, each with its lead and
    site / area loaded in the same statement (for pages that need the objects)."""
    return (select(Project)
            .options(joinedload(Project.lead),
                     joinedload(Project.org_unit).joinedload(OrgUnit.parent))
            .where(*conditions(filters)).order_by(*NEWEST_FIRST))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with what a pager needs (the names Flask-SQLAlchemy uses)."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


class PersonRef(NamedTuple):
    id: int
    name: str


class UnitRef(NamedTuple):
    id: int
    label: str


# Not frozen, though never changed: a frozen dataclass sets each field through
# object.__setattr__, which made building the page's fifty rows cost half as much as
# reading them. unsafe_hash keeps it hashable by value.
@dataclass(slots=True, unsafe_hash=True)
class ProjectRow:
    """One line of the project list. ``lead.name`` and ``org_unit.label`` read as they do on
    a ``Project``, so a template can show either."""

    key: str
    title: str
    methodology: str
    phase: str
    status: str
    lead: PersonRef | None
    org_unit: UnitRef | None

    @property
    def phase_label(self) -> str:
        return phase_label(self.methodology, self.phase)

    # A value without a label (none is stored today) shows as stored rather than failing
    # the whole list.
    @property
    def methodology_label(self) -> str:
        return METHODOLOGY_LABELS.get(self.methodology, self.methodology)  # type: ignore

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)  # type: ignore


_ROWS = (select(_P.c.key, _P.c.title, _P.c.methodology, _P.c.phase, _P.c.status,
                _USERS.c.id, _USERS.c.name, _UNITS.c.id, _UNITS.c.name, _SITES.c.name)
         .select_from(_P.outerjoin(_USERS, _P.c.lead_id == _USERS.c.id)
                      .outerjoin(_UNITS, _P.c.org_unit_id == _UNITS.c.id)
                      .outerjoin(_SITES, _UNITS.c.parent_id == _SITES.c.id))
         .order_by(*NEWEST_FIRST))
_RECORDS = select(_P).order_by(*NEWEST_FIRST)
_COUNT = select(func.count()).select_from(_P)
_PEOPLE = (select(_USERS.c.id, _USERS.c.name).where(_USERS.c.active.is_(True))
           .order_by(_USERS.c.name, _USERS.c.id))
_UNIT_LABELS = select(_UNITS.c.id, _UNITS.c.name, _SITES.c.name).select_from(
    _UNITS.outerjoin(_SITES, _UNITS.c.parent_id == _SITES.c.id))


def _page(filters: ProjectFilters, rows: Select[Any], page: int, per_page: int,
          make: Callable[[Row[Any]], T]) -> Page[T]:
    """A page of ``rows`` and the number of all that match, in one statement: the count
    rides along as an uncorrelated scalar subquery (last column of every row), which SQLite
    and PostgreSQL evaluate once, while the rows still come from the index in order. A
    second round trip for the count was a tenth of the list page's time."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    where = conditions(filters)
    stmt = _unfiltered(rows) if not where else with_total(rows, where).limit(
        bindparam("limit")).offset(bindparam("offset"))
    result = read(stmt, {"limit": per_page, "offset": (page - 1) * per_page}).all()
    items = [make(row) for row in result]
    if result:
        total = result[0][-1]
    elif page == 1:
        total = 0
    else:  # beyond the last page: no row carried the count
        total = db.session.scalar(_COUNT.where(*where)) or 0
    return Page(items, page, per_page, total)


@lru_cache(maxsize=16)
def _unfiltered(rows: Select[Any]) -> Select[Any]:
    """A page of all of ``rows``, built once: building the statement again and working out
    its cache key took as long as running it."""
    return with_total(rows, []).limit(bindparam("limit")).offset(bindparam("offset"))


def with_total(rows: Select[Any], where: list[ColumnElement[bool]]) -> Select[Any]:
    """``rows`` filtered by ``where``, each with the count of all that match as its last
    column (not correlated with the outer query, so it is counted once)."""
    total = _COUNT.where(*where).correlate(None).scalar_subquery().label("total")
    return rows.add_columns(total).where(*where)


def _row(row: Row[Any]) -> ProjectRow:
    key, title, methodology, phase, status, lead_id, lead, unit_id, unit, site, _total = row
    return ProjectRow(
        key, title, methodology, phase, status,
        None if lead_id is None else PersonRef(lead_id, lead),
        None if unit_id is None else UnitRef(unit_id, f"{site} > {unit}" if site else unit))


def list_projects(filters: ProjectFilters, page: int = 1,
                  per_page: int = 20) -> Page[ProjectRow]:
    """A page of the list as the table shows it."""
    return _page(filters, _ROWS, page, per_page, _row)


def list_records(filters: ProjectFilters, page: int = 1, per_page: int = 20,
                 columns: tuple[str, ...] | None = None) -> Page[Row[Any]]:
    """A page of the list with every column of each project, or only ``columns`` in that
    order, as rows whose attributes are named like a ``Project``'s (the API's list)."""
    rows = _RECORDS if columns is None else _records_of(columns)
    return _page(filters, rows, page, per_page, lambda row: row)


@lru_cache(maxsize=8)
def _records_of(columns: tuple[str, ...]) -> Select[Any]:
    return select(*(_P.c[name] for name in columns)).order_by(*NEWEST_FIRST)


def person_choices(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    """(id, name) of the active users, by name: two columns, not whole users. ``ids``
    narrows it to those users, to check a choice without loading everyone."""
    stmt = _PEOPLE if ids is None else _PEOPLE.where(_USERS.c.id.in_(ids))
    return [(id_, name) for id_, name in read(stmt).all()]


def unit_choices(ids: Collection[int] | None = None) -> list[tuple[int, str]]:
    """(id, "Site > Area" or "Site") of the org units, by label, in one query; ``ids``
    narrows it as for ``person_choices``."""
    stmt = _UNIT_LABELS if ids is None else _UNIT_LABELS.where(_UNITS.c.id.in_(ids))
    labels = [(id_, f"{site} > {name}" if site else name)
              for id_, name, site in read(stmt).all()]
    return sorted(labels, key=lambda pair: pair[1].lower())
