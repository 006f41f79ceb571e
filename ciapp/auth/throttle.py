"""Sign-in throttling by address and e-mail together, with a delay that doubles.

Each attempt is counted *before* its password is checked, in one atomic
``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` that the caller commits at once. Counting
afterwards (read the count, check the password, write a failure) let 40 parallel wrong
passwords through 6 checks against a limit of 5: every request read the count before any
wrote it. Here the attempt that reaches the limit sets the block in the same statement, so
parallel attempts behind it find the row blocked and are refused without a check.

The first ``free_attempts`` attempts run at once; the one that reaches that number blocks
the next for ``first_delay`` seconds, and every further failure doubles the delay up to
``max_delay``. A success deletes the row; failures are forgotten after ``memory`` seconds of
quiet. The same happens whether or not the e-mail has an account, so the answers tell an
attacker nothing about who has one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..core.errors import DomainError
from ..extensions import db
from .models import LoginThrottle

ADDRESS_MAX = 64
EMAIL_MAX = 254


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, field="email")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ThrottlePolicy:
    free_attempts: int = 5
    first_delay: float = 30.0
    max_delay: float = 15 * 60.0
    memory: float = 24 * 3600.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        return cls(free_attempts=int(config["LOGIN_MAX_FAILURES"]),
                   first_delay=float(config["LOGIN_FIRST_DELAY_SECONDS"]),
                   max_delay=float(config["LOGIN_LOCKOUT_MINUTES"]) * 60,
                   memory=float(config["LOGIN_FAILURE_MEMORY_HOURS"]) * 3600)

    def delay(self, over: int) -> float:
        """Seconds to wait after the ``over``-th attempt beyond the free ones (0-based)."""
        return min(self.first_delay * 2 ** min(over, 60), self.max_delay)

    def ladder_size(self) -> int:
        """How many doublings it takes to reach ``max_delay``; beyond, the delay is flat."""
        if self.first_delay <= 0 or self.max_delay <= self.first_delay:
            return 1
        return math.ceil(math.log2(self.max_delay / self.first_delay)) + 1


def client_address(remote_addr: str | None, forwarded_for: str, hops: int) -> str:
    """The address a sign-in came from.

    Behind ``hops`` reverse proxies the socket's peer is the nearest proxy, the same for
    everyone, which would make the throttle a lock per e-mail again. Then the address is
    the entry ``hops`` places from the right of X-Forwarded-For: the one the outermost
    trusted proxy wrote. Entries further left are whatever the client claimed."""
    entries = [e.strip() for e in forwarded_for.split(",") if e.strip()]
    if hops <= 0 or len(entries) < hops:
        return remote_addr or "unknown"
    return entries[-hops]


def _key(address: str, email: str) -> tuple[str, str]:
    return (address or "unknown")[:ADDRESS_MAX], email.strip().lower()[:EMAIL_MAX]


def reserve_attempt(address: str, email: str, policy: ThrottlePolicy,
                    now: float | None = None) -> None:
    """Count an attempt to sign in as ``email`` from ``address``, or refuse it with
    TooManyAttempts while the pair is blocked. Commit straight after, before checking the
    password, so that parallel attempts see the count."""
    now = time.time() if now is None else now
    address, email = _key(address, email)
    table = LoginThrottle.__table__
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[
        db.session.get_bind().dialect.name]
    count = case((table.c.last_attempt < now - policy.memory, 1),
                 else_=table.c.failures + 1)
    ladder = case({over: now + policy.delay(over) for over in range(policy.ladder_size())},
                  value=count - policy.free_attempts, else_=now + policy.max_delay)
    first_block = now + policy.delay(0) if policy.free_attempts <= 1 else 0.0
    stmt = insert(table).values(address=address, email=email, failures=1, last_attempt=now,
                                blocked_until=first_block)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.address, table.c.email],
        set_={"failures": count, "last_attempt": now,
              "blocked_until": case((count >= policy.free_attempts, ladder),
                                    else_=table.c.blocked_until)},
        where=table.c.blocked_until <= now,
    ).returning(table.c.failures)
    if db.session.execute(stmt).first() is not None:
        # Pairs quiet for longer than the memory are of no more use; clearing them here
        # keeps the table to the last day's failures without a scheduled job.
        db.session.execute(delete(LoginThrottle).where(
            LoginThrottle.last_attempt < now - policy.memory,
            LoginThrottle.blocked_until <= now))
        return
    blocked_until = db.session.scalar(select(table.c.blocked_until).where(
        table.c.address == address, table.c.email == email)) or now
    wait = max(1, math.ceil(blocked_until - now))
    raise TooManyAttempts(f"Too many failed sign-ins for this e-mail from your address; "
                          f"try again in {_duration(wait)}.", retry_after=wait)


def clear(address: str, email: str) -> None:
    """Forget the failures of this pair after a successful sign-in."""
    address, email = _key(address, email)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.address == address,
                                                   LoginThrottle.email == email))


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"
