"""Administration: the audit log, messages, accounts, jobs and the organisation's settings."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the administration pages and their menu entries."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.accounts.models import Role
    from hubhome.admin import user_views  # noqa: F401  (its pages on the admin blueprint)
    from hubhome.admin.views import bp

    app.register_blueprint(bp)
    nav.add(app, "admin.audit", _l("Audit log"), [Role.ADMIN], order=80)
    nav.add(app, "admin.outbox", _l("Messages"), [Role.ADMIN], order=81)
    nav.add(app, "admin.users", _l("Accounts"), [Role.ADMIN], order=82)
    nav.add(app, "admin.jobs", _l("Scheduled jobs"), [Role.ADMIN], order=83)
    nav.add(app, "admin.organisation", _l("Organisation"), [Role.ADMIN], order=84)
