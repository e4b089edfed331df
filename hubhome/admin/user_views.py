"""Administration of one account: edit, invite or reset, second factor, API tokens."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hubhome.accounts import lifecycle
from hubhome.accounts.forms import EditUserForm, SendLinkForm
from hubhome.accounts.models import Role
from hubhome.admin.views import bp, org_user_or_404
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.network.services import visible_households


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int) -> Any:
    """Edit an account's name, e-mail, phone, personnummer and role; its links and tokens."""
    account = org_user_or_404(user_id)
    form = EditUserForm(obj=account)
    form.household_id.choices = choices(
        [(0, _("No household"))]
        + [(h.id, h.name) for h in visible_households(db.session, current_user)]
    )
    if not form.is_submitted():
        form.role.data = str(account.role)
        form.household_id.data = account.household_id or 0
        form.personnummer.data = account.personnummer or ""
    changes = lambda: lifecycle.UserChanges(  # noqa: E731
        name=form.name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or None,
        personnummer=form.personnummer.data or None,
        role=Role(form.role.data),
        household_id=form.household_id.data or None,
    )
    done = submit(form, lambda: lifecycle.update_user(db.session, current_user, account, changes()))
    if done.saved:
        flash(_("The account has been saved."), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return render_template(
        "admin/user.html",
        account=account,
        form=form,
        link_form=SendLinkForm(),
        tokens=lifecycle.live_tokens(db.session, account),
    ), done.status


@bp.route("/users/<int:user_id>/link", methods=["POST"])
def send_link(user_id: int) -> Any:
    """Send the account an invitation or a reset link by e-mail or SMS."""
    account = org_user_or_404(user_id)
    form = SendLinkForm()
    channel = form.channel.data if form.validate_on_submit() else "email"
    done = attempt(lambda: lifecycle.send_link(db.session, current_user, account, channel))
    done.flash(_("The link has been sent. It works once, for 72 hours."))
    return redirect(url_for("admin.user", user_id=account.id))


@bp.route("/users/<int:user_id>/reset-mfa", methods=["POST"])
def reset_mfa(user_id: int) -> Any:
    """Remove the account's authenticator app; it enrols again through a link."""
    account = org_user_or_404(user_id)
    done = attempt(lambda: lifecycle.reset_mfa(db.session, current_user, account))
    done.flash(_("Two-step verification has been reset and the account signed out everywhere."))
    return redirect(url_for("admin.user", user_id=account.id))


@bp.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(user_id: int, token_id: int) -> Any:
    """Revoke one of the account's API tokens."""
    account = org_user_or_404(user_id)
    done = attempt(lambda: lifecycle.revoke_token(db.session, current_user, account, token_id))
    done.flash(_("The API token has been revoked."))
    return redirect(url_for("admin.user", user_id=account.id))
