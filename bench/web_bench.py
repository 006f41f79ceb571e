"""Requests per second of ciapp's list pages, beside a bare Flask app doing the same work.

Run: .venv/bin/python bench/web_bench.py [--projects 5000] [--seconds 3] [--cpu]
     scripts/with-postgres.sh .venv/bin/python bench/web_bench.py --postgres

The bench migrates its own temporary SQLite database (or, with --postgres, the EMPTY
database named by the URL given or by $TEST_DATABASE_URL, whose tables it drops at the end),
seeds sites, areas, people and 5,000 projects, and drives both apps in this process through
Flask's test client, so the client's cost is the same on both sides:

- the project list page (50 rows) against a bare app rendering a 50-row table of the same
  seven columns from plain dicts, with no database;
- the JSON API list (50 items) against a bare app answering ``jsonify`` of the same 50 dicts;
- for information: a deep page, a search, an htmx update of the list, the project page,
  and the API list as it was when every read committed the token's last use.

Short rounds of ciapp and the bare app alternate, and the best round of each counts, so a
busy machine slows both sides alike. Each line also shows the SQL statements one request runs.
The issue's goals: list page >= 50% of the bare table, API list >= 25% of the bare list.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".mplconfig"))

from flask import Flask, jsonify, render_template  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from jinja2 import DictLoader  # noqa: E402
from sqlalchemy import event, insert, inspect, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from ciapp import create_app  # noqa: E402
from ciapp.auth.models import OrgUnit, User  # noqa: E402
from ciapp.core.time import utcnow  # noqa: E402
from ciapp.extensions import db  # noqa: E402
from ciapp.projects.models import Project  # noqa: E402
from ciapp.projects.phases import PHASES, STATUS_LABELS, Methodology, Status  # noqa: E402

PER_PAGE = 50
PASSWORD = "bench password 1"
GOALS = {"project list": 0.50, "API list": 0.25}

BARE_TABLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Projects</title></head><body><main>
<h1>Projects</h1><p>{{ total }} projects</p>
<table class="table">
<thead><tr><th>Key</th><th>Title</th><th>Type</th><th>Phase</th><th>Status</th>
<th>Site / area</th><th>Lead</th></tr></thead>
<tbody>
{% for p in rows %}<tr>
<td><a href="{{ url_for('show', key=p.key) }}">{{ p.key }}</a></td><td>{{ p.title }}</td>
<td>{{ p.methodology }}</td><td>{{ p.phase }}</td>
<td><span class="status status-{{ p.status }}">{{ p.status_label }}</span></td>
<td>{{ p.unit }}</td><td>{{ p.lead }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""


def bare_app(rows: list[dict[str, Any]], items: list[dict[str, Any]]) -> Flask:
    """The baseline: the same table and the same JSON, from memory."""
    app = Flask("bare")
    app.jinja_loader = DictLoader({"table.html": BARE_TABLE})  # compiled once, as ciapp's are

    @app.get("/projects/")
    def index() -> str:
        return render_template("table.html", rows=rows, total=5000)

    @app.get("/projects/<key>")
    def show(key: str) -> str:
        return key

    @app.get("/api/projects")
    def api_list() -> Any:
        return jsonify({"items": items, "meta": {"page": 1, "per_page": len(items)}})

    return app


def seed(app: Flask, n_projects: int) -> tuple[User, str, str]:
    """Five sites of four areas, 80 people and ``n_projects`` projects created over two
    years; one fully staffed project is the newest. Returns its lead and key."""
    from ciapp.auth.services import issue_token
    from ciapp.projects import services

    pw_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    units: list[OrgUnit] = []
    for s in range(5):
        site = OrgUnit(name=f"Plant {s + 1}", kind="site")
        units.append(site)
        units.extend(OrgUnit(name=name, kind="area", parent=site)
                     for name in ("Assembly", "Moulding", "Paint", "Warehouse"))
    people = [User(email=f"person{i}@example.com", name=f"Person {i:03d}", password_hash=pw_hash,
                   role=("belt", "council", "member", "viewer")[i % 4]) for i in range(80)]
    db.session.add_all(units + people)
    db.session.flush()
    belts = [u for u in people if u.role in ("belt", "council")]
    start = utcnow() - timedelta(days=730)
    rows = [{
        "key": f"CI-B-{i:05d}", "title": f"Reduce scrap on line {i}", "methodology":
        (Methodology.DMAIC, Methodology.KAIZEN)[i % 2], "phase": PHASES[i % len(PHASES)],
        "status": (Status.ACTIVE, Status.ACTIVE, Status.ON_HOLD, Status.CLOSED)[i % 4],
        "problem": f"Scrap on line {i} averages 4.{i % 10}% against a 2% plan.",
        "goal": "Cut scrap to 2% by June.", "lead_id": belts[i % len(belts)].id,
        "sponsor_id": belts[(i + 7) % len(belts)].id, "org_unit_id": units[i % len(units)].id,
        "created_at": start + timedelta(minutes=200 * i),
        "updated_at": start + timedelta(minutes=200 * i),
    } for i in range(n_projects)]
    for chunk in range(0, len(rows), 1000):
        db.session.execute(insert(Project), rows[chunk:chunk + 1000])
    lead = next(u for u in people if u.role == "belt")
    council = [u for u in people if u.role == "council"]
    # Only the council chooses sponsors, so a council member opens it with the belt as lead.
    shown = services.create_project(council[0], {
        "title": "Cut changeover time on press 4", "lead_id": lead.id,
        "sponsor_id": council[1].id,
        "org_unit_id": units[1].id, "problem": "Changeovers take 95 minutes.",
        "goal": "Under 40 minutes.", "metric_name": "Changeover time", "metric_unit": "min",
    }, team=[(people[i].id, "Operator") for i in (2, 6, 10, 14)])
    token = issue_token(lead)
    db.session.commit()
    return lead, shown.key, token


@dataclass
class Counter:
    statements: int = 0

    def __call__(self, *args: Any) -> None:
        self.statements += 1


@contextmanager
def counting(app: Flask) -> Iterator[Counter]:
    counter = Counter()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


# The clock requests are timed by: wall time, or this process's CPU time (--cpu), which a
# busy machine disturbs less but which leaves out the PostgreSQL server's own work.
CLOCK: list[Callable[[], float]] = [time.perf_counter]


def rate(get: Callable[[], Any], seconds: float) -> float:
    """Requests per second over about ``seconds``."""
    clock = CLOCK[0]
    done, start = 0, clock()
    while (elapsed := clock() - start) < seconds:
        for _ in range(10):
            response = get()
            assert response.status_code == 200, (response.status_code, response.data[:300])
        done += 10
    return done / elapsed


def compare(ours: Callable[[], Any], bare: Callable[[], Any] | None, seconds: float,
            round_seconds: float = 1.0) -> tuple[float, float | None]:
    """The best rate of each over rounds of about ``round_seconds``, alternating: short
    rounds give both sides many chances at the machine's quiet moments (on a shared
    virtual machine the same code ran at half its speed for seconds at a time)."""
    rounds = max(3, round(seconds / round_seconds))
    best_ours, best_bare = 0.0, 0.0
    for _ in range(rounds):
        best_ours = max(best_ours, rate(ours, seconds / rounds))
        if bare is not None:
            best_bare = max(best_bare, rate(bare, seconds / rounds))
    return best_ours, (best_bare if bare is not None else None)


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"


def run(app: Flask, n_projects: int, seconds: float,
        only: str = "") -> list[tuple[str, float, float | None, int]]:
    with app.app_context():
        t = time.perf_counter()
        lead, key, token = seed(app, n_projects)
        email = lead.email
        print(f"seeded {n_projects + 1} projects in {time.perf_counter() - t:.1f} s")
    client = app.test_client()
    sign_in(client, email)
    api_headers = {"Authorization": f"Bearer {token}"}

    list_html = client.get("/projects/")
    assert list_html.data.count(b"<tr>") == PER_PAGE + 1, "the list page lacks its 50 rows"
    api = client.get(f"/api/v1/projects?per_page={PER_PAGE}", headers=api_headers).get_json()
    items = api["items"]
    assert len(items) == PER_PAGE
    with app.test_request_context():
        rows = [{"key": p["key"], "title": p["title"], "methodology": p["methodology"],
                 "phase": p["phase_label"], "status": p["status"],
                 "status_label": STATUS_LABELS[p["status"]], "unit": "Plant 1 > Assembly",
                 "lead": "Person 001"} for p in items]
    bare = bare_app(rows, items).test_client()

    api_list = f"/api/v1/projects?per_page={PER_PAGE}"
    cases: list[tuple[str, str, dict[str, str], str | None]] = [
        ("project list", "/projects/", {}, "/projects/"),
        ("API list", api_list, api_headers, "/api/projects"),
        ("API list, token written", api_list, api_headers, "/api/projects"),
        ("project list, page 80", "/projects/?page=80", {}, "/projects/"),
        ("project list, search", "/projects/?q=line+4", {}, "/projects/"),
        ("project list, htmx filter", "/projects/?phase=baseline", {"HX-Request": "true"},
         "/projects/"),
        ("project page", f"/projects/{key}", {}, None),
    ]
    results = []
    for label, url, headers, bare_url in cases:
        if only and only not in label:
            continue
        def ours(url: str = url, headers: dict[str, str] = headers) -> Any:
            return client.get(url, headers=headers)

        def theirs(bare_url: str | None = bare_url) -> Any:
            return bare.get(bare_url)

        with token_written_on_every_read(label.endswith("token written")):
            ours()  # warm caches (templates, compiled statements)
            with counting(app) as counter:
                ours()
            mine, base = compare(ours, theirs if bare_url else None, seconds)
        results.append((label, mine, base, counter.statements))
    return results


@contextmanager
def token_written_on_every_read(on: bool) -> Iterator[None]:
    """What an API read cost when each one committed the token's last use: the token's
    touch interval set to nothing (normally a read writes it once every few minutes)."""
    tokens = sys.modules.get("ciapp.auth.tokens")
    if not on or tokens is None or not hasattr(tokens, "TOUCH_INTERVAL"):
        yield
        return
    saved, tokens.TOUCH_INTERVAL = tokens.TOUCH_INTERVAL, timedelta(0)
    try:
        yield
    finally:
        tokens.TOUCH_INTERVAL = saved


def report(results: list[tuple[str, float, float | None, int]]) -> bool:
    print(f"\n{'request':<28} {'ciapp req/s':>12} {'bare req/s':>11} {'ratio':>7} "
          f"{'goal':>6} {'SQL':>4}")
    ok = True
    for label, mine, base, statements in results:
        goal = GOALS.get(label)
        ratio = mine / base if base else None
        met = "" if goal is None or ratio is None else ("ok" if ratio >= goal else "MISSED")
        ok = ok and met != "MISSED"
        print(f"{label:<28} {mine:12.0f} {base or 0:11.0f} "
              f"{'' if ratio is None else f'{ratio:6.0%}':>7} "
              f"{'' if goal is None else f'{goal:.0%}':>6} {statements:4d} {met}")
    return ok


@contextmanager
def database(postgres: str | None) -> Iterator[str]:
    if postgres is None:
        folder = tempfile.mkdtemp(prefix="ciapp-bench-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from ciapp import normalise_database_url

    yield normalise_database_url(postgres)


@contextmanager
def bench_app(postgres: str | None, parser: argparse.ArgumentParser,
              **settings: Any) -> Iterator[Flask]:
    """The app on a fresh, migrated database of its own (SQLite in a temporary folder, or
    the EMPTY PostgreSQL database ``postgres`` names, whose tables are dropped at the end)."""
    with database(postgres) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False, **settings})
        gc.freeze()  # as wsgi.py does once the app is built, for the server
        from flask_migrate import upgrade

        with app.app_context():
            if inspect(db.engine).get_table_names():
                parser.error(f"{url} is not empty; the bench needs a database of its own")
            upgrade()
            print(f"database: {db.engine.dialect.name}, "
                  f"{db.session.scalar(text('SELECT 1')) and db.engine.url.database}")
        try:
            yield app
        finally:
            with app.app_context():
                if postgres:
                    db.drop_all()
                    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
                    db.session.commit()
                db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--cpu", action="store_true",
                        help="time by this process's CPU time rather than the wall clock "
                        "(steadier on a busy machine; leaves out PostgreSQL's own work)")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="time per request kind and per app (default 3)")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="run only the requests whose name contains TEXT")
    parser.add_argument("--postgres", nargs="?", const=os.environ.get("TEST_DATABASE_URL"),
                        metavar="URL", help="an empty PostgreSQL database (default: "
                        "$TEST_DATABASE_URL, as scripts/with-postgres.sh sets it)")
    args = parser.parse_args()
    if args.cpu:
        CLOCK[0] = time.process_time
    if "--postgres" in sys.argv and not args.postgres:
        parser.error("--postgres needs a URL or TEST_DATABASE_URL")
    with bench_app(args.postgres, parser, PROJECTS_PER_PAGE=PER_PAGE) as app:
        ok = report(run(app, args.projects, args.seconds, args.only))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
