"""The tests for special causes in plain words, for tooltips and the table of signals."""

from __future__ import annotations

RULES = {
    1: "a point more than {k:g} sigma from the center line",
    2: "{k:g} points in a row on the same side of the center line (a shift)",
    3: "{k:g} points in a row all increasing or all decreasing (a trend)",
    4: "{k:g} points in a row alternating up and down (over-adjustment or two streams)",
    5: "{k:g} of {k1:g} points more than 2 sigma from the center, same side (an early shift)",
    6: "{k:g} of {k1:g} points more than 1 sigma from the center, same side (a small shift)",
    7: "{k:g} points in a row within 1 sigma of the center (stratification: limits too "
       "wide)",
    8: "{k:g} points in a row more than 1 sigma from the center, either side (a mixture)",
}
DEFAULT_K = {1: 3, 2: 9, 3: 6, 4: 14, 5: 2, 6: 4, 7: 15, 8: 8}


def describe_rule(rule: int, k: float | None = None) -> str:
    template = RULES.get(rule)
    if template is None:
        return f"test {rule}"
    k = DEFAULT_K[rule] if k is None else k
    return template.format(k=k, k1=k + 1)
