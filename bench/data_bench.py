"""Data sets at size: import, chart JSON, uncached and cached SVG, for 10^4 to 10^6 rows,
next to pandas.read_csv (pyarrow engine) of the same file in the same run.

Run: .venv/bin/python bench/data_bench.py [--rows 10000 100000 1000000] [--postgres]

The bench migrates its own temporary SQLite database (or, with --postgres, the empty
database named by $TEST_DATABASE_URL, e.g. under scripts/with-postgres.sh) and imports a
CSV of timestamp, value and stage through the same path as an upload: read, check, build,
store a version, commit. Targets on the 2-core reference machine: import of 10^6 rows
under 3 s; an uncached I-MR chart of 1,000 points under 150 ms; a cached chart under 5 ms;
the chart page of a 10^6-point data set in about a second.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".mplconfig"))

import pandas as pd  # noqa: E402

from ciapp import create_app  # noqa: E402
from ciapp.charts import control as control_charts  # noqa: E402
from ciapp.datasets import analysis, building, reading, services  # noqa: E402
from ciapp.extensions import db  # noqa: E402


def best_of(func: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def csv_bytes(rows: int) -> bytes:
    rng = np.random.default_rng(rows)
    values = rng.normal(50, 2, rows)
    values[rows // 2:] -= 1.5  # a shift, so the chart has signals to find
    frame = pd.DataFrame({
        "time": pd.date_range("2026-01-01", periods=rows, freq="min").strftime("%Y-%m-%d %H:%M"),
        "value": np.round(values, 3),
        "stage": np.where(np.arange(rows) < rows // 2, "baseline", "after"),
    })
    return frame.to_csv(index=False).encode()


def line(label: str, seconds: float, baseline: float | None = None,
         baseline_label: str = "") -> None:
    extra = f"   {baseline_label} {baseline * 1e3:8.1f} ms  ratio {seconds / baseline:5.1f}x" \
        if baseline else ""
    print(f"{label:<44} {seconds * 1e3:9.1f} ms{extra}")


def measure(project: Any, rows: int) -> None:
    data = csv_bytes(rows)
    pandas_s = best_of(lambda: pd.read_csv(io.BytesIO(data), engine="pyarrow"))
    created: list[Any] = []

    def do_import() -> None:
        raw = reading.read(data, max_bytes=1 << 30)
        table = building.build(raw, building.preview(raw).mapping, "continuous")
        created.append(services.create_dataset(
            project.lead, project.id, table, name=f"bench {rows} {len(created)}",
            kind="continuous"))
        db.session.commit()

    print(f"\n{rows:,} rows ({len(data) / 2**20:.1f} MiB of CSV)")
    line("import (read, check, store, commit)", best_of(do_import, 2), pandas_s,
         "pandas.read_csv")
    ds = created[-1]
    table = services.load(ds)
    line("load the newest version", best_of(lambda: services.load(ds)))
    chart = analysis.chart(table, "continuous", "i")
    line("chart (I chart, all rules)", best_of(lambda: analysis.chart(table, "continuous", "i")))
    line("chart JSON (to_dict of every point)", best_of(chart.to_dict, 1))
    line("chart JSON text (json.dumps of that)", best_of(lambda: json.dumps(chart.to_dict()),
                                                        1))
    line("SVG, uncached (last 2,000 points)", best_of(lambda: control_charts.svg(chart), 2))
    version = services.get_version(ds)

    def cached() -> bytes:
        return services.cached_chart(ds, version, {"type": "i"}, "image/svg+xml",
                                     lambda: control_charts.svg(chart).encode())

    cached()
    db.session.commit()
    line("SVG, cached", best_of(cached, 20))
    page(project, ds)


def page(project: Any, ds: Any) -> None:
    """The chart page as a user opens it: sign-in cookie, routing, the chart with its rules,
    the checks, the drawing (from the cache after the first view) and the template."""
    import scipy.stats  # noqa: F401  a worker imports it once; the page's checks use it
    from flask import current_app

    from tests.conftest import sign_in

    client = current_app.test_client()
    sign_in(client, project.lead)
    url = f"/projects/{project.key}/datasets/{ds.id}/chart"

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    start = time.perf_counter()
    get()
    line("chart page, first view (draws, fills cache)", time.perf_counter() - start)
    line("chart page, later views", best_of(get, 3))


def run(rows_list: list[int], url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        from tests import factories  # believable users and a project, as the tests make

        project = factories.project()
        db.session.commit()
        for rows in rows_list:
            measure(project, rows)
        small = np.random.default_rng(3).normal(size=1000)
        chart = analysis.stats.control_chart("i", small)
        line("\nSVG, uncached, I chart of 1,000 points", best_of(lambda: control_charts.svg(chart)))
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if args.postgres:
        url = os.environ["TEST_DATABASE_URL"]
        run(args.rows, url)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(args.rows, f"sqlite:///{tmp}/bench.sqlite")


if __name__ == "__main__":
    main()
