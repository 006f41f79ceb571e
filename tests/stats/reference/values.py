"""Values R computed for the comparison tests (compare.R writes compare_values.csv).

``R["prop_yates.p_value"]`` is a float, ``R["tukey_pg.diff"]`` the list of a vector's values.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path


def _load() -> dict[str, float | list[float]]:
    out: dict[str, float | list[float]] = {}
    with (Path(__file__).parent / "compare_values.csv").open() as fh:
        for row in csv.DictReader(fh):
            name, value = row["name"], float(row["value"].replace("Inf", "inf"))
            if name.endswith("]"):
                base = name[:name.index("[")]
                vec = out.setdefault(base, [])
                assert isinstance(vec, list)
                vec.append(value)
            else:
                out[name] = value
    assert all(not isinstance(v, float) or not math.isnan(v) for v in out.values())
    return out


R = _load()
