"""Named sets of tests for special causes, as the standards publish them, and custom sets.

A rule set is plain data (a name, rule numbers and run lengths) so a site can keep its own
under its own name: ``RuleSet.to_dict()`` / ``RuleSet.from_dict()`` round-trip through JSON
for storage, and ``custom_rule_set()`` validates one. ``control_chart(rules=...)`` takes a
name from ``RULE_SETS`` or a ``RuleSet``, and the chart names the set it used.

Rule numbers (1-8 are Nelson's, in his order; 9-12 complete the published sets):

1. one point more than K sigma (3) from the center line (beyond the control limits);
2. K points in a row (9) on the same side of the center line;
3. K points in a row (6) all increasing or all decreasing;
4. K points in a row (14) alternating up and down;
5. K out of K + 1 points (2 of 3) more than 2 sigma from the center, same side;
6. K out of K + 1 points (4 of 5) more than 1 sigma from the center, same side;
7. K points in a row (15) within 1 sigma of the center line;
8. K points in a row (8) more than 1 sigma from the center line, either side;
9. K points in a row (2) more than 2 sigma from the center, same side (Westgard 2:2s);
10. K points in a row (4) more than 1 sigma from the center, same side (Westgard 4:1s);
11. two consecutive points on opposite sides, each more than K sigma (2) from the center:
    their range exceeds 2K sigma (Westgard R:4s, applied across consecutive runs);
12. K out of K + 1 points (2 of 3) more than 2 sigma from the center, either side (the
    healthcare "two of three near a control limit").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from ._base import StatsInputError

__all__ = ["DEFAULT_RUN_LENGTHS", "RULE_NAMES", "RULE_SETS", "RuleSet", "custom_rule_set",
           "resolve_rule_set", "resolve_rules"]

#: Minitab's default K for tests 1-8 (rule 1: sigmas; 5, 6: K out of K + 1), Westgard's for 9-11.
DEFAULT_RUN_LENGTHS: dict[int, float] = {1: 3, 2: 9, 3: 6, 4: 14, 5: 2, 6: 4, 7: 15, 8: 8,
                                         9: 2, 10: 4, 11: 2, 12: 2}
#: The smallest sensible K is above this (rules 1 and 11 take sigmas, any positive number).
_MIN_RUN_LENGTHS: dict[int, float] = {1: 0, 2: 1, 3: 2, 4: 3, 5: 1, 6: 1, 7: 1, 8: 1,
                                      9: 0, 10: 0, 11: 0, 12: 1}
_SIGMA_RULES = frozenset({1, 11})

RULE_NAMES: dict[int, str] = {
    1: "{k} sigma beyond the center line (outside the limits)",
    2: "{k} points in a row on one side of the center line",
    3: "{k} points in a row all increasing or all decreasing",
    4: "{k} points in a row alternating up and down",
    5: "{k} of {k1} points beyond 2 sigma, same side",
    6: "{k} of {k1} points beyond 1 sigma, same side",
    7: "{k} points in a row within 1 sigma of the center line",
    8: "{k} points in a row beyond 1 sigma, either side",
    9: "{k} points in a row beyond 2 sigma, same side",
    10: "{k} points in a row beyond 1 sigma, same side",
    11: "two consecutive points beyond {k} sigma on opposite sides",
    12: "{k} of {k1} points beyond 2 sigma, either side",
}


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """A named choice of rules with the run lengths that go with it.

    ``run_lengths`` holds only the lengths that differ from ``DEFAULT_RUN_LENGTHS``.
    ``source`` is the publication the set follows (empty for a site's own set).
    """

    name: str
    rules: tuple[int, ...]
    run_lengths: Mapping[int, float] = dataclasses.field(default_factory=dict)
    source: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "run_lengths", MappingProxyType(dict(self.run_lengths)))

    def lengths(self) -> dict[int, float]:
        """Run length of every rule in the set, defaults filled in."""
        return {r: self.run_lengths.get(r, DEFAULT_RUN_LENGTHS[r]) for r in self.rules}

    def describe(self) -> list[str]:
        """One sentence per rule, with this set's run lengths."""
        return [RULE_NAMES[r].format(k=_fmt(k), k1=_fmt(k + 1))
                for r, k in self.lengths().items()]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (run-length keys as strings) for storing a site's set."""
        return {"name": self.name, "rules": list(self.rules),
                "run_lengths": {str(r): k for r, k in self.run_lengths.items()},
                "source": self.source, "description": self.description}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Rebuild (and validate) a set stored with ``to_dict()``."""
        try:
            lengths = {int(r): k for r, k in dict(data.get("run_lengths") or {}).items()}
            return custom_rule_set(str(data["name"]), data["rules"], lengths,
                                   description=str(data.get("description", "")),
                                   source=str(data.get("source", "")), builtin_ok=True)
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, StatsInputError):
                raise
            raise StatsInputError(f"rule set: cannot read {dict(data)!r} ({exc})") from None


def _fmt(k: float) -> str:
    return f"{k:g}"


_NELSON = "Nelson, L. S. (1984), J. Quality Technology 16(4), 237-239; Minitab's defaults"
RULE_SETS: dict[str, RuleSet] = {s.name: s for s in (
    RuleSet("nelson", (1, 2, 3, 4, 5, 6, 7, 8), {}, _NELSON,
            "Nelson's eight tests for special causes"),
    RuleSet("western_electric", (1, 2, 5, 6), {2: 8},
            "Western Electric Co. (1956), Statistical Quality Control Handbook, sec. 1-B",
            "the four Western Electric zone rules"),
    RuleSet("montgomery", (1, 2, 3, 4, 5, 6, 7, 8), {2: 8},
            "Montgomery, D. C., Introduction to Statistical Quality Control, the sensitizing "
            "rules (4th ed. pp. 172-175; QI Macros' default)",
            "Western Electric rules with Nelson's trend, stratification, mixture and "
            "alternation tests"),
    RuleSet("aiag", (1, 2, 3, 4, 5, 6, 7, 8), {2: 7},
            "AIAG, Statistical Process Control reference manual, 2nd ed. (2005), summary of "
            "typical special cause criteria",
            "Nelson's tests with 7 points in a row on one side"),
    RuleSet("westgard", (1, 9, 11, 10, 2), {2: 10},
            "Westgard, J. O., Barry, P. L., Hunt, M. R., Groth, T. (1981), A multi-rule "
            "Shewhart chart for quality control in clinical chemistry, Clin. Chem. 27(3), "
            "493-501",
            "laboratory multirule: 1:3s, 2:2s, R:4s, 4:1s, 10:x (the 1:2s warning is left "
            "out, as in computer implementations, so every point is tested)"),
    RuleSet("ihi", (1, 2, 3, 12, 7), {2: 8},
            "Provost, L. P., Murray, S. K. (2011), The Health Care Data Guide, ch. 5 (the "
            "Institute for Healthcare Improvement's rules)",
            "healthcare: outside the limits, 8 on one side, 6 trending, 2 of 3 in the outer "
            "third (either side), 15 in the inner third"),
    RuleSet("rule1", (1,), {}, "", "beyond the control limits only"),
    RuleSet("limits_only", (1,), {}, "", "beyond the control limits only"),
    RuleSet("none", (), {}, "", "no tests"),
)}
RULE_SETS["healthcare"] = dataclasses.replace(RULE_SETS["ihi"], name="healthcare")


def _check_lengths(lengths: Mapping[Any, Any]) -> dict[int, float]:
    out: dict[int, float] = {}
    for raw, value in lengths.items():
        try:
            rule = int(raw)
            k = float(value)
        except (TypeError, ValueError):
            raise StatsInputError(f"run_lengths: rule {raw!r} needs a number, got {value!r}") \
                from None
        if rule not in DEFAULT_RUN_LENGTHS or rule != raw and not isinstance(raw, str):
            raise StatsInputError(f"run_lengths: unknown rule {raw!r}")
        if rule in _SIGMA_RULES:
            if not 0 < k < 1e6:
                raise StatsInputError(f"run_lengths: rule {rule} needs sigmas > 0, got {value!r}")
        elif int(k) != k or k <= _MIN_RUN_LENGTHS[rule] or k > 10**6:
            raise StatsInputError(
                f"run_lengths: rule {rule} needs a whole number above "
                f"{_MIN_RUN_LENGTHS[rule]:g}, got {value!r}"
            )
        out[rule] = int(k) if rule not in _SIGMA_RULES else k
    return out


def _check_numbers(rules: Any) -> tuple[int, ...]:
    if isinstance(rules, (str, bytes)) or not isinstance(rules, (Sequence, set, frozenset)):
        raise StatsInputError(f"rules must be numbers 1-12, got {rules!r}")
    try:
        numbers = tuple(sorted({int(r) for r in rules}))
    except (TypeError, ValueError):
        raise StatsInputError(f"rules must be numbers 1-12, got {rules!r}") from None
    bad = [r for r in numbers if r not in DEFAULT_RUN_LENGTHS]
    if bad:
        raise StatsInputError(f"rules must be numbers 1-12, got {bad}")
    return numbers


_NAME = re.compile(r"^[\w][\w .()/+-]{0,59}$")


def custom_rule_set(name: str, rules: Sequence[int], run_lengths: Mapping[int, float] | None = None,
                    *, description: str = "", source: str = "",
                    builtin_ok: bool = False) -> RuleSet:
    """A site's own rule set, validated: rule numbers 1-12 and sensible run lengths.

    The name may not shadow a published set (``"nelson"``...), so a chart that says it used
    "nelson" always means Nelson's tests.
    """
    if not isinstance(name, str) or not _NAME.match(name.strip()):
        raise StatsInputError("rule set name: 1-60 letters, digits, spaces or . ( ) / + - _, "
                              f"got {name!r}")
    name = name.strip()
    if not builtin_ok and name.lower() in RULE_SETS:
        raise StatsInputError(f"rule set name {name!r} is taken by a published set; "
                              "choose another")
    numbers = _check_numbers(rules)
    lengths = _check_lengths(run_lengths or {})
    unused = sorted(set(lengths) - set(numbers))
    if unused:
        raise StatsInputError(f"run_lengths given for rule(s) {unused} not in the set")
    lengths = {r: k for r, k in lengths.items() if k != DEFAULT_RUN_LENGTHS[r]}
    return RuleSet(name, numbers, lengths, source, description)


def resolve_rule_set(
    rules: str | RuleSet | Sequence[int] | None, run_lengths: Mapping[int, float] | None = None
) -> tuple[str | None, tuple[int, ...], dict[int, float]]:
    """(set name or None for explicit numbers, sorted rules, run length of every rule)."""
    if rules is None:
        chosen: RuleSet = RULE_SETS["none"]
    elif isinstance(rules, RuleSet):
        chosen = rules
    elif isinstance(rules, str):
        if rules not in RULE_SETS:
            raise StatsInputError(f"unknown rule set {rules!r}; choose one of "
                                  f"{', '.join(RULE_SETS)}, a RuleSet or rule numbers")
        chosen = RULE_SETS[rules]
    else:
        chosen = RuleSet("", _check_numbers(rules))
    _check_numbers(chosen.rules)
    lengths = {**DEFAULT_RUN_LENGTHS, **_check_lengths(chosen.run_lengths),
               **_check_lengths(run_lengths or {})}
    return chosen.name or None, tuple(sorted(chosen.rules)), lengths


def resolve_rules(
    rules: str | RuleSet | Sequence[int] | None, run_lengths: Mapping[int, float] | None = None
) -> tuple[tuple[int, ...], dict[int, float]]:
    """Turn a rule-set name, ``RuleSet`` or explicit tuple into (sorted rules, run lengths)."""
    _, chosen, lengths = resolve_rule_set(rules, run_lengths)
    return chosen, lengths
