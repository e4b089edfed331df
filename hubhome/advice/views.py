"""The advice log: log in seconds, follow up until done, see what the rules allow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hubhome.accounts.models import Role, User
from hubhome.advice import services
from hubhome.advice.forms import AdviceForm, DoneForm
from hubhome.advice.labels import CHANNEL_LABELS, TOPIC_LABELS, URGENCY_LABELS
from hubhome.advice.models import AdviceChannel, AdviceTopic, Urgency
from hubhome.api.bounds import db_int
from hubhome.audit.services import Subject, record_many
from hubhome.extensions import db
from hubhome.forms import choices, submit
from hubhome.network.services import visible_households
from hubhome.permissions import can_log_advice, get_advice_contact_or_404
from hubhome.timeutil import local_to_utc

bp = Blueprint("advice", __name__, url_prefix="/advice")

ADVICE_ROLES = [Role.HUB_CARER, Role.ONCALL_STAFF, Role.SOCIAL_WORKER, Role.FOSTER_CARER]
LABELS = {"channel": CHANNEL_LABELS, "topic": TOPIC_LABELS, "urgency": URGENCY_LABELS}


def follow_up_panel(user: User) -> dict[str, Any] | None:
    """Open follow-ups on the user's list, and the quick way to log advice."""
    return {"open": len(services.open_follow_ups(db.session, user))}


def _audit_households(contacts: Any) -> None:
    households = sorted({c.household_id for c in contacts})
    subjects = [Subject(household_id=household_id) for household_id in households]
    # A contact about a child is a read of that child's record too.
    subjects += [
        Subject(child_id=child_id, household_id=household_id)
        for household_id, child_id in sorted({(c.household_id, c.child_id) for c in contacts})
        if child_id
    ]
    record_many(db.session, current_user, "advice.read", subjects)


@bp.route("/")
@login_required
def index() -> Any:
    """The contacts the user may read; families see only their own."""
    if current_user.role not in ADVICE_ROLES:
        abort(403)
    contacts = services.visible_contacts(db.session, current_user)
    follow_ups = (
        services.open_follow_ups(db.session, current_user)
        if current_user.role != Role.FOSTER_CARER
        else []
    )
    _audit_households(contacts)
    return render_template(
        "advice/index.html",
        contacts=contacts,
        follow_ups=follow_ups,
        can_log=can_log_advice(current_user),
        done_form=DoneForm(),
        labels=LABELS,
    )


@bp.route("/follow-ups")
@login_required
def follow_ups() -> Any:
    """Follow-ups that stay on the list until marked done."""
    if not can_log_advice(current_user):
        abort(403)
    items = services.open_follow_ups(db.session, current_user)
    return render_template(
        "advice/follow_ups.html", follow_ups=items, done_form=DoneForm(), labels=LABELS
    )


def _prefill(form: AdviceForm) -> None:
    """Fill from the query string: a call in the call log links here with its details."""
    household_id = request.args.get("household_id", type=db_int)
    if household_id:
        form.household_id.data = household_id
    channel = request.args.get("channel", "")
    if channel in {c.value for c in AdviceChannel}:
        form.channel.data = channel
    call_id = request.args.get("call_id", type=db_int)
    if call_id:
        form.call_id.data = str(call_id)


def _child_choices(households: Any) -> list[tuple[int, str]]:
    """The children placed in the families the user may log advice for, by name and home."""
    names = {h.id: h.name for h in households}
    placements = services.children_of_households(db.session, list(names))
    pairs = sorted(
        (
            f"{p.child.first_name} {p.child.last_name} ({names[p.household_id]})",
            p.child_id,
        )
        for p in placements
    )
    first = [(0, _("No particular child"))]
    return choices(first + [(child_id, label) for label, child_id in pairs])


def _occurred_at(form: AdviceForm) -> datetime | None:
    if form.occurred_on.data is None or form.occurred_time.data is None:
        return None
    return local_to_utc(form.occurred_on.data, form.occurred_time.data)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Log an advice contact (prefilled from ?household_id=&channel=&call_id=)."""
    if not can_log_advice(current_user):
        abort(403)
    form = AdviceForm()
    households = visible_households(db.session, current_user)
    form.household_id.choices = choices(
        [(0, _("Choose a family"))] + [(h.id, h.name) for h in households]
    )
    form.child_id.choices = _child_choices(households)
    if request.method == "GET":
        _prefill(form)
    done = submit(
        form,
        lambda: services.log_contact(
            db.session,
            current_user,
            services.AdviceEntry(
                household_id=form.household_id.data,
                asked_by=form.asked_by.data or "",
                channel=AdviceChannel(form.channel.data),
                topic=AdviceTopic(form.topic.data),
                urgency=Urgency(form.urgency.data or "normal"),
                summary=form.summary.data or "",
                follow_up_on=form.follow_up_on.data,
                call_id=int(form.call_id.data) if (form.call_id.data or "").isdigit() else None,
                occurred_at=_occurred_at(form),
                child_id=form.child_id.data or None,
            ),
        ),
    )
    if done.saved:
        flash(
            _("Logged. The responsible social worker has been told.")
            if done.value.topic == AdviceTopic.PLACEMENT_CONCERN
            else _("Logged."),
            "success",
        )
        return redirect(url_for("advice.index"))
    return render_template("advice/new.html", form=form), done.status


@bp.route("/<int:contact_id>")
@login_required
def show(contact_id: int) -> Any:
    """One advice contact."""
    contact = get_advice_contact_or_404(current_user, contact_id)
    _audit_households([contact])
    return render_template("advice/show.html", contact=contact, done_form=DoneForm(), labels=LABELS)


@bp.route("/<int:contact_id>/done", methods=["POST"])
@login_required
def done(contact_id: int) -> Any:
    """Mark a follow-up done: it leaves the lists."""
    contact = get_advice_contact_or_404(current_user, contact_id)
    if current_user.role == Role.FOSTER_CARER:
        abort(403)
    if not DoneForm().validate_on_submit():
        abort(400)
    services.mark_done(db.session, current_user, contact)
    flash(_("The follow-up is done."), "success")
    return redirect(url_for("advice.follow_ups"), 303)
