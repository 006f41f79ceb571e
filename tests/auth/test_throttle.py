"""Sign-in throttling: per address and e-mail together, a delay that doubles, and a count
that parallel requests cannot outrun."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from ciapp.auth import services
from ciapp.auth import throttle as throttle_module
from ciapp.auth.models import LoginThrottle
from ciapp.auth.throttle import ThrottlePolicy, TooManyAttempts, reserve_attempt

PASSWORD = "a long enough password"
POLICY = ThrottlePolicy(free_attempts=5, first_delay=30, max_delay=900, memory=86400)
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def make_user(db: Any, email: str = "ana@example.com") -> Any:
    user = services.create_user(None, email=email, name="Ana Lead", role="belt",
                                password=PASSWORD)
    db.session.commit()
    return user


def attempt(client: Any, password: str, address: str = ATTACKER,
            email: str = "ana@example.com") -> Any:
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def allowed(now: float, email: str = "ana@example.com", address: str = ATTACKER) -> bool:
    try:
        reserve_attempt(address, email, POLICY, now=now)
    except TooManyAttempts:
        return False
    return True


def test_the_delay_doubles_from_30_seconds_to_a_ceiling_of_15_minutes() -> None:
    assert [POLICY.delay(n) for n in range(7)] == [30, 60, 120, 240, 480, 900, 900]
    assert POLICY.delay(10_000) == 900


def test_five_attempts_run_then_each_failure_doubles_the_wait(db: Any) -> None:
    assert [allowed(1000.0) for _ in range(6)] == [True] * 5 + [False]
    assert not allowed(1029.0)  # 30 s after the fifth attempt, not before
    assert allowed(1030.0)  # the sixth attempt, once 30 s have passed…
    assert not allowed(1089.0)  # …blocks the next one for 60 s
    assert allowed(1090.0)
    assert not allowed(1209.0) and allowed(1210.0)  # then 120 s


def test_the_refusal_says_how_long_to_wait(db: Any) -> None:
    for _ in range(5):
        allowed(1000.0)
    with pytest.raises(TooManyAttempts) as refused:
        reserve_attempt(ATTACKER, "ana@example.com", POLICY, now=1010.0)
    assert refused.value.status == 429 and refused.value.retry_after == 20
    assert "try again in 20 seconds" in refused.value.message
    assert refused.value.fields == {"email": [refused.value.message]}


def test_attempts_while_blocked_do_not_lengthen_the_wait(db: Any) -> None:
    for _ in range(5):
        allowed(1000.0)
    for second in range(1001, 1030):
        assert not allowed(float(second))  # hammering during the block costs nothing more
    assert allowed(1030.0)


def test_failures_are_forgotten_after_a_quiet_day(db: Any) -> None:
    for _ in range(5):
        allowed(1000.0)
    assert [allowed(1000.0 + 86401) for _ in range(5)] == [True] * 5


def test_each_address_and_email_pair_counts_on_its_own(db: Any) -> None:
    for _ in range(5):
        allowed(1000.0)
    assert not allowed(1000.0)
    assert allowed(1000.0, address=OWNER)
    assert allowed(1000.0, email="bo@example.com")


def test_an_attacker_cannot_lock_the_owner_out(client: Any, db: Any) -> None:
    make_user(db)
    for _ in range(5):
        assert attempt(client, "guess guess guess").status_code == 401
    assert attempt(client, "guess guess guess").status_code == 429
    assert attempt(client, PASSWORD).status_code == 429  # even the right one, from there

    owner = attempt(client, PASSWORD, address=OWNER)

    assert owner.status_code == 302 and "/auth/login" not in owner.headers["Location"]


def test_unknown_and_known_emails_are_throttled_alike(client: Any, db: Any) -> None:
    make_user(db)
    answers = {}
    for email in ("ana@example.com", "nobody@example.com"):
        codes = [attempt(client, "guess guess guess", email=email).status_code
                 for _ in range(6)]
        refused = attempt(client, "guess guess guess", email=email)
        # The wait left, in seconds: 30 less the time the slow hashes took since the block.
        wait = int(refused.headers["Retry-After"])
        answers[email] = (codes, refused.status_code, 20 <= wait <= 30)
    assert answers["ana@example.com"] == answers["nobody@example.com"] == (
        [401] * 5 + [429], 429, True)


def test_a_success_clears_the_failures_of_that_address_only(client: Any, db: Any) -> None:
    make_user(db)
    attempt(client, "guess guess guess", address=OWNER)
    attempt(client, "guess guess guess", address=ATTACKER)
    assert attempt(client, PASSWORD, address=OWNER).status_code == 302
    rows = db.session.scalars(select(LoginThrottle)).all()
    assert [(r.address, r.failures) for r in rows] == [(ATTACKER, 1)]


@pytest.fixture
def counted_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count password hash checks, wherever they happen."""
    import ciapp.auth.models as models

    calls: list[int] = []
    lock = threading.Lock()
    real = models.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        with lock:
            calls.append(1)
        return real(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    monkeypatch.setattr(services, "check_password_hash", counting)
    yield calls


def test_forty_parallel_wrong_passwords_get_exactly_five_checks(
        app: Flask, committing_db: Any, counted_checks: list[int]) -> None:
    """Each thread stands for a request on its own app server; they share the database
    (the SQLite file, or PostgreSQL under scripts/with-postgres.sh)."""
    make_user(committing_db)
    start = threading.Barrier(40)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            client = app.test_client()
            start.wait(timeout=30)
            with app.app_context():
                statuses.append(attempt(client, "guess guess guess").status_code)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert len(counted_checks) == 5
    assert sorted(statuses) == [401] * 5 + [429] * 35
    row = committing_db.session.scalars(select(LoginThrottle)).one()
    assert row.failures == 5


def test_an_unknown_email_costs_one_password_check_like_a_known_one(
        client: Any, db: Any, counted_checks: list[int]) -> None:
    make_user(db)
    attempt(client, "guess guess guess", address=OWNER)
    assert len(counted_checks) == 1
    attempt(client, "guess guess guess", address=OWNER, email="nobody@example.com")
    assert len(counted_checks) == 2


def test_the_throttle_reads_its_settings_from_the_config(app: Flask) -> None:
    policy = throttle_module.ThrottlePolicy.from_config(app.config)
    assert policy == ThrottlePolicy(free_attempts=5, first_delay=30, max_delay=900,
                                    memory=86400)


def test_an_unknown_email_answers_as_slowly_as_a_wrong_password(client: Any, db: Any) -> None:
    """Before, an unknown e-mail answered in a tenth of the time, which told an attacker
    which e-mails have an account. Medians of interleaved runs, with a generous margin for
    a busy machine; the check-count test above is the exact one."""
    import statistics
    import time

    make_user(db)  # a real password hash, made the way production makes them
    timings: dict[str, list[float]] = {"ana@example.com": [], "nobody@example.com": []}
    for n in range(5):
        for email, runs in timings.items():
            began = time.perf_counter()
            response = attempt(client, "guess guess guess", address=f"192.0.2.{n}",
                               email=email)
            runs.append(time.perf_counter() - began)
            assert response.status_code == 401
    known = statistics.median(timings["ana@example.com"])
    unknown = statistics.median(timings["nobody@example.com"])
    assert unknown > 0.6 * known, (known, unknown)


@pytest.mark.parametrize(("peer", "forwarded", "hops", "expected"), [
    ("203.0.113.9", "", 0, "203.0.113.9"),
    ("10.0.0.2", "198.51.100.7", 0, "10.0.0.2"),  # no proxy trusted: the header is ignored
    ("10.0.0.2", "198.51.100.7", 1, "198.51.100.7"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # the client's claim, skipped
    ("10.0.0.3", "6.6.6.6, 198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
    ("10.0.0.2", "", 1, "10.0.0.2"),  # a proxy that sent nothing: fall back to the peer
    (None, "", 0, "unknown"),
])
def test_the_address_behind_trusted_proxies(peer: str | None, forwarded: str, hops: int,
                                            expected: str) -> None:
    assert throttle_module.client_address(peer, forwarded, hops) == expected


def test_behind_a_proxy_each_client_is_throttled_on_its_own(app: Flask, client: Any,
                                                            db: Any) -> None:
    make_user(db)
    app.config["TRUSTED_PROXY_HOPS"] = 1
    try:
        def via_proxy(client_ip: str, password: str) -> int:
            return client.post("/auth/login",
                               data={"email": "ana@example.com", "password": password},
                               environ_base={"REMOTE_ADDR": "127.0.0.1"},
                               headers={"X-Forwarded-For": client_ip}).status_code

        assert [via_proxy(ATTACKER, "guess guess guess") for _ in range(6)] == \
            [401] * 5 + [429]
        assert via_proxy(OWNER, PASSWORD) == 302
    finally:
        app.config["TRUSTED_PROXY_HOPS"] = 0


def test_pairs_quiet_for_a_day_are_cleared_away(db: Any) -> None:
    allowed(1000.0, email="old@example.com")
    allowed(1000.0 + 86401, email="new@example.com")
    rows = db.session.scalars(select(LoginThrottle)).all()
    assert [r.email for r in rows] == ["new@example.com"]
