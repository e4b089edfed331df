"""Language selection: the user's choice, then the session's, then Swedish."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LOCALES = ("sv", "en")
PACKAGE = Path(__file__).resolve().parent


def translation_directories() -> str:
    """Every area keeps its own catalog (hubhome/<area>/translations); Flask-Babel merges them."""
    dirs = [PACKAGE / "translations", *sorted(PACKAGE.glob("*/translations"))]
    return ";".join(str(d) for d in dirs if d.is_dir())


@cache
def babel_locale(identifier: str) -> Locale:
    """The babel Locale of "sv" or "en", parsed once per process: `force_locale(str)`
    parses its string anew on every call (each SMS queued), a Locale it takes as it is."""
    return Locale.parse(identifier)


def select_locale() -> str:
    """Pick the locale for this request (the default outside requests: CLI, jobs)."""
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if request and request.args.get("lang") in LOCALES and request.path.startswith("/api/"):
        return str(request.args["lang"])
    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    if user is not None and getattr(user, "locale", None) in LOCALES:
        return str(user.locale)
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def init_app(app: Flask) -> None:
    from hubhome import display

    app.jinja_env.globals["get_locale"] = get_locale
    display.init_app(app)
