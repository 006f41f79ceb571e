"""Access control on every view, declared with a decorator the URL-map test can read.

Each view is wrapped by :func:`guard` with a policy. The policy is kept on the view as
``view.access`` so ``tests/test_permissions.py`` can walk the URL map, fail on any view
without one, and try every route as every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol

from flask import abort, g
from flask_login import current_user


class User(Protocol):
    """Who acts: what a policy needs of a user. ``core`` knows no area, so it names the
    shape of ``auth.models.User`` rather than importing it."""

    id: int

    def has_role(self, *roles: str) -> bool: ...


def acting_user() -> User | None:
    """The user behind this request: an API token's owner, or the signed-in user."""
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user
    return current_user if current_user.is_authenticated else None


@dataclass(frozen=True)
class Policy:
    """``check(user, view_kwargs)`` returns the kwargs the view gets, or None to refuse."""

    name: str
    check: Callable[[User, dict[str, Any]], dict[str, Any] | None] | None = None
    public: bool = False


def guard(policy: Policy) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if policy.public:
                return view(**kwargs)
            user = acting_user()
            if user is None:
                abort(401)
            if policy.check is not None:
                allowed = policy.check(user, kwargs)
                if allowed is None:
                    abort(403)
                kwargs = allowed
            return view(**kwargs)

        wrapped.access = policy  # type: ignore[attr-defined]
        return wrapped

    return decorate


PUBLIC = Policy("public", public=True)
SIGNED_IN = Policy("signed in")


def roles(*allowed: str) -> Policy:
    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        return kwargs if user.has_role(*allowed) else None

    return Policy("roles: " + ", ".join(allowed), check)


def where(name: str, rule: Callable[[User], bool]) -> Policy:
    def check(user: User, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        return kwargs if rule(user) else None

    return Policy(name, check)
