"""Hubhome: support for Mockingbird-style foster-care constellations."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from config import Settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    """Build a Hubhome application from settings (the environment when none are given)."""
    from hubhome.transaction import UnitOfWorkFlask

    settings = settings or Settings.from_env()
    settings.check()
    app = UnitOfWorkFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(settings.flask_config())
    app.config.update(overrides)
    if settings.proxy_hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    logging.basicConfig(level=settings.log_level)
    # Twilio's SDK logs each request's query (numbers) at INFO; Hubhome logs ids, never people
    logging.getLogger("twilio").setLevel(logging.WARNING)

    register_extensions(app)
    register_areas(app)
    register_cli(app)
    register_error_handlers(app)
    register_security(app)
    if settings.count_queries:
        from hubhome.diagnostics import init_query_counting

        init_query_counting(app)
    return app


def register_extensions(app: Flask) -> None:
    from hubhome import crypto, i18n
    from hubhome.accounts.loader import init_login
    from hubhome.api.bounds import BoundedIntConverter
    from hubhome.db import install_once
    from hubhome.extensions import babel, csrf, db, limiter
    from hubhome.migrations_cli import init_migrations
    from hubhome.pool import install_pool_checks
    from hubhome.templating import init_templating

    settings: Settings = app.config["HUBHOME"]
    app.url_map.converters["int"] = BoundedIntConverter
    crypto.configure(settings.field_key, app.config["SECRET_KEY"])
    install_once()
    install_pool_checks()
    db.init_app(app)
    init_migrations(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=lambda: settings.timezone,
        default_translation_directories=i18n.translation_directories(),
    )
    limiter.init_app(app)
    init_login(app)
    i18n.init_app(app)
    init_templating(app)
    import hubhome.models  # noqa: F401  (every model registered on the metadata)


def register_areas(app: Flask) -> None:
    """Plug in every area: each registers its pages, API, menu entries, home panels, what it
    adds to the caseload, health figures and calendar, its retention rules and its jobs.

    The order is the menu's tie-break and the jobs' order (the outbox first, so a one-off run
    sends what earlier runs queued before queueing more).
    """
    from hubhome import (
        about,
        accounts,
        activities,
        admin,
        advice,
        audit,
        calendar,
        caseload,
        children,
        conferences,
        decisions,
        home,
        messages,
        network,
        notify,
        openservices,
        ops,
        outbox,
        outcomes,
        phone,
        privacy,
        recordings,
        respite,
        rota,
        visits,
    )
    from hubhome.api import init_api

    init_api(app)
    for area in (
        home,
        about,
        accounts,
        network,
        children,
        admin,
        audit,
        outbox,
        respite,
        calendar,
        ops,
        activities,
        advice,
        rota,
        phone,
        visits,
        conferences,
        caseload,
        decisions,
        outcomes,
        messages,
        recordings,
        openservices,
        privacy,
        notify,
    ):
        area.init_app(app)


def register_cli(app: Flask) -> None:
    from hubhome.cli import register_app_commands

    register_app_commands(app)


def register_error_handlers(app: Flask) -> None:
    from hubhome.errors import init_errors

    init_errors(app)


def register_security(app: Flask) -> None:
    from hubhome.security import init_security

    init_security(app)
