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
    logging.basicConfig(level=settings.log_level)

    register_extensions(app)
    register_blueprints(app)
    register_contributions()
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
    from hubhome.db import install_once
    from hubhome.extensions import babel, csrf, db, limiter, migrate
    from hubhome.templating import init_templating

    settings: Settings = app.config["HUBHOME"]
    crypto.configure(settings.field_key, app.config["SECRET_KEY"])
    install_once()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
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


def register_blueprints(app: Flask) -> None:
    from hubhome.about.views import bp as about_bp
    from hubhome.accounts.views import bp as accounts_bp
    from hubhome.activities.views import bp as activities_bp
    from hubhome.admin.views import bp as admin_bp
    from hubhome.advice.views import bp as advice_bp
    from hubhome.api import init_api
    from hubhome.calendar.views import bp as calendar_bp
    from hubhome.caseload.views import bp as caseload_bp
    from hubhome.children.views import bp as children_bp
    from hubhome.decisions.views import bp as decisions_bp
    from hubhome.home.views import bp as home_bp
    from hubhome.network.views import bp as network_bp
    from hubhome.ops.views import bp as ops_bp
    from hubhome.outcomes.survey_views import bp as survey_bp
    from hubhome.outcomes.views import bp as outcomes_bp
    from hubhome.respite.views import bp as respite_bp
    from hubhome.visits.views import bp as visits_bp

    for bp in (
        home_bp,
        about_bp,
        accounts_bp,
        network_bp,
        children_bp,
        admin_bp,
        respite_bp,
        calendar_bp,
        ops_bp,
        activities_bp,
        visits_bp,
        advice_bp,
        caseload_bp,
        decisions_bp,
        outcomes_bp,
        survey_bp,
    ):
        app.register_blueprint(bp)
    from hubhome.phone.views import bp as phone_bp
    from hubhome.phone.webhooks import bp as phone_hooks_bp
    from hubhome.rota.views import bp as rota_bp

    for bp in (phone_hooks_bp, phone_bp, rota_bp):
        app.register_blueprint(bp)
    init_api(app)


def register_contributions() -> None:
    """Areas tell each other what they know (caseload notes, health figures, call counts)
    and what retention may remove."""
    import hubhome.activities.contributions
    import hubhome.advice.contributions
    import hubhome.advice.retention
    import hubhome.phone.contributions
    import hubhome.phone.retention
    import hubhome.visits.contributions  # noqa: F401


def register_cli(app: Flask) -> None:
    from hubhome.cli import register_app_commands

    register_app_commands(app)


def register_error_handlers(app: Flask) -> None:
    from hubhome.errors import init_errors

    init_errors(app)


def register_security(app: Flask) -> None:
    from hubhome.security import init_security

    init_security(app)
