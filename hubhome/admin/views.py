"""Administration: the audit log, the outbox and the accounts of the organisation."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hubhome.accounts.forms import UserForm
from hubhome.accounts.lifecycle import send_link
from hubhome.accounts.models import Role, User
from hubhome.accounts.services import create_user, set_active
from hubhome.admin.forms import AuditSearchForm, OrganisationSettingsForm
from hubhome.admin.job_overview import job_lines
from hubhome.audit.queries import search_audit
from hubhome.audit.services import record
from hubhome.extensions import db
from hubhome.forms import attempt, choices, submit
from hubhome.network.models import Organisation
from hubhome.network.services import update_organisation_settings, visible_households
from hubhome.ops.health import heartbeat
from hubhome.ops.queries import latest_runs, recent_runs
from hubhome.outbox.services import list_outbox
from hubhome.permissions import require_role
from hubhome.timeutil import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only() -> None:
    require_role(current_user, Role.ADMIN)


def _org_users() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == current_user.organisation_id)
            .order_by(User.name)
        )
    )


def _org_user_names() -> list[Any]:
    """Id, name and e-mail of everyone in the organisation: the audit search's "who"
    (1,462 people in the largest municipality; whole accounts would be loaded for three
    columns)."""
    return list(
        db.session.execute(
            select(User.id, User.name, User.email)
            .where(User.organisation_id == current_user.organisation_id)
            .order_by(User.name)
        )
    )


@bp.route("/audit")
def audit() -> Any:
    """Search the audit log by user, child and date."""
    # a GET form: Flask-WTF only reads request.form by itself, so hand it the query string
    form = AuditSearchForm(formdata=request.args if request.args else None)
    users = _org_user_names()
    form.actor_id.choices = choices(
        [(0, _("Everyone"))] + [(u.id, f"{u.name} ({u.email})") for u in users]
    )
    events: list[Any] = []
    status = 200
    if form.validate():
        events = list(
            search_audit(
                db.session,
                current_user.organisation_id,
                actor_id=form.actor_id.data or None,
                child_id=form.child_id.data,
                action=form.action.data or None,
                date_from=form.date_from.data,
                date_to=form.date_to.data,
            )
        )
    else:
        status = 422
    names = {u.id: u.name for u in users}
    return render_template("admin/audit.html", form=form, events=events, names=names), status


@bp.route("/outbox")
def outbox() -> Any:
    """List outgoing messages with their status and attempts."""
    messages = list_outbox(db.session, current_user.organisation_id)
    return render_template("admin/outbox.html", messages=messages)


@bp.route("/jobs")
def jobs() -> Any:
    """Each job's last run and the recent runs, with failures in words."""
    job = request.args.get("job") or None
    idle = bool(job) or request.args.get("idle") == "1"
    latest = latest_runs(db.session)
    return render_template(
        "admin/jobs.html",
        lines=job_lines(current_app, latest, utcnow()),
        runs=recent_runs(db.session, job=job, idle=idle),
        job=job,
        idle=idle,
        heartbeat=heartbeat(db.session),
    )


@bp.route("/organisation", methods=["GET", "POST"])
def organisation() -> Any:
    """The organisation's last-resort duty number and retention policy."""
    org = db.session.get_one(Organisation, current_user.organisation_id)
    form = OrganisationSettingsForm(obj=org)
    done = submit(
        form,
        lambda: update_organisation_settings(
            db.session,
            current_user,
            org,
            duty_number=form.duty_number.data or None,
            retention_years=form.retention_years.data,
        ),
    )
    if done.saved:
        flash(_("The settings have been saved."), "success")
        return redirect(url_for("admin.organisation"))
    return render_template("admin/organisation.html", form=form, organisation=org), done.status


@bp.route("/users", methods=["GET", "POST"])
def users() -> Any:
    """List the organisation's accounts and create new ones (with an invitation, or not)."""
    form = UserForm()
    form.household_id.choices = choices(
        [(0, _("No household"))]
        + [(h.id, h.name) for h in visible_households(db.session, current_user)]
    )
    done = submit(form, lambda: _create_user(form))
    if done.saved:
        flash(_("The account has been created."), "success")
        return redirect(url_for("admin.user", user_id=done.value.id))
    return render_template("admin/users.html", form=form, users=_org_users()), done.status


def _create_user(form: UserForm) -> User:
    user = create_user(
        db.session,
        organisation_id=current_user.organisation_id,
        email=form.email.data or "",
        name=form.name.data or "",
        role=Role(form.role.data),
        password=form.password.data or "",
        phone=form.phone.data or None,
        household_id=form.household_id.data or None,
        personnummer=form.personnummer.data or None,
    )
    db.session.flush()
    record(db.session, current_user, "user.create", user)
    if form.invite_by.data:
        send_link(db.session, current_user, user, form.invite_by.data)
    return user


def org_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != current_user.organisation_id:
        abort(404)
    return user


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"], defaults={"active": False})
@bp.route("/users/<int:user_id>/reactivate", methods=["POST"], defaults={"active": True})
def set_user_active(user_id: int, active: bool) -> Any:
    """Deactivate an account (every session and API token of it ends at once) or let it
    sign in again."""
    user = org_user_or_404(user_id)
    done = attempt(lambda: set_active(db.session, current_user, user, active))
    done.flash(
        _("The account has been reactivated.")
        if active
        else _("The account has been deactivated and signed out everywhere.")
    )
    return redirect(url_for("admin.users"))
