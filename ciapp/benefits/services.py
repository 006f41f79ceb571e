"""Benefit lines, realized months and project costs: the rules. Services flush, never
commit; the route commits. Validation by finance is in ``validation.py``.

Locking: a projected figure finance approved, and a realized month finance approved, cannot
be changed; the team reopens it (``validation.reopen``), which takes the validation away,
and submits again. A change to a figure waiting for finance takes it out of the queue
(back to draft), so finance never signs off a number other than the one it saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.services import diff, record
from ..auth.models import User
from ..core.errors import Conflict, DomainError
from ..core.money import as_money
from ..core.records import child_or_404
from ..core.time import utcnow
from ..core.versions import check_version
from ..datasets.models import AnalysisRecord
from ..extensions import db
from ..projects.models import Project
from . import calc
from .models import CATEGORIES, COST_KINDS, BenefitLine, BenefitMonth, ProjectCost

TEXT_MAX = 2000
# Cash benefits: ROI and payback count these; soft savings and cost avoidance are real but
# do not pay back a cash outlay.
CASH = ("hard_savings", "revenue")
EDITABLE = ("draft", "returned", "pending")


@dataclass(frozen=True)
class LineInput:
    """What a person enters for a line (a form or the API has checked the shapes)."""

    category: str
    description: str
    method: str
    quantity: Decimal | None
    quantity_unit: str
    unit_value: Decimal | None
    start_month: date | None


@dataclass(frozen=True)
class DeriveInput:
    """A line estimated from a saved before/after comparison."""

    record_id: int | None
    unit_cost: Decimal | None
    volume: Decimal | None


def today() -> date:
    return utcnow().date()


def this_month() -> date:
    return today().replace(day=1)


def lines(project_id: int) -> list[BenefitLine]:
    stmt = (select(BenefitLine).where(BenefitLine.project_id == project_id)
            .options(selectinload(BenefitLine.months).selectinload(BenefitMonth.validated_by),
                     selectinload(BenefitLine.projected_by), selectinload(BenefitLine.record))
            .order_by(BenefitLine.id))
    return list(db.session.scalars(stmt))


def costs(project_id: int) -> list[ProjectCost]:
    return list(db.session.scalars(select(ProjectCost).where(
        ProjectCost.project_id == project_id).order_by(ProjectCost.id)))


def comparisons(project_id: int) -> list[AnalysisRecord]:
    """The project's saved before/after comparisons, newest first."""
    return list(db.session.scalars(select(AnalysisRecord).where(
        AnalysisRecord.project_id == project_id, AnalysisRecord.analysis == "comparison")
        .order_by(AnalysisRecord.id.desc())))


def _text(value: str | None, field: str, label: str, limit: int, *,
          required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"{label} is required.", field=field)
    if len(text) > limit:
        raise DomainError(f"{label} is longer than {limit} characters.", field=field)
    return text


def _positive(value: Decimal | None, field: str, label: str) -> Decimal:
    if value is None:
        raise DomainError(f"{label} is required.", field=field)
    if value <= 0:
        raise DomainError(f"{label} must be more than zero.", field=field)
    return value


