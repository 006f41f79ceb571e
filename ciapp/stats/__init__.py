"""ciapp.stats: the statistics of continuous improvement, usable on its own.

Pure numpy / SciPy / statsmodels: nothing here imports Flask, the database or matplotlib
(see README.md in this folder). Names are loaded on first use so ``import ciapp.stats`` stays
cheap; heavy SciPy and statsmodels submodules are imported inside the functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._base import Result, StatsInputError
from .constants import c4, d2, d3

_EXPORTS: dict[str, str] = {
    # control charts and rules for special causes
    "control_chart": "control",
    "ControlChart": "control",
    "CHARTS": "control",
    "nelson_rules": "rules",
    "RULE_SETS": "rules",
    # capability
    "capability": "capability",
    "Capability": "capability",
    # comparisons
    "compare": "compare",
    "compare_means": "compare",
    "compare_medians": "compare",
    "compare_variances": "compare",
    "compare_proportions": "compare",
    "compare_rates": "compare",
    "anova_oneway": "compare",
    "chi_square": "compare",
    "Comparison": "compare",
    # power and sample size
    "power": "power",
    "sample_size": "power",
    "PowerResult": "power",
    # Pareto
    "pareto": "pareto",
    "Pareto": "pareto",
    # measurement system analysis
    "gage_rr": "msa",
    "GageRR": "msa",
    # time-order checks
    "autocorrelation": "timeseries",
    "Autocorrelation": "timeseries",
    "suggest_shift": "timeseries",
    "ShiftSuggestion": "timeseries",
}

__all__ = ["Result", "StatsInputError", "c4", "d2", "d3", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ciapp.stats' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
