"""What the KPI pages show, gathered in one place so the routes stay thin, and the changes
the pages make, each one service call followed by the summary's refresh."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from ..audit.models import AuditEvent
from ..auth.models import User
from ..core.errors import DomainError
from ..core.memory import no_cycle_collection
from ..datasets import building, reading
from ..extensions import db
from ..orgunits import services as orgunits
from ..portfolio.models import HEALTH_LABELS
from ..projects.phases import STATUS_LABELS
from . import icons, improvement, services, stages, summary, values
from . import periods as P
from . import status as S
from .models import BETTER, CHARTS, FREQUENCIES, SOURCES, Kpi

FILTERS = ("site", "area", "owner", "frequency")


def filters_from(args: Mapping[str, str]) -> summary.Filters:
    """The board's filters from the query string; anything unreadable is ignored (a stale
    bookmark should still open a board), a frequency must be one of the three."""
    def whole(name: str) -> int | None:
        text = (args.get(name) or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None

    frequency = args.get("frequency") or None
    return summary.Filters(site=whole("site"), area=whole("area"), owner=whole("owner"),
                           frequency=frequency if frequency in FREQUENCIES else None)


def board_context(filters: summary.Filters, compact: bool, today: date) -> dict[str, Any]:
    tiles = summary.board(filters, today)
    return {"tiles": tiles, "filters": filters, "compact": compact, "icons": icons,
            # one url_for for the page, not one per tile: 500 of them cost 50 ms
            "show_url": url_for("kpis.show", kpi_id=0)[:-1],
            "sites": orgunits.site_tree(), "frequencies": FREQUENCIES,
            "owners": _owners(), "today": today,
            "counts": _counts(tiles),
            "variation_text": S.VARIATION_TEXT, "assurance_text": S.ASSURANCE_TEXT}


def report_context() -> dict[str, Any]:
    return {"sites": orgunits.site_tree()}


def _counts(tiles: list[summary.Tile]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tiles:
        key = "no_data" if t.no_data else t.status.get("variation", "none")
        out[key] = out.get(key, 0) + 1
    return out


def _owners() -> list[User]:
    owner_ids = select(Kpi.owner_id).where(Kpi.owner_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(owner_ids))
                                   .order_by(User.name)))


def form_context(kpi: Kpi | None = None, data: Mapping[str, Any] | None = None,
                 problem: DomainError | None = None) -> dict[str, Any]:
    return {"kpi": kpi, "data": data or {}, "problem": problem, "better": BETTER,
            "charts": CHARTS, "chart_names": services.CHART_NAMES,
            "frequencies": FREQUENCIES, "sources": SOURCES,
            "units": orgunits.choices(),
            "people": list(db.session.scalars(select(User).order_by(User.name)))}


def show_context(kpi: Kpi, user: Any, problem: DomainError | None = None,
                 today: date | None = None) -> dict[str, Any]:
    from . import access
    from .chart import full_chart

    rows = values.between(kpi)
    history = services.limit_history(kpi)
    tile = summary.tile(kpi, today or date.today())
    return {"kpi": kpi, "tile": tile, "rows": rows[::-1][:100], "n_rows": len(rows),
            "history": history, "full": full_chart(kpi, rows, history),
            "trail": _trail(kpi), "problem": problem, "icons": icons,
            "projects": improvement.linked_rows(
                kpi, int(current_app.config["PORTFOLIO_STALLED_DAYS"])),
            "HEALTH_LABELS": HEALTH_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "can_improve": user.has_role(*access.CREATORS),
            "can_edit": access.can_edit(user, kpi.owner_id),
            "chart_names": services.CHART_NAMES, "label": P.label,
            "variation_text": S.VARIATION_TEXT, "assurance_text": S.ASSURANCE_TEXT}


def _trail(kpi: Kpi) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity == "kpi", AuditEvent.entity_id == kpi.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(100)))


# --- changes --------------------------------------------------------------------------


def add_typed(actor: User, kpi: Kpi, form: Mapping[str, str], today: date) -> int:
    """One value typed into the KPI page's form, checked like any batch."""
    cells = {f: (form.get(f) or "").strip() for f in values.FIELDS}
    present = [f for f in values.FIELDS if cells[f] or f in ("period", "value")]
    import numpy as np
    import pyarrow as pa

    raw = reading.RawTable(headers=tuple(present),
                           columns=tuple(pa.array([cells[f]], type=pa.string())
                                         for f in present),
                           rows=np.array([1]), source="form")
    rows = values.check(kpi, raw, {f: f for f in present}, today)
    added = values.append(actor, kpi, rows, how="typed")
    after_values(kpi, [r.period for r in rows], actor)
    return added


def upload(actor: User, kpi: Kpi, data: bytes, filename: str, mapping: Mapping[str, str],
           today: date, max_bytes: int) -> int:
    """A CSV or XLSX file read by the data sets' reader; columns chosen by ``mapping``
    (field -> header) or, left empty, suggested as the data sets suggest them."""
    from ..datasets.problems import ImportProblem

    with no_cycle_collection():
        try:
            raw = reading.read(data, filename=filename, max_bytes=max_bytes)
        except ImportProblem as problem:
            raise values.refused(problem.problems) from None
        chosen = {f: h for f, h in mapping.items() if h}
        if not chosen:
            chosen = _suggested(raw, kpi)
        rows = values.check(kpi, raw, chosen, today)
        added = values.append(actor, kpi, rows, how="upload")
        after_values(kpi, [r.period for r in rows], actor)
    return added


def _suggested(raw: reading.RawTable, kpi: Kpi) -> dict[str, str]:
    """Columns named like the KPI's own fields (``period``, ``value``, as the report's CSV
    and the API name them) first, then the data sets' suggestion (a data set reads
    ``period`` as a stage, so without this the KPI's own export did not upload again)."""
    named = {h.strip().lower(): h for h in raw.headers}
    suggested = building.preview(raw, values._building_kind(kpi.chart)).mapping
    chosen: dict[str, str] = {}
    for f, role in values.ROLE_OF.items():
        if f == "n" and kpi.chart not in values.WITH_N:
            continue
        header = named.get(f) or suggested.get(role)
        if header is not None and header not in chosen.values():
            chosen[f] = header
    return chosen


def after_values(kpi: Kpi, changed: list[date], actor: User | None = None) -> None:
    """Limits whose baseline the change touches are recomputed, then the board's view;
    the projects started from the KPI follow its values into their KPI data sets."""
    services.refresh_figures(kpi, changed)
    summary.refresh(kpi)
    stages.follow(actor, kpi)


def correct(actor: User, kpi: Kpi, period: date, form: Mapping[str, str]) -> None:
    row = values.get_value(kpi, period)
    n = services.number(form.get("n"), "n") if kpi.chart in values.WITH_N else None
    value = services.number(form.get("value"), "value")
    if value is None:
        raise DomainError("Enter the corrected value.", field="value")
    values.correct(actor, kpi, row, value=value, n=n, note=(form.get("note") or "").strip(),
                   reason=form.get("reason") or "")
    after_values(kpi, [period], actor)
