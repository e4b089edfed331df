"""Sign-in, second factor, sign-out and language."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from hubhome.accounts import services
from hubhome.accounts.forms import LanguageForm, LoginForm, SecondFactorForm
from hubhome.accounts.models import User
from hubhome.accounts.sessions import renew_session
from hubhome.audit.services import record
from hubhome.errors import expired_form_message, http_error_response
from hubhome.extensions import db, limiter
from hubhome.i18n import LOCALES
from hubhome.timeutil import utcnow

bp = Blueprint("accounts", __name__)

MFA_PENDING = "mfa_pending_user"


def _login_limit() -> str:
    return str(current_app.config["HUBHOME"].login_rate_limit)


def _failed(response: Any) -> bool:
    """Only refused attempts count toward an address's limit: an office behind one address
    signs in as often as it needs to."""
    return bool(response.status_code >= 400)


def _locked_page(form: Any, until: Any) -> Any:
    minutes = max(1, math.ceil((until - utcnow()).total_seconds() / 60))
    form.form_errors.append(
        ngettext(
            "Too many failed attempts. Try again in %(num)s minute.",
            "Too many failed attempts. Try again in %(num)s minutes.",
            minutes,
        )
    )
    return render_template("accounts/login.html", form=form), 429


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("home.index")


def finish_login(user: User, method: str = "password") -> Any:
    """Sign `user` in on a new session and go where they were going."""
    session.pop(MFA_PENDING, None)
    next_url = session.pop("login_next", None)
    renew_session()
    login_user(user)
    session.permanent = True
    if user.locale in LOCALES:
        session["locale"] = user.locale
    record(db.session, user, "auth.login", detail={"method": method})
    return redirect(_safe_next(next_url))


@bp.errorhandler(CSRFError)
def expired_form(error: CSRFError) -> Any:
    """A sign-in form whose session has gone: the form again, with a fresh token and a word on
    what happened, rather than an error page (a person signing in again at night just retries)."""
    if request.endpoint != "accounts.login":
        return http_error_response(error)
    form = LoginForm(formdata=None, email=request.form.get("email", "")[:254])
    form.form_errors.append(expired_form_message())
    return render_template("accounts/login.html", form=form), 400


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def login() -> Any:
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET" and request.args.get("next"):
        session["login_next"] = request.args["next"]
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session, form.email.data or "", form.password.data or ""
            )
        except services.LockedOut as exc:
            return _locked_page(form, exc.until)
        except services.SignInRefused:
            form.form_errors.append(_("The e-mail address or password is wrong."))
            return render_template("accounts/login.html", form=form), 401
        if services.mfa_required(user):
            session[MFA_PENDING] = user.id
            if user.totp_secret:
                return redirect(url_for("accounts.mfa"))
            return redirect(url_for("accounts.mfa_setup"))
        return finish_login(user)
    status = 422 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


def _pending_user() -> User | None:
    user_id = session.get(MFA_PENDING)
    return db.session.get(User, user_id) if user_id else None


@bp.route("/login/mfa", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
def mfa() -> Any:
    """Ask for the six-digit code of the authenticator app, or a recovery code."""
    from hubhome.accounts.lifecycle import use_recovery_code

    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if (until := services.locked_until(db.session, user)) is not None:
        session.pop(MFA_PENDING, None)
        return _locked_page(LoginForm(), until)
    if form.validate_on_submit():
        code = form.code.data or ""
        if services.verify_totp(user, code) or use_recovery_code(db.session, user, code):
            return finish_login(user)
        try:
            services.second_factor_failed(db.session, user)
        except services.LockedOut as exc:
            session.pop(MFA_PENDING, None)
            return _locked_page(LoginForm(), exc.until)
        form.code.errors = [_("The code is wrong or has already been used.")]
        return render_template("accounts/mfa.html", form=form), 401
    return render_template("accounts/mfa.html", form=form), 422 if form.errors else 200


@bp.route("/login/mfa/setup")
def mfa_setup() -> Any:
    """Never enrol an authenticator with a password alone: point to the links that can."""
    session.pop(MFA_PENDING, None)
    return render_template("accounts/mfa_needs_link.html"), 403


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    """Sign out."""
    record(db.session, current_user, "auth.logout")
    logout_user()
    session.clear()
    renew_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/language", methods=["POST"])
def language() -> Any:
    """Switch the interface language."""
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit() and form.locale.data in LOCALES:
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account")
@login_required
def account() -> Any:
    """One's own account: the sessions that are signed in, and signing out everywhere."""
    from hubhome.accounts.sessions import active_sessions, current_session_key

    settings = current_app.config["HUBHOME"]
    rows = active_sessions(
        db.session,
        current_user.id,
        timedelta(minutes=settings.session_idle_minutes),
        timedelta(hours=settings.session_max_hours),
    )
    return render_template(
        "accounts/account.html",
        sessions=rows,
        current_key=current_session_key(),
        form=FlaskForm(),
    )


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_all_sessions() -> Any:
    """Sign out everywhere: end every session of one's own, this one too, and API tokens."""
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.account"))
    user = current_user._get_current_object()
    ended = services.end_access(db.session, user)
    record(db.session, user, "auth.session_revoked", user, detail={"sessions": ended})
    logout_user()
    session.clear()
    renew_session()
    flash(_("You are signed out everywhere."), "info")
    return redirect(url_for("accounts.login"))
