"""ciapp.stats: the statistics of continuous improvement, usable on its own.

Pure numpy / SciPy / statsmodels: nothing here imports Flask, the database or matplotlib
(see README.md in this folder). The modules import only numpy at the top; SciPy and
statsmodels submodules are imported inside the functions that need them, so
``import ciapp.stats`` stays cheap.

The functions are imported here by name, after their modules: several share their module's
name (``capability``, ``compare``, ``power``, ``pareto``), and binding the function last is
what makes ``ciapp.stats.compare`` the function rather than the module.
"""

from __future__ import annotations

from ._base import Result, StatsInputError
from .agreement import AgreementRow, AttributeAgreement, attribute_agreement
from .capability import Capability, capability
from .compare import (
    Anova,
    Comparison,
    TargetTest,
    anova_oneway,
    chi_square,
    compare,
    compare_groups,
    compare_means,
    compare_medians,
    compare_proportions,
    compare_rates,
    compare_variances,
    equal_variances,
    kruskal_wallis,
    mood_median,
    one_sample_proportion,
    one_sample_rate,
    one_sample_t,
    one_sample_wilcoxon,
)
from .constants import c4, d2, d3
from .control import CHARTS, ControlChart, control_chart
from .kappa import CohenKappa, FleissKappa, cohens_kappa, fleiss_kappa
from .msa import GageRR, gage_rr
from .pareto import Pareto, pareto
from .power import PowerResult, power, sample_size
from .rules import RULE_SETS, nelson_rules
from .rulesets import RuleSet, custom_rule_set
from .runchart import RunChart, run_chart
from .timeseries import Autocorrelation, ShiftSuggestion, autocorrelation, suggest_shift

__all__ = [
    "CHARTS", "RULE_SETS", "Autocorrelation", "Capability", "Comparison", "ControlChart",
    "GageRR", "Pareto", "PowerResult", "Result", "ShiftSuggestion", "StatsInputError",
    "AgreementRow", "AttributeAgreement", "CohenKappa", "FleissKappa",
    "anova_oneway", "autocorrelation", "c4", "capability", "chi_square", "compare",
    "compare_means", "compare_medians", "compare_proportions", "compare_rates",
    "compare_variances", "control_chart", "d2", "d3", "gage_rr", "nelson_rules", "pareto",
    "power", "sample_size", "suggest_shift",
    "attribute_agreement", "cohens_kappa", "fleiss_kappa",
    "RuleSet", "RunChart", "custom_rule_set", "run_chart",
    "Anova", "TargetTest", "compare_groups", "equal_variances", "kruskal_wallis", "mood_median",
    "one_sample_proportion", "one_sample_rate", "one_sample_t", "one_sample_wilcoxon",
]
