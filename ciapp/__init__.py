"""ciapp: a continuous-improvement project tracker for Lean and Six Sigma teams."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # ciapp.stats must stay importable without loading Flask
    from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints. No I/O happens here."""
    from flask import Flask

    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    configure(app, test_config)
    from .core import input_rules
    from .core.jsonio import OrjsonProvider

    app.json = OrjsonProvider(app)

    input_rules.register(app)  # before any route: URL rules pick their converters when added
    register_extensions(app)
    register_blueprints(app)
    register_areas(app)
    register_ops(app)
    register_cli(app)
    from .core import layout
    from .core.web import register_web

    register_web(app)
    layout.register(app)
    return app


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    from .config import DEFAULTS

    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CIAPP")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        "sqlite:///" + os.path.join(app.instance_path, "ciapp.sqlite"),
    )
    from .core.sqlite import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if not app.config.get("SECRET_KEY"):
        # Sessions then last only as long as this process: fine for a laptop, wrong for
        # several app servers, which must share CIAPP_SECRET_KEY (see README).
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        app.logger.warning("CIAPP_SECRET_KEY is not set; using a random key for this process")


def normalise_database_url(url: str) -> str:
    """Accept the ``postgres://`` and ``postgresql://`` forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def register_extensions(app: Flask) -> None:
    from .core import sqlite
    from .extensions import csrf, db, htmx, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    sqlite.register()


def register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .api import a3 as _api_a3  # noqa: F401  its routes join the API's
    from .api import analyses as _api_analyses  # noqa: F401  its routes join the API's
    from .api import attachments as _api_attachments  # noqa: F401  its routes join the API's
    from .api import benefits as _api_benefits  # noqa: F401  its routes join the API's
    from .api import datasets as _api_datasets  # noqa: F401  its routes join the API's
    from .api import fmea as _api_fmea  # noqa: F401  its routes join the API's
    from .api import improve as _api_improve  # noqa: F401  its routes join the API's
    from .api import kpi_report as _api_kpi_report  # noqa: F401  its routes join the API's
    from .api import kpis as _api_kpis  # noqa: F401  its routes join the API's
    from .api import leadership as _api_leadership  # noqa: F401  its routes join the API's
    from .api import portfolio as _api_portfolio  # noqa: F401  its routes join the API's
    from .api import programme as _api_programme  # noqa: F401  its routes join the API's
    from .api import rootcause as _api_rootcause  # noqa: F401  its routes join the API's
    from .api.routes import bp as api_bp
    from .auth.routes import bp as auth_bp
    from .gates.routes import bp as gates_bp
    from .home.routes import bp as home_bp
    from .notifications.routes import bp as notifications_bp
    from .projects.routes import bp as projects_bp

    for bp in (home_bp, auth_bp, projects_bp, gates_bp, notifications_bp, admin_bp, api_bp):
        app.register_blueprint(bp)


def register_areas(app: Flask) -> None:
    """Each area's own wiring, from its ``register(app)``: gate criteria, the context
    processors of its labels and counters, template globals. Importing an area
    registers nothing."""
    from . import (
        a3,
        analyses,
        attachments,
        auth,
        benefits,
        datasets,
        gates,
        improve,
        kpis,
        leadership,
        notifications,
        portfolio,
        programme,
        projects,
        rootcause,
    )

    for area in (auth, projects, gates, datasets, analyses, notifications, rootcause,
                 improve, portfolio, attachments, benefits, a3, kpis, leadership, programme):
        area.register(app)


def register_ops(app: Flask) -> None:
    """/readyz, one JSON log line per request, backup and restore (ciapp/ops/)."""
    from . import ops

    ops.register(app)


def register_cli(app: Flask) -> None:
    from .auth.cli import users_cli
    from .demo.cli import seed_demo

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
