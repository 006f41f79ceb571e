"""Benefit test data: lines through the real services, a saved comparison with a result
written by hand (so the expected savings are hand arithmetic, not our statistics)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ciapp.benefits import services
from ciapp.datasets.models import AnalysisRecord
from ciapp.extensions import db
from tests import factories


def line_input(category: str = "hard_savings", description: str = "Less scrap",
               quantity: str = "1200", unit_value: str = "2.50",
               start: date = date(2026, 1, 1), unit: str = "parts") -> services.LineInput:
    return services.LineInput(category, description, "Scrapped parts a year x cost each",
                              Decimal(quantity), unit, Decimal(unit_value), start)


def add_line(lead: Any, project: Any, **kwargs: Any) -> Any:
    return services.create_line(lead, project, line_input(**kwargs))


def team() -> tuple[Any, Any]:
    lead = factories.user("belt")
    return lead, factories.project(lead, complete=True)


def comparison(project: Any, *, change: float = -2.5, ci: tuple[float, float] = (-3.1, -1.9),
               p_value: float = 0.0004, improved: bool = True, better: str = "lower",
               title: str = "Before/after: cycle time") -> AnalysisRecord:
    """A saved before/after comparison whose result is written here by hand."""
    dataset = factories.dataset(project)
    record = AnalysisRecord(
        project_id=project.id, dataset_id=dataset.id, analysis="comparison", title=title,
        inputs=[], options={}, software="test",
        result={"change": change, "change_ci": list(ci), "p_value": p_value,
                "significant": improved, "improved": improved, "better": better,
                "alpha": 0.05})
    db.session.add(record)
    db.session.flush()
    return record
