"""What the layout every page shares (templates/base.html) needs, done as little as possible.

The layout draws some fifteen fixed links (the stylesheet, the top bar's areas) on every
page; ``url_for`` builds each one afresh (about 5 microseconds apiece, a tenth of the busy
project list's own time), although for the same endpoint they only change with the script
root the app is mounted under. ``layout_url`` keeps them per app, keyed by exactly that.

Its form token (``layout_csrf_token``) is Flask-WTF's, signed once per session token rather
than once per page: the signature carries a timestamp, which ciapp never checks
(``WTF_CSRF_TIME_LIMIT`` is None: htmx pages stay open for hours), so the token signed for a
session's first page is as good on its hundredth. Signing, with its key derivation, was a
twentieth of the project list's time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from flask import current_app, g, request, session, url_for
from flask_wtf.csrf import generate_csrf

if TYPE_CHECKING:
    from flask import Flask


SIGNED_TOKENS = 4096  # sessions whose signed form token is kept (about 0.5 MB at most)


class Links(dict[str, str]):
    """The layout's links by endpoint under one script root, each built on first use."""

    def __missing__(self, endpoint: str) -> str:
        url = self[endpoint] = url_for(endpoint)
        return url


class FreshLinks(dict[str, str]):
    """Links built on every use: while URL defaults are registered, which could add
    values per request."""

    def __missing__(self, endpoint: str) -> str:
        return url_for(endpoint)


def register(app: Flask) -> None:
    @lru_cache(maxsize=256)  # bounded: a proxy may let clients set the script root
    def built(endpoint: str, values: tuple[tuple[str, Any], ...], script_root: str) -> str:
        return url_for(endpoint, **dict(values))

    @lru_cache(maxsize=16)
    def links_under(script_root: str) -> Links:
        return Links()

    def layout_url(endpoint: str, **values: Any) -> str:
        """``url_for(endpoint, **values)`` for a link that depends on nothing else: not
        for blueprint-relative endpoints (".x"), nor while URL defaults are registered
        (they could add values per request)."""
        if endpoint.startswith(".") or app.url_default_functions:
            return url_for(endpoint, **values)
        return built(endpoint, tuple(values.items()), request.script_root)

    def layout_links() -> dict[str, str]:
        """The links of endpoints without values, as ``links['home.index']``: one call
        for the top bar's ten links instead of one each."""
        if app.url_default_functions:
            return FreshLinks()
        return links_under(request.script_root)

    signed: dict[tuple[Any, Any], str] = {}

    def layout_csrf_token() -> str:
        """``generate_csrf()``, kept per secret key and session token while tokens do not
        expire. Later ``csrf_token()`` calls in the same page get the same token from
        ``g``, where Flask-WTF keeps it per request."""
        config = current_app.config
        field = config["WTF_CSRF_FIELD_NAME"]
        if config["WTF_CSRF_TIME_LIMIT"] is not None or field in g:
            return generate_csrf()
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        token = signed.get((secret, session.get(field)))
        if token is None:
            token = generate_csrf()  # which may start the session's token
            if len(signed) >= SIGNED_TOKENS:
                signed.clear()
            signed[(secret, session.get(field))] = token
        else:
            setattr(g, field, token)
        return token

    app.add_template_global(layout_url, "layout_url")
    app.add_template_global(layout_links, "layout_links")
    app.add_template_global(layout_csrf_token, "layout_csrf_token")
