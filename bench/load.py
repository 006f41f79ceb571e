"""Load test: simulated users against gunicorn on 127.0.0.1, then a count of every write.

    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--workers 2]
        [--worker-class sync|gthread] [--threads 4] [--keep-alive 5]
    scripts/with-postgres.sh .venv/bin/python bench/load.py --postgres

It seeds a fresh database (the demo, plus for each simulated user a project they lead with a
100-point data set, or for a council member a queue of gate reviews to decide), starts
gunicorn on a free port of 127.0.0.1, and runs the users for ``--duration`` seconds: each
signs in through the sign-in form, then, with 1-3 s of think time between steps, opens the
project list, a project, a data set's control chart, edits a charter field (the edit form,
then the save), appends rows through the API, or (council) decides a gate. Every request
stays on this machine and the run stops by itself.

It prints throughput, p50 / p95 / p99 latency and errors per kind of step, then reads the
database and counts every write that was answered 2xx/3xx: a lost write is one that was
acknowledged but is not there.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "load-test-password-1"
OVERRIDE = "Decided under load; evidence reviewed at the council meeting."
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


# Why requests got no answer (a reset connection, a timeout), for the report.
FAILURES: list[str] = []


@dataclass
class Person:
    email: str
    council: bool
    project_key: str = ""
    dataset_id: int = 0
    token: str = ""
    reviews: list[tuple[str, int]] = field(default_factory=list)  # (project key, review id)


@dataclass
class Acked:
    """The writes the server answered with success, per target."""

    edits: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # texts
    appended: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # id -> rows
    appends: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # id -> calls
    decided: set[int] = field(default_factory=set)


def seed(url: str, users: int) -> tuple[list[Person], list[str]]:
    """A migrated database with the demo and the load's own people and projects."""
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from ciapp import create_app
    from ciapp.auth import services as auth
    from ciapp.datasets import building
    from ciapp.datasets import services as datasets
    from ciapp.demo.services import load_demo
    from ciapp.extensions import db
    from ciapp.gates import services as gates
    from ciapp.projects import services as projects

    # One cheap hash for every load user: the run measures pages, not 50 scrypt sign-ins.
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

    def person(email: str, name: str, role: str) -> Any:
        user = auth.create_user(None, email=email, name=name, role=role, password=PASSWORD)
        user.password_hash = cheap
        return user

    app = create_app({"SECRET_KEY": "seed"})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_demo()
        sponsor = person("load-sponsor@example.com", "Load Sponsor", "council")
        lead = person("load-lead@example.com", "Load Lead", "belt")
        people: list[Person] = []
        for n in range(users):
            council = n % 5 == 4  # one in five decides gates
            email = f"load-{n}@example.com"
            user = person(email, f"Load User {n}", "council" if council else "belt")
            simulated = Person(email, council)
            if council:
                for _ in range(8):
                    project = _project(projects, sponsor, lead, n)
                    review = gates.request_review(lead, project, "ready")
                    simulated.reviews.append((project.key, review.id))
            else:
                project = _project(projects, sponsor, user, n)
                rows = [{"value": 500 + random.gauss(0, 1), "stage": "baseline"}
                        for _ in range(100)]
                table = building.from_records(rows, "continuous")
                dataset = datasets.create_dataset(user, project.id, table, name="Fill weight",
                                                  kind="continuous")
                simulated.project_key, simulated.dataset_id = project.key, dataset.id
                simulated.token = auth.issue_token(user)
            people.append(simulated)
        db.session.commit()
        keys = list(db.session.scalars(text("SELECT key FROM projects")))
        db.engine.dispose()
    return people, keys


def _project(projects: Any, sponsor: Any, lead: Any, n: int) -> Any:
    """Opened by the sponsor (a council member names the sponsor), led by ``lead``."""
    return projects.create_project(sponsor, {
        "title": f"Load project {n}", "lead_id": lead.id, "sponsor_id": sponsor.id,
        "problem": "Fill weight varies too much.", "goal": "Halve the spread.",
        "in_scope": "Line 1", "metric_name": "Fill weight", "metric_unit": "g",
        "metric_better": "lower"})


