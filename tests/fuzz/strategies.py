"""What the fuzz tests share: one Hypothesis settings object and the hostile cells and form
values they draw from.

The settings are derandomised (the same examples on every run, so a red build can be
reproduced and CI stays quick) and bounded (a modest number of examples, no deadline: a
request's time depends on how busy the machine is, not on the input). The example database
is off, so a run never replays yesterday's failures from a local folder CI does not have.
``CIAPP_FUZZ_SCALE=20`` multiplies every budget for a deeper search before a release.
"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz_settings(max_examples: int) -> settings:
    scale = int(os.environ.get("CIAPP_FUZZ_SCALE", "1"))
    return settings(derandomize=True, max_examples=max_examples * scale, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck), print_blob=True)


# Cells a spreadsheet, a careless script or a hostile user sends: numbers past float64 and
# past 64 bits, digits that are not ASCII (int("٣") == 3, "²".isdigit() is True), signs and
# marks in odd places, dates that do not exist or are out of range, spreadsheet errors,
# formulas, markup, control characters and invisible ones, very long text.
HOSTILE = (
    "", " ", "0", "-0", "1", "-1", "2", "3", "1.5", "-2.75", "1,5", "1.234,5", "1,234",
    "1 234", "1'234", "+1", "--1", "1-", ".5", "5.", "1e3", "1E-3", "1e308", "1e309", "-1e309",
    "9" * 40, "-" + "9" * 40, "0." + "0" * 400 + "1", "2147483647", "2147483648",
    "9223372036854775807", "9223372036854775808", "18446744073709551616", "1" + "0" * 30,
    "NaN", "nan", "inf", "-Infinity", "#N/A", "#DIV/0!", "²", "٣", "١٢٣", "१२", "１２",
    "1_000", "0x1F", "1/2", "½", "2026-01-05", "2026-02-30", "2026-13-01", "0001-01-01",
    "9999-12-31", "10000-01-01", "1969-12-31", "2026-1-5", "05/01/2026", "13/13/2026",
    "2026-01-05T10:00:00+02:00", "2026-01-05 25:61", "2026-W02", "2026-01", "2026-00",
    "=1+1", "@SUM(A1)", "<script>alert(1)</script>", "\x00", "a\x00b", "\u202eevil",
    "\ufeff1", "\u00a0", "ﬁ", "e\u0301", "😀", "\ud7ff", "None", "null", "true", "on",
    "'; DROP TABLE projects; --", '"quoted"', "a\nb", "\r\n", "x" * 3000,
)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=30),
        st.integers().map(str),
        st.floats().map(repr),
        st.decimals(allow_nan=True).map(str),
        st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    )
