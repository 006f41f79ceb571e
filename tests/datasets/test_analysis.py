"""A data set's rows reach the statistics as a belt would expect: imported from CSV, the
piston-ring data give qcc's numbers; stages, exclusions and counts map to the right calls;
the suggested chart follows the usual rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from ciapp import stats
from ciapp.datasets import analysis, building, reading, storage

DATA = Path(__file__).parents[1] / "stats" / "data" / "pistonrings_trial.txt"
PISTON = np.loadtxt(DATA)  # 25 samples of 5 (qcc's pistonrings, Montgomery Table 6.3)


def piston_csv() -> bytes:
    lines = ["sample;diameter"]
    for i, row in enumerate(PISTON, start=1):
        lines += [f"{i};{str(v).replace('.', ',')}" for v in row]  # a European export
    return ("\n".join(lines) + "\n").encode("cp1252")


def imported(data: bytes, kind: str = "continuous", mapping: dict | None = None,
             **kw: object) -> pa.Table:
    raw = reading.read(data)
    mapping = mapping or building.preview(raw, kind).mapping
    return storage.canonical(building.build(raw, mapping, kind, **kw))


def test_imported_piston_rings_give_qccs_xbar_chart_and_capability() -> None:
    table = imported(piston_csv(), mapping={"subgroup": "sample", "value": "diameter"})
    chart_type, reason = analysis.suggest_chart("continuous", table)
    assert chart_type == "xbar" and "Xbar-R" in reason
    chart = analysis.chart(table, "continuous", "xbar")
    # R: qcc(diameter[1:25,], type="xbar"): center 74.00118, std.dev 0.009785039,
    # LCL 73.98805, UCL 74.01431
    assert chart.center[0] == pytest.approx(74.00118, abs=5e-6)
    assert chart.sigma == pytest.approx(0.009785039, rel=5e-5)
    assert chart.lcl[0] == pytest.approx(73.98805, abs=5e-5)
    assert chart.ucl[0] == pytest.approx(74.01431, abs=5e-5)
    # R: process.capability(q, spec.limits=c(73.95, 74.05)): Cp 1.703, Cp_k 1.663
    cap = analysis.capability(table, lsl=73.95, usl=74.05)
    assert cap.cp == pytest.approx(1.703, abs=5e-4)
    assert cap.cpk == pytest.approx(1.663, abs=5e-4)


def test_subgroup_size_without_a_subgroup_column_cuts_consecutive_rows() -> None:
    text = "diameter\n" + "\n".join(str(v) for v in PISTON.ravel()) + "\n"
    table = imported(text.encode(), subgroup_size=5)
    chart = analysis.chart(table, "continuous", "xbar", subgroup_size=5)
    assert chart.sigma == pytest.approx(0.009785039, rel=5e-5)


def rows(values: list[float], **columns: list) -> pa.Table:
    records = [{"value": v} | {k: c[i] for k, c in columns.items()}
               for i, v in enumerate(values)]
    return storage.canonical(building.from_records(records, "continuous"))


def test_an_excluded_point_stays_plotted_but_leaves_the_limits() -> None:
    values = [10.0, 10.2, 9.9, 10.1, 30.0, 10.0, 9.8, 10.1]
    table = rows(values)
    table = table.set_column(table.column_names.index("excluded"), "excluded",
                             pa.array([i == 4 for i in range(8)]))
    chart = analysis.chart(table, "continuous", "i")
    without = stats.control_chart("i", [v for i, v in enumerate(values) if i != 4])
    assert len(chart.statistics) == 8
    assert 4 in chart.excluded
    assert chart.center[0] == pytest.approx(without.center[0])


def test_blank_stage_cells_continue_the_stage_above() -> None:
    table = rows([1, 2, 3, 4], stage=["baseline", "", "after", ""])
    assert analysis.stage_labels(table) == ["baseline", "baseline", "after", "after"]


def test_limits_from_the_baseline_judge_the_after_stage() -> None:
    rng = np.random.default_rng(7)
    values = list(rng.normal(10, 1, 25)) + list(rng.normal(14, 1, 10))
    table = rows(values, stage=["baseline"] * 25 + ["after"] * 10)
    chart = analysis.chart(table, "continuous", "i", options={"limits_from": "baseline"})
    assert chart.center[-1] == pytest.approx(np.mean(values[:25]))
    assert set(chart.violations[1]) & set(range(25, 35))


def test_before_after_by_stage_knows_lower_is_better() -> None:
    table = rows([12, 11, 13, 12, 12, 11, 9, 8, 9, 8, 9, 8],
                 stage=["before"] * 6 + ["after"] * 6)
    before = analysis.sample(table, "continuous", "before")
    after = analysis.sample(table, "continuous", "after")
    result = analysis.comparison(before, after, "continuous", better="lower", alpha=0.05,
                                 test="welch")
    # R 4.2.2: t.test(c(9,8,9,8,9,8), c(12,11,13,12,12,11))
    #   t = -8.7705802, df = 9.1351351, p-value = 9.5585062e-06 (after minus before)
    assert abs(result.statistic) == pytest.approx(8.7705802, rel=1e-7)
    assert result.p_value == pytest.approx(9.5585062e-06, rel=1e-6)
    assert "improvement" in result.verdict


def test_an_unknown_stage_is_named() -> None:
    table = rows([1, 2], stage=["baseline", "baseline"])
    with pytest.raises(stats.StatsInputError, match="no stage 'sustain'.*baseline"):
        analysis.sample(table, "continuous", "sustain")


def test_attribute_data_suggest_p_or_np_and_refuse_an_xbar_chart() -> None:
    equal = storage.canonical(building.from_records(
        [{"value": v, "n": 50} for v in (3, 1, 4, 2)], "defectives"))
    assert analysis.suggest_chart("defectives", equal)[0] == "np"
    varying = storage.canonical(building.from_records(
        [{"value": v, "n": n} for v, n in ((3, 50), (1, 40), (4, 60))], "defectives"))
    assert analysis.suggest_chart("defectives", varying)[0] == "p"
    with pytest.raises(stats.StatsInputError, match="cannot be drawn as a 'xbar' chart"):
        analysis.chart(varying, "defectives", "xbar")


def test_overdispersed_large_samples_suggest_laney() -> None:
    # Large samples whose proportions wander far more than binomial noise allows
    rng = np.random.default_rng(11)
    p = np.clip(rng.normal(0.1, 0.02, 30), 0.01, 0.5)
    n = np.full(30, 5000)
    table = storage.canonical(building.from_records(
        [{"value": float(round(pi * ni)), "n": float(ni)} for pi, ni in zip(p, n, strict=True)],
        "defectives"))
    chart_type, reason = analysis.suggest_chart("defectives", table)
    assert chart_type == "laney_p" and "sigma_z" in reason
