"""The status icons, in the spirit of NHS "Making Data Count": a circle per status whose
colour and letter say the same as its label (colour is never the only signal). Built in
Python, each variant once, because a board of 500 KPIs drew 1,000 of them through a Jinja
macro in a fifth of a second."""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup, escape

from .status import ASSURANCE_TEXT, VARIATION_TEXT

VARIATION_LOOK = {"common": ("#777777", "~"), "improving": ("#0072B2", "+"),
                  "concerning": ("#D55E00", "!"), "neither": ("#CC79A7", "?"),
                  "none": ("#bbbbbb", "·"), "no_data": ("#bbbbbb", "–")}
ASSURANCE_LOOK = {"pass": ("#0072B2", "P"), "fail": ("#D55E00", "F"),
                  "hit_and_miss": ("#777777", "?")}


def _circle(colour: str, letter: str, label: str, data: str) -> Markup:
    label = str(escape(label))
    # Safe: the label is escaped above; colour, letter and data come from the constants here.
    return Markup(  # nosec B704
        f'<svg class="kpi-icon" width="26" height="26" viewBox="0 0 26 26" role="img" '
        f'aria-label="{label}" {data}><title>{label}</title><circle cx="13" cy="13" r="11" '
        f'fill="{colour}"/><text x="13" y="18" text-anchor="middle" font-size="14" '
        f'font-weight="bold" fill="#ffffff">{letter}</text></svg>')


@cache
def variation(status: str, no_data: bool) -> Markup:
    key = "no_data" if no_data else status
    label = "No data this period" if no_data else VARIATION_TEXT[status]
    return _circle(*VARIATION_LOOK[key], label, f'data-variation="{key}"')


@cache
def _assurance(status: str, percent: int | None) -> Markup:
    if status not in ASSURANCE_LOOK:
        return Markup("")
    label = ASSURANCE_TEXT[status]
    if percent is not None:
        label += f" (about {percent}% of periods will miss)"
    return _circle(*ASSURANCE_LOOK[status], label, f'data-assurance="{status}"')


def assurance(status: str, miss_share: float | None) -> Markup:
    percent = round(miss_share * 100) if status == "hit_and_miss" and miss_share is not None \
        else None
    return _assurance(status, percent)


def of_tile(tile: Any) -> Markup:
    """Both icons of a KPI's status (a ``summary.Tile``): its variation, then its assurance."""
    status = tile.status
    return variation(status.get("variation", "none"), tile.no_data) + \
        assurance(status.get("assurance", "none"), status.get("miss_share"))
