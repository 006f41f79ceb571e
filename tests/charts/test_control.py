"""Control charts as a belt reads them: every point has its tooltip, limits carry their
values, signals their rule numbers, excluded points are hollow, stages are named, and the
SVG embeds under the app's content security policy (no style attributes)."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np

from ciapp import stats
from ciapp.charts import control
from ciapp.charts.svg import to_svg

# A shift after point 40: the "after" stage judged against the baseline's limits.
RNG = np.random.default_rng(1)
VALUES = np.r_[RNG.normal(10, 1, 40), RNG.normal(14, 1, 20)]
STAGES = ["baseline"] * 40 + ["after"] * 20


def chart() -> stats.ControlChart:
    return stats.control_chart("i", VALUES, stages=STAGES, limits_from="baseline",
                               exclude={5: "gauge dropped"})


def test_every_point_has_a_tooltip_and_a_link() -> None:
    links = [f"/projects/CI-2026-0001/datasets/1/points/{i + 1}" for i in range(60)]
    notes = [""] * 60
    notes[7] = "new operator"
    svg = control.svg(chart(), control.PointInfo(labels=[f"row {i + 2}" for i in range(60)],
                                                 notes=notes, links=links))
    titles = re.findall(r"<title>(.*?)</title>", svg, flags=re.S)
    assert len(titles) == 60
    assert svg.count('<a href="/projects/CI-2026-0001/datasets/1/points/') == 60
    assert any(t.startswith("row 9: ") and "Note: new operator" in t for t in titles)
    assert any("Excluded from the limits: gauge dropped" in t for t in titles)


def test_signals_are_named_in_words_and_marked_with_their_rule() -> None:
    c = chart()
    assert c.violations[1], "the shift must break rule 1 against the baseline limits"
    svg = control.svg(c)
    assert "a point more than 3 sigma from the center line" in svg
    first = c.violations[1][0]
    assert re.search(rf"<title>point {first + 1}: [^<]*Rule 1: ", svg)
    assert re.search(r">1(,\d)*</text>", svg), "signal points carry their rule numbers"


def test_limits_and_stages_are_labelled_with_their_values() -> None:
    c = chart()
    svg = control.svg(c)
    ucl = float(c.ucl[0])
    assert f"UCL={ucl:.4g}" in svg and f"LCL={float(c.lcl[0]):.4g}" in svg
    assert ">baseline</text>" in svg and ">after</text>" in svg


def test_spec_limits_only_on_request() -> None:
    view = control.ChartView(specs={"lsl": 6.0, "usl": 16.0})
    assert "USL=16" not in control.svg(chart(), view=view)
    shown = control.ChartView(specs={"lsl": 6.0, "usl": 16.0}, show_specs=True)
    svg = control.svg(chart(), view=shown)
    assert "USL=16" in svg and "LSL=6" in svg


def test_excluded_points_are_hollow() -> None:
    svg = control.svg(chart())
    group = svg[svg.index('<g id="pts-excl">'):]
    assert 'fill="none"' in group[:2000]


def test_no_style_attributes_and_the_same_bytes_every_time() -> None:
    first, second = control.svg(chart()), control.svg(chart())
    assert " style=" not in first
    assert first == second
    assert first.startswith("<svg")


def test_long_series_show_a_window_but_keep_every_signal() -> None:
    values = np.r_[RNG.normal(0, 1, 4000)]
    values[100] = 12.0  # a signal far outside the default window of the last 2,000 points
    c = stats.control_chart("i", values)
    assert 100 in c.violations[1]
    assert control.window_of(len(values), None) == (2000, 4000)
    default = control.svg(c)
    assert len(re.findall(r"<title>", default)) == 2000
    early = control.svg(c, view=control.ChartView(window=(0, 500)))
    assert re.search(r"<title>point 101: 12\nRule 1", early)


def test_png_download() -> None:
    data = control.png(chart())
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_an_empty_figure_still_renders() -> None:
    from matplotlib.figure import Figure

    assert to_svg(Figure()).startswith("<svg")


def test_charts_import_neither_pyplot_nor_flask_nor_the_database() -> None:
    code = ("import sys, ciapp.charts.control, ciapp.charts.summary; "
            "bad = [m for m in ('matplotlib.pyplot', 'flask', 'sqlalchemy') if m in sys.modules];"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