def _amount(value: Decimal, field: str) -> Decimal:
    try:
        return as_money(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(str(exc), field=field) from None


def _checked(values: LineInput) -> dict[str, Any]:
    if values.category not in CATEGORIES:
        raise DomainError("Category must be one of: " + ", ".join(CATEGORIES) + ".",
                          field="category")
    if values.start_month is None:
        raise DomainError("Say in which month the benefit starts (YYYY-MM).",
                          field="start_month")
    return {"category": values.category,
            "description": _text(values.description, "description", "The description", 200),
            "method": _text(values.method, "method", "The calculation method", TEXT_MAX,
                            required=False),
            "quantity_unit": _text(values.quantity_unit, "quantity_unit", "The unit", 40,
                                   required=False),
            "start_month": values.start_month.replace(day=1)}


def _figures(quantity: Decimal | None, unit_value: Decimal | None) -> dict[str, Decimal]:
    quantity = _positive(quantity, "quantity", "The quantity").quantize(calc.QUANTUM)
    unit_value = _amount(_positive(unit_value, "unit_value", "The unit value"), "unit_value")
    return {"quantity": quantity, "unit_value": unit_value,
            "projected": _amount(calc.projected(quantity, unit_value), "quantity")}


def _plain(value: Any) -> Any:
    # The audit trail is JSON: amounts go in as their exact text.
    return str(value) if isinstance(value, Decimal) else value


def audit_line(actor: User, action: str, line: BenefitLine, summary: str,
           changes: dict[str, list[Any]] | None = None) -> None:
    plain = {k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()}
    record(actor, action, "benefit", line.id, project_id=line.project_id,
           summary=f"Benefit '{line.description}': {summary}", changes=plain)


def create_line(actor: User, project: Project, values: LineInput) -> BenefitLine:
    line = BenefitLine(project_id=project.id, created_by_id=actor.id, **_checked(values),
                       **_figures(values.quantity, values.unit_value))
    db.session.add(line)
    db.session.flush()
    audit_line(actor, "create", line, f"{line.category_label}, projected {line.projected} a year "
                                  f"({line.quantity} x {line.unit_value})")
    return line


def derive_line(actor: User, project: Project, values: LineInput,
                source: DeriveInput) -> BenefitLine:
    """A line whose quantity is the before/after improvement x volume, with the range the
    change's confidence interval gives."""
    if source.record_id is None:
        raise DomainError("Choose a saved before/after comparison.", field="record_id")
    saved = child_or_404(AnalysisRecord, source.record_id, project.id, what="Analysis",
                         within=f" in {project.key}")
    result = saved.result or {}
    ci = result.get("change_ci") or [None, None]
    if saved.analysis != "comparison" or result.get("change") is None or None in ci:
        raise DomainError(f"'{saved.title}' is not a before/after comparison with a change "
                          "and its confidence interval.", field="record_id")
    unit_cost = _amount(_positive(source.unit_cost, "unit_cost", "The unit cost"),
                        "unit_cost")
    volume = _positive(source.volume, "volume", "The volume").quantize(calc.QUANTUM)
    better = str(result.get("better") or project.metric_better or "lower")
    derived = calc.derive(float(result["change"]), (float(ci[0]), float(ci[1])), better,
                          unit_cost, volume)
    if derived.estimate <= 0:
        raise DomainError(f"'{saved.title}' shows no change in the better direction "
                          f"({better} is better), so there is no saving to estimate from it.",
                          field="record_id")
    line = BenefitLine(
        project_id=project.id, created_by_id=actor.id, **_checked(values),
        quantity=derived.quantity, unit_value=unit_cost,
        projected=_amount(derived.estimate, "volume"),
        record_id=saved.id, change=float(result["change"]), change_low=float(min(ci)),
        change_high=float(max(ci)), p_value=result.get("p_value"), volume=volume,
        range_low=_amount(derived.low, "volume"), range_high=_amount(derived.high, "volume"),
        backed=bool(result.get("improved")))
    db.session.add(line)
    db.session.flush()
    audit_line(actor, "create", line, f"estimated from '{saved.title}': {line.projected} a year "
                                  f"(range {line.range_low} to {line.range_high})")
    return line


def _unlocked(line: BenefitLine, what: str) -> None:
    if line.projected_state == "approved":
        raise Conflict(f"The projected figure of '{line.description}' is validated by "
                       f"finance and locked; reopen it to {what} (it then needs a new "
                       "validation).", field="version")


def touch(line: BenefitLine) -> None:
    """A change to a month is a change to the line: its version moves on."""
    line.updated_at = utcnow()


def update_line(actor: User, line: BenefitLine, values: LineInput,
                version: int | None) -> None:
    check_version(line, version, "The benefit line")
    _unlocked(line, "change it")
    new = _checked(values)
    if not line.derived:  # a derived line's figures come from its comparison
        new |= _figures(values.quantity, values.unit_value)
    changes = diff(line, new)
    if not changes:
        return
    for name, value in new.items():
        setattr(line, name, value)
    if line.projected_state == "pending":
        line.projected_state = "draft"
        changes["projected_state"] = ["pending", "draft"]
    db.session.flush()
    audit_line(actor, "update", line, "changed", changes)


def delete_line(actor: User, line: BenefitLine, version: int | None) -> None:
    check_version(line, version, "The benefit line")
    if line.projected_state == "approved" or any(m.state == "approved" for m in line.months):
        raise Conflict(f"'{line.description}' has figures validated by finance; reopen them "
                       "before deleting the line.")
    audit_line(actor, "delete", line, f"deleted ({line.projected} a year, "
                                  f"{line.realized} realized)")
    db.session.delete(line)
    db.session.flush()


def set_month(actor: User, line: BenefitLine, month: date | None, amount: Decimal | None,
              version: int | None) -> None:
    """The realized amount of ``month``; None removes the month."""
    check_version(line, version, "The benefit line")
    if month is None:
        raise DomainError("Say which month (YYYY-MM).", field="month")
    month = date(month.year, month.month, 1)  # a plain date, whatever the form held
    if month > this_month():
        raise DomainError(f"{month:%Y-%m} has not begun: realized amounts are entered for "
                          "months that have started.", field="month")
    row = next((m for m in line.months if m.month == month), None)
    if row is not None and row.state == "approved":
        raise Conflict(f"{month:%Y-%m} of '{line.description}' is validated by finance and "
                       "locked; reopen it to change it.", field="month")
    before = None if row is None else row.amount
    if amount is None:
        if row is None:
            return
        line.months.remove(row)
    else:
        amount = _amount(amount, "amount")
        if row is None:
            row = BenefitMonth(month=month, amount=amount)
            line.months.append(row)
        row.amount, row.state = amount, "draft"
    touch(line)
    db.session.flush()
    audit_line(actor, "update", line, f"realized {month:%Y-%m}",
           {f"realized {month:%Y-%m}": [before, amount]})


def add_cost(actor: User, project: Project, kind: str | None, description: str | None,
             amount: Decimal | None) -> ProjectCost:
    if kind not in COST_KINDS:
        raise DomainError("Say whether the cost is one-off or running.", field="kind")
    cost = ProjectCost(project_id=project.id, kind=kind,
                       description=_text(description, "description", "The description", 200),
                       amount=_amount(_positive(amount, "amount", "The amount"), "amount"))
    db.session.add(cost)
    db.session.flush()
    record(actor, "create", "cost", cost.id, project_id=project.id,
           summary=f"Cost '{cost.description}': {cost.kind_label} {cost.amount}")
    return cost


def delete_cost(actor: User, cost: ProjectCost) -> None:
    record(actor, "delete", "cost", cost.id, project_id=cost.project_id,
           summary=f"Cost '{cost.description}' ({cost.kind_label} {cost.amount}) removed")
    db.session.delete(cost)
    db.session.flush()


@dataclass(frozen=True)
class Totals:
    projected: Decimal = Decimal("0.00")
    projected_validated: Decimal = Decimal("0.00")
    realized: Decimal = Decimal("0.00")
    realized_validated: Decimal = Decimal("0.00")

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[Decimal, ...]:
        return (self.projected, self.projected_validated, self.realized,
                self.realized_validated)


def totals_of(line: BenefitLine) -> Totals:
    return Totals(line.projected,
                  line.projected if line.projected_state == "approved" else Decimal("0.00"),
                  line.realized,
                  sum((m.amount for m in line.months if m.state == "approved"),
                      Decimal("0.00")))


@dataclass(frozen=True)
class ProjectBenefits:
    """A project's benefits at a glance: the A3's benefits section and the page's head."""

    lines: list[BenefitLine]
    costs: list[ProjectCost]
    total: Totals
    by_category: dict[str, Totals]
    returns: calc.Return  # ROI and payback on the projected cash benefits (CASH)
    returns_all: calc.Return  # the same on every projected benefit
    backed: int  # lines backed by a significant before/after change
    derived: int
    waiting: int  # lines with something in finance's queue


def summary_for_project(project: Project) -> ProjectBenefits:
    found = lines(project.id)
    spent = costs(project.id)
    by_category: dict[str, Totals] = {}
    for line in found:
        by_category[line.category] = by_category.get(line.category, Totals()) + totals_of(line)
    total = sum(by_category.values(), Totals())
    cash = sum((line.projected for line in found if line.category in CASH), Decimal("0.00"))
    one_off = sum((c.amount for c in spent if c.kind == "one_off"), Decimal("0.00"))
    running = sum((c.amount for c in spent if c.kind == "running"), Decimal("0.00"))
    waiting = sum(1 for line in found if line.projected_state == "pending"
                  or any(m.state == "pending" for m in line.months))
    return ProjectBenefits(found, spent, total,
                           {k: by_category[k] for k in CATEGORIES if k in by_category},
                           calc.returns(cash, one_off, running),
                           calc.returns(total.projected, one_off, running),
                           sum(1 for line in found if line.backed),
                           sum(1 for line in found if line.derived), waiting)
