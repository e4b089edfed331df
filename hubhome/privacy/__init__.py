"""Records as Swedish law asks: the monthly access review and the register extract."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the access review and the register extract, their menu entries, the monthly
    job, the CLI, the extract's sections and the log reviewer's fence."""
    from flask_babel import lazy_gettext as _l

    from hubhome import nav
    from hubhome.accounts.models import Role
    from hubhome.ops.schedule import add_job
    from hubhome.privacy import extract_views  # noqa: F401  (its pages on the blueprint)
    from hubhome.privacy.commands import log_review_cli
    from hubhome.privacy.extract import display_value
    from hubhome.privacy.extract_sections import init_sections
    from hubhome.privacy.services import open_due_reviews
    from hubhome.privacy.views import bp

    app.register_blueprint(bp)
    app.jinja_env.filters["extract_value"] = display_value
    app.before_request(fence_log_reviewers)
    nav.add(app, "privacy.reviews", _l("Access review"), [Role.ADMIN, Role.LOG_REVIEWER], order=85)
    nav.add(app, "privacy.extract_form", _l("Register extract"), [Role.ADMIN], order=86)
    add_job(app, "log_review_open", open_due_reviews, "cron", day="1-3", hour=4, minute=40)
    app.cli.add_command(log_review_cli)
    init_sections(app)


def fence_log_reviewers() -> Any:
    """A log reviewer reaches the access review and their own account, nothing else."""
    from flask import abort, g, redirect, request, url_for
    from flask_login import current_user

    from hubhome.accounts.models import Role
    from hubhome.errors import problem
    from hubhome.permissions import may_open

    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    if user is None or user.role != Role.LOG_REVIEWER:
        return None
    if request.path.startswith("/api/"):
        if request.path == "/api/v1/auth/token":
            return None
        return problem(403, "Forbidden", "A log reviewer may only use the access review.")
    if request.endpoint in ("home.root", "home.index"):
        return redirect(url_for("privacy.reviews"))
    if not may_open(user, request.endpoint):
        abort(403)
    return None
