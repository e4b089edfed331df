"""One-time links: setting a password (and enrolling the authenticator app), and asking
for a reset link when the password is forgotten."""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, current_app, render_template, session
from flask_babel import gettext as _

from hubhome.accounts import lifecycle, services
from hubhome.accounts.forms import ForgotPasswordForm, SetPasswordForm
from hubhome.extensions import db, limiter
from hubhome.forms import submit

bp = Blueprint("lifecycle", __name__)
ENROLMENT = "link_enrolment"  # the TOTP secret being enrolled, per link


def _limit() -> str:
    return str(current_app.config["HUBHOME"].login_rate_limit)


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot() -> Any:
    """Ask for a reset link by e-mail; the answer is the same whether the address is known."""
    form = ForgotPasswordForm()
    done = submit(form, lambda: lifecycle.forgot_password(db.session, form.email.data or ""))
    if done.saved:
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form), done.status


@bp.route("/account/link/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], deduct_when=lambda response: response.status_code >= 400)
def use_link(token: str) -> Any:
    """Set a password and, for roles with two-step verification, enrol the app; once."""
    link = lifecycle.live_link(db.session, token)
    if link is None:
        return render_template("accounts/link_expired.html"), 404
    user = link.user
    enrol = services.mfa_required(user) and not user.totp_secret
    secret = None
    if enrol:
        secrets_by_link = session.get(ENROLMENT) or {}
        secret = secrets_by_link.get(str(link.id)) or services.new_totp_secret()
        session[ENROLMENT] = {str(link.id): secret}
    form = SetPasswordForm()
    if form.validate_on_submit() and enrol:
        assert secret is not None  # noqa: S101
        if not services.verify_totp(user, form.code.data or "", secret=secret):
            form.code.errors = [_("The code is wrong. Check the time on your phone and try again.")]
    if form.is_submitted() and not form.errors:
        done = submit(
            form,
            lambda: lifecycle.use_link(db.session, link, form.password.data or "", secret),
        )
        if done.saved:
            session.pop(ENROLMENT, None)
            return render_template("accounts/link_done.html", codes=done.value)
        status = done.status
    else:
        status = 422 if form.errors else 200
    qr = None
    if secret is not None:
        qr = segno.make(services.totp_uri(user, secret), error="m").svg_data_uri(scale=5)
    return render_template(
        "accounts/link.html", form=form, user=user, qr=qr, secret=secret, enrol=enrol
    ), status
