"""Flask-Login wiring."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, flash, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_url

from hubhome.extensions import db, login_manager


def init_login(app: Flask) -> None:
    from hubhome.accounts.models import User
    from hubhome.accounts.sessions import ServerSessionInterface

    app.session_interface = ServerSessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        """Send a person to the sign-in page; answer a script's request with a bare 401.

        A request a page or the service worker makes in the background (the offline week's
        refresh, the on-call panel's poll) must not write a session: its flash message would
        start a session of its own whose cookie replaces the one a sign-in page opened at the
        same moment holds, and that page's form would then be refused (its CSRF token lives
        in the replaced session).
        """
        if is_background(request.headers.get("Sec-Fetch-Mode")):
            return Response(_("Sign in to continue."), 401, mimetype="text/plain")
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url("accounts.login", next_url=request.url))

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None


def is_background(fetch_mode: str | None) -> bool:
    """A request the browser sent for a script (fetch, service worker), not to show a page:
    `Sec-Fetch-Mode` is anything but "navigate". Browsers that send no such header are
    taken as navigating."""
    return fetch_mode is not None and fetch_mode not in ("navigate", "nested-navigate")