class User(threading.Thread):
    def __init__(self, base: str, person: Person, keys: list[str], until: float,
                 log: list[tuple[str, int, float]], acked: Acked, lock: threading.Lock,
                 seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.person, self.keys, self.until = base, person, keys, until
        self.log, self.acked, self.lock = log, acked, lock
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.csrf = ""
        self.edits = 0

    def call(self, kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=30,
                                         allow_redirects=False, **kwargs)
            status = response.status_code
        except requests.RequestException as exc:
            response, status = None, 0
            with self.lock:
                FAILURES.append(f"{kind}: {type(exc).__name__}: {exc}"[:200])
        with self.lock:
            self.log.append((kind, status, time.perf_counter() - started))
        return response if status and status < 400 else None

    def sign_in(self) -> None:
        page = self.call("sign in", "GET", "/auth/login")
        match = FORM_CSRF.search(page.text) if page is not None else None
        token = match.group(1) if match else ""
        self.call("sign in", "POST", "/auth/login", data={
            "email": self.person.email, "password": PASSWORD, "csrf_token": token})
        self.ensure_csrf()

    def ensure_csrf(self) -> bool:
        """The page's CSRF token, read from a page once (again if that page timed out)."""
        if not self.csrf:
            home = self.call("project list", "GET", "/projects/")
            match = CSRF.search(home.text) if home is not None else None
            self.csrf = match.group(1) if match else ""
        return bool(self.csrf)

    def run(self) -> None:
        self.sign_in()
        steps = ([(self.project_list, 25), (self.open_project, 25), (self.decide, 30),
                  (self.chart_of_any, 20)] if self.person.council else
                 [(self.project_list, 20), (self.open_project, 20), (self.chart, 20),
                  (self.edit_charter, 20), (self.append, 20)])
        actions, weights = zip(*steps, strict=True)
        while True:
            pause = self.random.uniform(1, 3)
            if time.monotonic() + pause >= self.until:
                return
            time.sleep(pause)
            self.random.choices(actions, weights)[0]()

    def project_list(self) -> None:
        self.call("project list", "GET", f"/projects/?page={self.random.randint(1, 2)}")

    def open_project(self) -> None:
        self.call("open project", "GET", f"/projects/{self.random.choice(self.keys)}")

    def chart(self) -> None:
        p = self.person
        self.call("view chart", "GET", f"/projects/{p.project_key}/datasets/{p.dataset_id}/chart")

    def chart_of_any(self) -> None:
        self.open_project()

    def edit_charter(self) -> None:
        key = self.person.project_key
        if not self.ensure_csrf():
            return
        form = self.call("edit charter", "GET", f"/projects/{key}/charter/goal/edit",
                         headers={"HX-Request": "true"})
        match = VERSION.search(form.text) if form is not None else None
        if match is None:
            return
        self.edits += 1
        goal = f"Halve the spread (edit {self.edits} by {self.person.email})."
        saved = self.call("edit charter", "POST", f"/projects/{key}/charter/goal",
                          data={"goal": goal, "version": match.group(1)},
                          headers={"HX-Request": "true", "X-CSRFToken": self.csrf})
        if saved is not None and "is-invalid" not in saved.text:
            with self.lock:
                self.acked.edits[key].append(goal)

    def append(self) -> None:
        rows = [{"value": 500 + self.random.gauss(0, 1), "stage": "baseline"}
                for _ in range(self.random.randint(1, 5))]
        dataset_id = self.person.dataset_id
        done = self.call("append data", "POST", f"/api/v1/datasets/{dataset_id}/rows",
                         json={"rows": rows},
                         headers={"Authorization": f"Bearer {self.person.token}"})
        if done is not None:
            with self.lock:
                self.acked.appended[dataset_id] += len(rows)
                self.acked.appends[dataset_id] += 1

    def decide(self) -> None:
        if not self.person.reviews or not self.ensure_csrf():
            return self.open_project()
        key, review = self.person.reviews.pop()
        done = self.call("decide gate", "POST", f"/gates/{key}/reviews/{review}/decide",
                         data={"decision": "approve", "override_reason": OVERRIDE},
                         headers={"X-CSRFToken": self.csrf})
        if done is not None and done.status_code == 302:
            with self.lock:
                self.acked.decided.add(review)
        return None


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gunicorn(args: argparse.Namespace, url: str, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--bind", f"127.0.0.1:{port}",
               "--timeout", "60", "--graceful-timeout", "5", "--preload", "wsgi:app"]
    if args.worker_class == "gthread":
        command[5:5] = ["--threads", str(args.threads), "--keep-alive", str(args.keep_alive)]
    env = {**os.environ, "DATABASE_URL": url, "CIAPP_SECRET_KEY": "load-test-key",
           "MPLCONFIGDIR": str(ROOT / ".mplconfig")}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not get ready; see {log}")


def report(log: list[tuple[str, int, float]], seconds: float) -> int:
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, took in log:
        by_kind[kind].append((status, took))
    print(f"{'step':<14}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    errors_total = 0
    for kind, rows in sorted(by_kind.items()) + [("all", [(s, t) for _, s, t in log])]:
        times = np.array([t for _, t in rows]) * 1000
        errors = sum(1 for s, _ in rows if not s or s >= 400)
        if kind == "all":
            errors_total = errors
        p50, p95, p99 = np.percentile(times, [50, 95, 99]) if len(times) else (0, 0, 0)
        print(f"{kind:<14}{len(rows):>9}{errors:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")
    failed = sorted({(kind, status) for kind, status, _ in log if not status or status >= 400})
    if failed:
        print("errors (step, status; 0 = no answer):", failed)
    for reason in sorted(set(FAILURES))[:5]:
        print("  no answer:", reason)
    print(f"throughput: {len(log) / seconds:.1f} requests/s over {seconds:.0f} s")
    return errors_total


# The step a request line of the server's log belongs to, by its path.
STEP_PATHS = [(re.compile(pattern), step) for pattern, step in (
    (r"^/auth/login$", "sign in"), (r"^/projects/$", "project list"),
    (r"/datasets/\d+/chart$", "view chart"), (r"/charter/goal(/edit)?$", "edit charter"),
    (r"^/api/v1/datasets/\d+/rows$", "append data"), (r"/reviews/\d+/decide$", "decide gate"),
    (r"^/projects/[^/]+$", "open project"))]


def server_times(log: Path) -> None:
    """Time spent inside the app per step, from the JSON line gunicorn's workers write for
    each request: against the users' latency above, the rest is time queued for a worker."""
    import json

    by_step: dict[str, list[float]] = defaultdict(list)
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") != "request" or entry.get("duration_ms") is None:
            continue
        path = entry.get("path", "")
        step = next((name for pattern, name in STEP_PATHS if pattern.search(path)), "other")
        by_step[step].append(float(entry["duration_ms"]))
    busy = sum(sum(times) for times in by_step.values()) or 1.0
    print(f"{'in the app':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'share':>8}")
    for step, times in sorted(by_step.items(), key=lambda item: -sum(item[1])):
        p50, p95 = np.percentile(times, [50, 95])
        print(f"{step:<14}{len(times):>9}{p50:>9.0f}{p95:>9.0f}{sum(times) / busy:>8.0%}")


def lost_writes(url: str, acked: Acked) -> int:
    """Acknowledged writes that the database does not hold. A request the client gave up on
    (no answer in 30 s) may still have been saved: such writes are not counted either way."""
    from sqlalchemy import create_engine, text

    from ciapp import normalise_database_url

    lost = 0
    with closing(create_engine(normalise_database_url(url)).connect()) as conn:
        for key, goals in acked.edits.items():
            # Each saved edit is in the project's history with the text it wrote.
            history = " ".join(str(changes) for changes in conn.execute(text(
                "SELECT a.changes FROM audit_events a JOIN projects p ON p.id = a.entity_id "
                "WHERE a.entity = 'project' AND a.action = 'update' AND p.key = :k"),
                {"k": key}).scalars())
            lost += sum(1 for goal in goals if goal not in history)
        for dataset_id, rows in acked.appended.items():
            current, count = conn.execute(text(
                "SELECT d.current, v.rows FROM datasets d JOIN dataset_versions v "
                "ON v.dataset_id = d.id AND v.number = d.current WHERE d.id = :id"),
                {"id": dataset_id}).one()
            lost += max(0, acked.appends[dataset_id] - (current - 1))
            lost += count < 100 + rows
        for review in acked.decided:
            status = conn.execute(text("SELECT status FROM gate_reviews WHERE id = :id"),
                                  {"id": review}).scalar()
            lost += status == "pending"
    edits = sum(len(goals) for goals in acked.edits.values())
    writes = edits + sum(acked.appends.values()) + len(acked.decided)
    print(f"writes answered 2xx/3xx: {writes} (charter edits "
          f"{edits}, appends {sum(acked.appends.values())}, "
          f"gate decisions {len(acked.decided)}); lost: {lost}")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-alive", type=float, default=5, metavar="SECONDS",
                        help="gthread: how long an idle connection is kept open (gunicorn's "
                        "default 2 s is shorter than the users' think time, so a user's next "
                        "request could meet the server closing that connection)")
    parser.add_argument("--postgres", action="store_true",
                        help="use TEST_DATABASE_URL (scripts/with-postgres.sh sets it)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ciapp-load-"))
    if args.postgres:
        url = os.environ.get("TEST_DATABASE_URL") or sys.exit(
            "--postgres needs TEST_DATABASE_URL: run under scripts/with-postgres.sh")
    else:
        url = f"sqlite:///{folder}/load.sqlite"
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".mplconfig"))
    print(f"seeding {args.users} users on {url.split(':')[0]} ...", flush=True)
    people, keys = seed(url, args.users)
    port = free_port()
    server = start_gunicorn(args, url, port, folder / "gunicorn.log")
    label = (f"{args.workers} {args.worker_class} workers"
             + (f" x {args.threads} threads" if args.worker_class == "gthread" else ""))
    print(f"{args.users} users for {args.duration:.0f} s against {label} on 127.0.0.1:{port}",
          flush=True)
    log: list[tuple[str, int, float]] = []
    acked, lock = Acked(), threading.Lock()
    # The machine may be shared: the load average says how busy it was besides this run.
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    until = started + args.duration
    users = [User(f"http://127.0.0.1:{port}", person, keys, until, log, acked, lock, n)
             for n, person in enumerate(people)]
    try:
        for user in users:
            user.start()
            time.sleep(min(0.05, args.duration / 100))  # users arrive over a moment
        for user in users:
            user.join(args.duration + 60)
    finally:
        elapsed = time.monotonic() - started
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    errors = report(log, elapsed)
    server_times(folder / "gunicorn.log")
    print(f"load average (1 min) of the machine: before {load_before:.1f}, "
          f"after {os.getloadavg()[0]:.1f}")
    lost = lost_writes(url, acked)
    if errors or lost:
        failures = [line for line in (folder / "gunicorn.log").read_text().splitlines()
                    if "Error" in line or '"status":5' in line]
        print(f"kept {folder}; errors in its gunicorn.log:", *failures[-12:], sep="\n  ")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if errors or lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
