"""Default settings. Environment variables with the ``CIAPP_`` prefix override them."""

from __future__ import annotations

from datetime import timedelta

DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # htmx pages stay open for hours; a one-hour CSRF token would fail their POSTs.
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Secure cookies need HTTPS; the embedded quick start serves plain HTTP on 127.0.0.1.
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "PROJECTS_PER_PAGE": 20,
    # ISO 4217 code that amounts of money are shown in (CIAPP_CURRENCY); one per installation.
    "CURRENCY": "EUR",
    # Sign-in throttling per address and e-mail (ciapp/auth/throttle.py): this many attempts
    # at once, then a delay that starts here and doubles up to LOGIN_LOCKOUT_MINUTES;
    # failures are forgotten after LOGIN_FAILURE_MEMORY_HOURS without any.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_FIRST_DELAY_SECONDS": 30,
    "LOGIN_LOCKOUT_MINUTES": 15,
    "LOGIN_FAILURE_MEMORY_HOURS": 24,
    # Reverse proxies in front of the app that append to X-Forwarded-For; the sign-in
    # throttle takes the client's address from there (0: the socket's peer address).
    "TRUSTED_PROXY_HOPS": 0,
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,  # a 10^6-row CSV of time, value, stage is ~30 MiB
    # The portfolio's attention list calls an active project stalled after this many days in
    # one phase (since its last gate passed, or since it was opened).
    "PORTFOLIO_STALLED_DAYS": 60,
    # Attachments (photos, documents): the folder their bytes are kept in (None: the
    # instance folder's attachments/; a relative path is taken from the instance folder;
    # several app servers must share it) and the largest file, checked while it is read.
    "ATTACHMENTS_DIR": None,
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    # Outgoing mail (the monthly summary, scheduled reports): CIAPP_SMTP_HOST and the rest.
    # With no host, messages are written as .eml files to the instance folder's outbox/,
    # so a set-up without mail still shows what would have been sent.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": True,
    "MAIL_FROM": "ciapp@localhost",
    "MAIL_OUTBOX": None,  # where messages go without SMTP; None: the instance folder's outbox/
    # The address people reach the app at, for links in e-mails sent from the command line.
    "BASE_URL": "http://127.0.0.1:5000",
}
