"""Benefits for the demo projects, through the real services, so a new user sees lines with
their months in every state: the SMED event's capacity estimated from its before/after
comparison and its stock saving validated by finance, the short-shot saving waiting in
finance's queue, and the mis-pick saving returned with a comment.

The figures follow each charter's business case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..analyses import services as analyses
from ..auth.models import User
from ..benefits import services as benefits
from ..benefits import validation
from ..benefits.calc import add_months
from ..datasets.models import Dataset
from ..extensions import db
from ..projects.models import Project

D = Decimal


def _line(lead: User, project: Project, category: str, description: str, method: str,
          quantity: str, unit: str, value: str, start: date) -> benefits.BenefitLine:
    return benefits.create_line(lead, project, benefits.LineInput(
        category, description, method, D(quantity), unit, D(value), start))


def _months(lead: User, line: benefits.BenefitLine, amounts: Sequence[str]) -> None:
    """Realized amounts for the months up to last month, the newest last."""
    last = add_months(benefits.this_month(), -1)
    for k, amount in enumerate(amounts):
        month = add_months(last, k - len(amounts) + 1)
        benefits.set_month(lead, line, month, D(amount), line.version)


def _approve(finance: User, project: Project, line: benefits.BenefitLine, part: str,
             comment: str = "") -> None:
    lead = project.lead
    assert lead is not None
    validation.submit(lead, line, part, line.version)
    validation.decide(finance, project, line, part, "approve", comment, line.version)


def _smed(project: Project, finance: User) -> None:
    lead = project.lead
    assert lead is not None
    dataset = db.session.scalar(select(Dataset).where(Dataset.project_id == project.id))
    start = add_months(benefits.this_month(), -6)
    if dataset is not None:
        record = analyses.save_record(lead, project, "comparison", [
            analyses.source(project, dataset.id, stage="baseline"),
            analyses.source(project, dataset.id, stage="after change")], {},
            "Changeover time before and after the event")
        line = benefits.derive_line(lead, project, benefits.LineInput(
            "soft_savings", "Press capacity freed by shorter changeovers",
            "Minutes saved per changeover (before/after test) x 1,056 changeovers a year "
            "(22 a week, 48 weeks) x EUR 1.50 per press-minute (finance's machine rate).",
            None, "press-minutes", None, start),
            benefits.DeriveInput(record.id, D("1.50"), D("1056")))
        _approve(finance, project, line, "projected", "Machine rate confirmed for 2026.")
    stock = _line(lead, project, "hard_savings", "Lower finished-goods stock",
                  "EUR 60,000 less stock of low-volume housings x 20% carrying cost a year.",
                  "60000", "EUR of stock", "0.20", start)
    _approve(finance, project, stock, "projected")
    _months(lead, stock, ["1000.00", "1000.00", "1000.00", "1000.00", "1000.00", "1000.00"])
    _approve(finance, project, stock, "realized", "Matches the stock report.")
    benefits.add_cost(lead, project, "one_off", "Quick clamps for presses 4 to 7", D("18000"))
    benefits.add_cost(lead, project, "one_off", "Mould pre-heat cart", D("6500"))
    benefits.add_cost(lead, project, "running", "Clamp maintenance", D("1200"))


def _short_shots(project: Project) -> None:
    lead = project.lead
    assert lead is not None
    line = _line(lead, project, "hard_savings", "Less short-shot scrap on Press 7",
                 "From 3.8% to 1.0% scrap: about 75,700 parts a year fewer x EUR 1.85 "
                 "(material and machine time).", "75700", "parts", "1.85",
                 add_months(benefits.this_month(), -2))
    _months(lead, line, ["9850.40", "11210.75"])
    validation.submit(lead, line, "projected", line.version)
    benefits.add_cost(lead, project, "one_off", "Vent cleaning and dryer alarm relay",
                      D("4200"))


def _mis_picks(project: Project, finance: User) -> None:
    lead = project.lead
    assert lead is not None
    line = _line(lead, project, "hard_savings", "Fewer mis-picks",
                 "3,840 mis-picks a year fewer x EUR 38 (credit note, re-delivery, call).",
                 "3840", "mis-picks", "38.00", add_months(benefits.this_month(), -1))
    validation.submit(lead, line, "projected", line.version)
    validation.decide(finance, project, line, "projected", "return",
                      "EUR 38 includes the carrier's re-delivery, which the carrier pays "
                      "since March; use EUR 29.", line.version)
    _line(lead, project, "cost_avoidance", "No second pick-check station",
          "The station the 2025 budget planned is not needed at 6 mis-picks per 10,000.",
          "1", "station", "42000.00", add_months(benefits.this_month(), -1))


STORIES = {
    "SMED: mould changeover on the 350-t presses": "smed",
    "Reduce short shots on Press 7 (DH-220 door-handle housing)": "short_shots",
    "Cut mis-picks in the each-pick zone": "mis_picks",
}


def add(projects: Sequence[Project], finance: User) -> int:
    """Benefit lines for the demo projects that have a story; how many projects got some."""
    added = 0
    for project in projects:
        story = STORIES.get(project.title)
        if story == "smed":
            _smed(project, finance)
        elif story == "short_shots":
            _short_shots(project)
        elif story == "mis_picks":
            _mis_picks(project, finance)
        else:
            continue
        added += 1
    return added
