"""Response times of the leadership summary on a full programme: 5,000 projects with 20,000
actions (as bench/portfolio_bench.py seeds them) and 50,000 realized benefit months, beside a
bare Flask app rendering the same figures from memory.

Run: .venv/bin/python bench/summary_bench.py [--projects 5000] [--months 50000]
     scripts/with-postgres.sh .venv/bin/python bench/summary_bench.py --postgres

Each project gets a benefit line (category and start month varied) and realized months until
there are ``--months`` of them. The issue's goal: the summary under 300 ms on SQLite and on
PostgreSQL with a number of statements that does not grow with the programme
(tests/leadership/test_summary.py checks that part on every run). On a busy machine,
``--cpu`` times this process's CPU instead of the wall clock; "lines of a category" is
beside them as a yardstick of how busy the machine was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".mplconfig"))

from flask import Flask, jsonify  # noqa: E402
from portfolio_bench import CLOCK, CPU_HELP, analyze, median_ms, seed_portfolio  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from web_bench import bench_app, counting, seed, sign_in  # noqa: E402

from ciapp.auth.models import User  # noqa: E402
from ciapp.benefits.models import CATEGORIES, BenefitLine, BenefitMonth  # noqa: E402
from ciapp.extensions import db  # noqa: E402
from ciapp.projects.models import Project  # noqa: E402

GOAL_MS = 300.0
YEAR = 2026


def seed_benefits(n_months: int) -> None:
    projects = list(db.session.scalars(select(Project.id).order_by(Project.id)))
    categories = list(CATEGORIES)
    lines = [{"project_id": pid, "category": categories[i % len(categories)],
              "description": f"Saving {i}", "method": "", "quantity": Decimal(100 + i % 50),
              "quantity_unit": "units", "unit_value": Decimal("12.50"),
              "projected": Decimal(100 + i % 50) * Decimal("12.50"),
              "start_month": date(YEAR - (i % 2), 1 + i % 12, 1),
              "projected_state": "approved" if i % 3 == 0 else "draft",
              "backed": i % 4 == 0, "version": 1}
             for i, pid in enumerate(projects)]
    db.session.execute(insert(BenefitLine), lines)
    ids = list(db.session.scalars(select(BenefitLine.id).order_by(BenefitLine.id)))
    months = []
    for k in range(n_months):
        line = ids[k % len(ids)]
        month = 1 + (k // len(ids)) % 11
        months.append({"line_id": line, "month": date(YEAR, month, 1),
                       "amount": Decimal(50 + k % 97), "comment": "",
                       "state": "approved" if k % 2 else "draft"})
    for start in range(0, len(months), 10_000):
        db.session.execute(insert(BenefitMonth), months[start:start + 10_000])
    db.session.commit()


def bare_app(summary: dict[str, Any]) -> Flask:
    """The baseline: the same figures as JSON from memory, no database."""
    app = Flask("bare")

    @app.get("/json")
    def as_json() -> Any:
        return jsonify(summary)

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--actions", type=int, default=20000)
    parser.add_argument("--months", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per case")
    parser.add_argument("--cpu", action="store_true", help=CPU_HELP)
    parser.add_argument("--postgres", nargs="?", const=os.environ.get("TEST_DATABASE_URL"),
                        metavar="URL", help="an empty PostgreSQL database")
    args = parser.parse_args()
    if "--postgres" in sys.argv and not args.postgres:
        parser.error("--postgres needs a URL or TEST_DATABASE_URL")
    if args.cpu:
        CLOCK[0] = time.process_time
    ok = True
    with bench_app(args.postgres, parser) as app:
        with app.app_context():
            t = time.perf_counter()
            _, _, token = seed(app, args.projects)
            seed_portfolio(args.actions)
            seed_benefits(args.months)
            analyze()
            viewer = db.session.scalar(select(User.email).where(User.role == "council"))
            print(f"seeded in {time.perf_counter() - t:.1f} s")
        client = app.test_client()
        sign_in(client, viewer)
        headers = {"Authorization": f"Bearer {token}"}
        bare = bare_app(client.get(f"/api/v1/summary?year={YEAR}",
                                   headers=headers).get_json()).test_client()
        print(f"\n{'request':<28} {'ciapp ms':>9} {'bare ms':>8} {'goal ms':>8} {'SQL':>4}")
        for label, url_, h, base in (
                ("summary page", f"/leadership/?year={YEAR}", {}, None),
                ("summary page, one site", f"/leadership/?year={YEAR}&site=1", {}, None),
                ("API summary", f"/api/v1/summary?year={YEAR}", headers, "/json"),
                ("lines of a category", f"/leadership/lines?year={YEAR}&category="
                                        "hard_savings", {}, None)):
            def ours(u: str = url_, h: dict[str, str] = h) -> Any:
                return client.get(u, headers=h)

            ours()
            with counting(app) as counter:
                ours()
            mine = median_ms(ours, args.runs)
            theirs = median_ms(lambda b=base: bare.get(b), args.runs) if base else None
            goal = GOAL_MS if label.startswith(("summary", "API")) else None
            met = "" if goal is None else ("ok" if mine < goal else "MISSED")
            ok = ok and met != "MISSED"
            print(f"{label:<28} {mine:9.1f} "
                  f"{'' if theirs is None else f'{theirs:8.1f}':>8} "
                  f"{'' if goal is None else f'{goal:8.0f}':>8} {counter.statements:4d} {met}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
