"""The fishbone draws for an empty, a typical and a very full diagram, and its texts never
overlap: measured on the rendered figure, not assumed."""

from __future__ import annotations

from itertools import combinations

from matplotlib.backends.backend_agg import FigureCanvasAgg

from ciapp.charts.fishbone import Bone, CauseDrawn, fishbone_figure
from ciapp.charts.svg import to_png, to_svg

SIX = ("People", "Machine", "Method", "Material", "Measurement", "Environment")
LONG = ("Operators on the night shift skip the torque check when the line is behind "
        "schedule because the checklist is kept in the supervisor's office")


def text_boxes(fig):  # noqa: ANN001, ANN201
    renderer = FigureCanvasAgg(fig).get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[0].texts
            if t.get_text()]


def assert_readable(fig) -> None:  # noqa: ANN001
    boxes = text_boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1, f"{text!r} runs off the figure"
        assert box.x1 <= width + 1 and box.y1 <= height + 1, f"{text!r} runs off the figure"
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_an_empty_fishbone_draws_its_head_and_spine() -> None:
    fig = fishbone_figure("", [])
    svg = to_svg(fig)
    assert "(no effect written yet)" in svg and svg.startswith("<svg")
    assert to_png(fig).startswith(b"\x89PNG")


def test_a_typical_fishbone_names_every_category_and_cause() -> None:
    bones = [Bone(name, [CauseDrawn(f"{name} cause {i}", votes=i) for i in range(2)])
             for name in SIX]
    bones[1] = Bone("Machine", [CauseDrawn("Worn spindle", "verified", 3,
                                           [CauseDrawn("No preventive maintenance")]),
                                CauseDrawn("Coolant too warm", "ruled_out")])
    fig = fishbone_figure("Shaft diameter out of tolerance", bones)
    svg = to_svg(fig)
    for name in SIX:
        assert f">{name}<" in svg
    assert "Worn spindle (3 votes) ✓ verified" in svg
    assert "Coolant too warm (ruled out)" in svg
    assert ' style="' not in svg  # embeds under the page's CSP
    assert_readable(fig)


def test_thirty_long_causes_wrap_and_never_overlap() -> None:
    bones = [Bone(f"{name} and everything around the {name.lower()} side of the process",
                  [CauseDrawn(f"{i}: {LONG}", votes=i % 4,
                              subs=[CauseDrawn("Sub-cause " + LONG[:70])] if i % 3 == 0
                              else ())
                   for i in range(5)]) for name in SIX]
    fig = fishbone_figure(LONG * 2, bones)
    assert_readable(fig)
    assert fig.get_figwidth() < 14 and fig.get_figheight() < 30
    texts = [t for t, _ in text_boxes(fig)]
    assert max(len(t) for t in texts) <= 45  # wrapped, not one long line
    assert sum(t.startswith(("0:", "1:", "2:", "3:", "4:")) for t in texts) == 30
