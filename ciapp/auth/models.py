"""People, their roles, org units and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.time import utcnow
from ..core.types import UTCDateTime
from ..extensions import db
from ..orgunits.models import OrgUnit


class Role(StrEnum):
    ADMIN = "admin"
    COUNCIL = "council"
    FINANCE = "finance"
    BELT = "belt"
    MEMBER = "member"
    VIEWER = "viewer"


class BeltLevel(StrEnum):
    NONE = "none"
    YELLOW = "yellow"
    GREEN = "green"
    BLACK = "black"
    MASTER = "master_black"


ROLE_LABELS = {
    Role.ADMIN: "Admin",
    Role.COUNCIL: "CI council",
    Role.FINANCE: "Finance validator",
    Role.BELT: "Belt / project lead",
    Role.MEMBER: "Team member",
    Role.VIEWER: "Viewer",
}

BELT_LABELS = {
    BeltLevel.NONE: "No belt",
    BeltLevel.YELLOW: "Yellow belt",
    BeltLevel.GREEN: "Green belt",
    BeltLevel.BLACK: "Black belt",
    BeltLevel.MASTER: "Master black belt",
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER)
    belt_level: Mapped[str] = mapped_column(String(20), default=BeltLevel.NONE)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    org_unit: Mapped[OrgUnit | None] = relationship()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(Role(self.role), self.role)

    @property
    def belt_label(self) -> str:
        return BELT_LABELS.get(BeltLevel(self.belt_level), self.belt_level)


class UserSession(db.Model):
    """A signed-in browser. The session cookie carries a random token whose hash is stored
    here; deleting the row ends that session on the server, whatever copies of the cookie
    exist. One row per sign-in, so signing out on one browser leaves the others signed in,
    while a password change or a deactivation can end all of them at once.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship()
    name: Mapped[str] = mapped_column(String(80), default="API token")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # None only for tokens issued before tokens had an expiry.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Written at most every few minutes (see services.TOKEN_TOUCH_INTERVAL).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(default=False)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class LoginThrottle(db.Model):
    """Failed sign-ins of one e-mail from one address, kept in the database so the limit
    holds across app servers.

    Keyed by address and e-mail together: a key per e-mail alone would let anyone lock a
    colleague out by typing wrong passwords on purpose, and a key per address alone would
    let one person lock out everyone behind the same company proxy. Times are Unix seconds
    rather than datetimes so that one portable UPDATE can add a delay to them on SQLite and
    PostgreSQL alike (see services.reserve_attempt).
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("address", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    failures: Mapped[int] = mapped_column(default=0)
    last_attempt: Mapped[float] = mapped_column(Float, index=True)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)
